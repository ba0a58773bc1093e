/** HTTP routes for backorders: filtered list, one with its history, cancellation. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { causes } from '../causes/domain.js';
import type { AppContext } from '../main/context.js';
import { idempotencyHeaders, idempotencyOf, pageOf, pageQuery, problemResponses } from '../main/http-schemas.js';
import { sendResult } from '../main/problem.js';
import { cancelBody, cancelResultSchema } from '../orders/routes.js';
import { cancelBackorder } from '../orders/fulfilment.js';
import { backorderStatuses } from './domain.js';
import { promiseBasisSchema } from '../promising/schemas.js';
import * as service from './service.js';
import { repromiseBackorders } from './bulk.js';
import { notifyBackorders } from './notify.js';

const causeSchema = z.object({
  cause: z.enum(causes),
  reason: z.string().describe('Why, in plain words'),
  facts: z.record(z.string(), z.unknown()).describe('The facts the rule rested on (PO lines, demand and its quantile, inventory position...)'),
});

export const backorderSchema = z
  .object({
    id: z.string(),
    orderId: z.string(),
    orderLineId: z.string(),
    skuId: z.string(),
    customerId: z.string(),
    warehouseId: z.string(),
    flexible: z.boolean().describe('Any warehouse may fill it (else only warehouseId)'),
    quantity: z.number().int(),
    waiting: z.number().int(),
    allocated: z.number().int(),
    fulfilled: z.number().int(),
    cancelled: z.number().int(),
    status: z.enum(backorderStatuses),
    placedAt: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
    ageDays: z.number().int(),
    promisedDate: z.string().nullable().describe('ISO day the waiting units are expected to ship'),
    promiseConfidence: z.number().nullable().describe('Estimated probability of shipping by the promised date'),
    promiseConfirmed: z.boolean().describe('True when inbound supply covers it; false for a lead-time estimate'),
    promiseBasis: promiseBasisSchema.nullable(),
    firstPromisedDate: z.string().nullable().describe('The first date ever promised (promise accuracy is measured against it)'),
    fulfilledAt: z.string().nullable(),
    cause: causeSchema.nullable().describe('Root cause attributed when it was created; null until the background attribution ran'),
    resolutionCause: causeSchema.nullable().describe('Root cause attributed again when it was fulfilled or cancelled'),
  })
  .meta({ id: 'Backorder' });

const historySchema = z.array(z.object({ id: z.string(), type: z.string(), at: z.string(), data: z.record(z.string(), z.unknown()) }));

const statusList = z
  .string()
  .transform((s) => s.split(',').map((x) => x.trim()).filter((x) => x.length > 0))
  .pipe(z.array(z.enum(backorderStatuses)))
  .describe('Comma-separated statuses');

const listQuery = pageQuery.extend({
  skuId: z.string().optional(),
  warehouseId: z.string().optional(),
  customerId: z.string().optional(),
  orderId: z.string().optional(),
  status: statusList.optional(),
  minAgeDays: z.coerce.number().int().min(0).max(36500).optional(),
  maxAgeDays: z.coerce.number().int().min(0).max(36500).optional(),
  tier: z.coerce.number().int().min(1).max(100).optional().describe("The customer's tier"),
  cause: z.enum(causes).optional().describe('The root cause attributed at creation'),
  sort: z.enum(['oldest', 'newest']).default('oldest').describe('By creation: oldest first (default) or newest first'),
  atRisk: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional()
    .describe('true: only backorders whose promise is at risk: no inbound supply covers it (a lead-time estimate or no date) or it is less likely than not to hold (confidence below 0.5)'),
});

export function backorderRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/backorders', {
      schema: { tags: ['backorders'], querystring: listQuery, response: { 200: pageOf(backorderSchema), ...problemResponses } },
      handler: async (req, reply) => {
        const { status, ...rest } = req.query;
        return sendResult(reply, await service.listBackorders(ctx, { ...rest, statuses: status }));
      },
    });
    app.get('/backorders/:id', {
      schema: {
        tags: ['backorders'],
        params: z.object({ id: z.string() }),
        response: { 200: backorderSchema.extend({ history: historySchema }).meta({ id: 'BackorderWithHistory' }), ...problemResponses },
      },
      handler: async (req, reply) => sendResult(reply, await service.getBackorder(ctx, req.params.id)),
    });
    app.post('/backorders/repromise', {
      schema: {
        tags: ['backorders'],
        summary: "Project the promises of these backorders' SKUs again now; moved dates are recorded (cause manual) and told",
        body: z.object({ backorderIds: z.array(z.string().max(64)).min(1).max(1000) }).strict(),
        response: { 200: z.object({ skus: z.number().int(), moved: z.number().int().describe('Promises whose date moved') }), ...problemResponses },
      },
      handler: async (req, reply) => sendResult(reply, await repromiseBackorders(ctx, req.body.backorderIds)),
    });
    app.post('/backorders/notify', {
      schema: {
        tags: ['backorders'],
        summary: 'Email each affected customer now the status of their waiting backorders (one message per order, rule manual, template backorder-status)',
        body: z.object({ backorderIds: z.array(z.string().max(64)).min(1).max(1000) }).strict(),
        response: {
          200: z.object({
            orders: z.number().int().describe('Orders whose customer is told'),
            messages: z.number().int().describe('Emails queued in the outbox (one per order)'),
            skipped: z.number().int().describe('Backorders given that no longer wait (allocated, fulfilled or cancelled)'),
          }),
          ...problemResponses,
        },
      },
      handler: async (req, reply) => sendResult(reply, await notifyBackorders(ctx, req.body.backorderIds)),
    });
    app.post('/backorders/:id/cancel', {
      schema: {
        tags: ['backorders'],
        summary: 'Cancel a backorder (waiting units and units already allocated to it)',
        headers: idempotencyHeaders,
        params: z.object({ id: z.string() }),
        body: cancelBody,
        response: { 200: cancelResultSchema, ...problemResponses },
      },
      handler: async (req, reply) => sendResult(reply, await cancelBackorder(ctx, req.params.id, req.body, idempotencyOf(req, req.body))),
    });
  };
}
