/** HTTP route of the KPI report. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../main/context.js';
import { problemResponses } from '../main/http-schemas.js';
import { sendResult } from '../main/problem.js';
import { kpiQuery, kpiReportSchema } from './schemas.js';
import { kpiReport } from './service.js';

export function kpiRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/kpis', {
      schema: {
        tags: ['kpis'],
        summary: 'Backorder rate, fill rate, cycle time, backorder age, promise accuracy, lost demand, CSAT, turnover: per period and slice',
        querystring: kpiQuery,
        response: { 200: kpiReportSchema, ...problemResponses },
      },
      handler: async (req, reply) => sendResult(reply, await kpiReport(ctx, req.query)),
    });
  };
}
