/** HTTP route of the KPI report. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../main/context.js';
import { problemResponses } from '../main/http-schemas.js';
import { sendResult } from '../main/problem.js';
import { causeReport } from '../causes/service.js';
import { causeQuery, causeReportSchema, kpiQuery, kpiReportSchema } from './schemas.js';
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
    app.get('/kpis/causes', {
      schema: {
        tags: ['kpis'],
        summary: 'Pareto of root causes (supplier late or short, demand spike, no replenishment, reorder point too low, allocation priority, data error)',
        querystring: causeQuery,
        response: { 200: causeReportSchema, ...problemResponses },
      },
      handler: async (req, reply) => sendResult(reply, await causeReport(ctx, req.query)),
    });
  };
}
