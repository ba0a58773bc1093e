/**
 * HTTP routes of self-service: the JSON API (SKU alternates, choices for agents, the CSAT report) and, as a child
 * plugin, the customer's HTML pages reached through signed links (page-routes.ts).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../main/context.js';
import { catalogId, idempotencyHeaders, idempotencyOf, problemResponses } from '../main/http-schemas.js';
import { sendResult } from '../main/problem.js';
import { orderSchema } from '../orders/routes.js';
import { getAlternates, setAlternates } from './alternates.js';
import { makeChoice } from './choices.js';
import { csatReport } from './csat.js';
import { pageRoutes } from './page-routes.js';

export const choiceKinds = ['wait', 'substitute', 'ship_ready', 'cancel'] as const;

const alternatesSchema = z
  .object({ skuId: z.string(), alternates: z.array(z.string()).describe('Best first: the rank is the position') })
  .meta({ id: 'SkuAlternates' });

const choiceBody = z
  .object({
    kind: z.enum(choiceKinds).describe('wait: keep waiting; substitute: take an in-stock alternate; ship_ready: ship what is allocated now; cancel: cancel the line'),
    lineId: z.string().min(1).max(100).optional().describe('The line the choice is about; required except for ship_ready'),
    alternateSkuId: catalogId.optional().describe("With substitute: the alternate to take; else the best-ranked one in stock"),
  })
  .strict();

const choiceSchema = z
  .object({
    id: z.string(),
    orderId: z.string(),
    lineId: z.string().nullable(),
    backorderId: z.string().nullable(),
    kind: z.enum(choiceKinds),
    via: z.enum(['status_page', 'api']),
    detail: z.record(z.string(), z.unknown()),
    createdAt: z.string(),
  })
  .meta({ id: 'CustomerChoice' });

const stats = z.object({ n: z.number().int(), mean: z.number().nullable(), share45: z.number().nullable() });
const csatSchema = z
  .object({
    from: z.string().nullable(),
    to: z.string().nullable(),
    count: z.number().int(),
    mean: z.number().nullable(),
    share45: z.number().nullable().describe('Share of scores 4 or 5'),
    segments: z.object({
      backordered: z.object({ yes: stats, no: stats }),
      notifiedOnTime: z.object({ yes: stats, no: stats, notApplicable: stats.describe('No confirmation or promise change was sent') }),
      promiseKept: z.object({ yes: stats, no: stats, notApplicable: stats.describe('The order had no backorder') }),
    }),
  })
  .meta({ id: 'CsatReport' });

export function selfServiceRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/skus/:id/alternates', {
      schema: { tags: ['catalog'], summary: "A SKU's alternates (substitutes offered when it is backordered)", params: z.object({ id: z.string() }), response: { 200: alternatesSchema, ...problemResponses } },
      handler: async (req, reply) => sendResult(reply, await getAlternates(ctx, req.params.id)),
    });
    app.put('/skus/:id/alternates', {
      schema: {
        tags: ['catalog'],
        summary: "Replace a SKU's alternates, best first; each must exist and differ from the SKU",
        params: z.object({ id: z.string() }),
        body: z.object({ alternates: z.array(catalogId).max(20) }).strict(),
        response: { 200: alternatesSchema, ...problemResponses },
      },
      handler: async (req, reply) => sendResult(reply, await setAlternates(ctx, req.params.id, req.body.alternates)),
    });
    app.post('/orders/:id/choices', {
      schema: {
        tags: ['orders'],
        summary: "Make a customer's choice for a waiting order (as on the status page), recorded and confirmed to the customer",
        headers: idempotencyHeaders,
        params: z.object({ id: z.string() }),
        body: choiceBody,
        response: { 201: z.object({ choice: choiceSchema, order: orderSchema }).meta({ id: 'ChoiceMade' }), ...problemResponses },
      },
      handler: async (req, reply) => sendResult(reply, await makeChoice(ctx, req.params.id, req.body, 'api', idempotencyOf(req, req.body)), 201),
    });
    app.get('/csat', {
      schema: {
        tags: ['self-service'],
        summary: 'CSAT: mean score and share of 4-5 over surveys answered in the period, by segment',
        querystring: z.object({ from: z.iso.datetime().optional(), to: z.iso.datetime().optional() }),
        response: { 200: csatSchema, ...problemResponses },
      },
      handler: async (req, reply) => sendResult(reply, await csatReport(ctx, req.query)),
    });
    await app.register(pageRoutes(ctx));
  };
}
