/** HTTP routes for orders: intake, reads, shipments, line cancellation. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../main/context.js';
import { catalogId, idempotencyHeaders, idempotencyOf, pageOf, pageQuery, problemResponses, quantity } from '../main/http-schemas.js';
import { sendResult } from '../main/problem.js';
import { allocationMadeSchema } from '../inventory/routes.js';
import { promiseFields } from '../promising/schemas.js';
import * as service from './service.js';
import * as fulfilment from './fulfilment.js';

const lineSchema = z.object({
  id: z.string(),
  lineNo: z.number().int(),
  skuId: z.string(),
  quantity: z.number().int(),
  allocated: z.number().int().describe('Allocated and not yet shipped'),
  shipped: z.number().int(),
  waiting: z.number().int().describe('Still waiting for stock on the backorder'),
  backorderedAtIntake: z.number().int(),
  rejected: z.number().int().describe('Refused at intake as a stockout (lost demand)'),
  rejectReason: z.string().nullable(),
  cancelled: z.number().int(),
  status: z.enum(['backordered', 'allocated', 'shipped', 'cancelled', 'rejected']),
  backorderId: z.string().nullable(),
  allocations: z.array(z.object({ warehouseId: z.string(), quantity: z.number().int(), shipped: z.number().int() })),
});

export const orderSchema = z
  .object({
    id: z.string(),
    customerId: z.string(),
    reference: z.string().nullable(),
    shipComplete: z.boolean(),
    status: z.enum(['open', 'closed']),
    placedAt: z.string(),
    updatedAt: z.string(),
    lines: z.array(lineSchema),
  })
  .meta({ id: 'Order' });

const intakeLineSchema = z.object({
  lineId: z.string(),
  lineNo: z.number().int(),
  skuId: z.string(),
  quantity: z.number().int(),
  allocated: z.array(z.object({ warehouseId: z.string(), quantity: z.number().int() })),
  backordered: z
    .object({ backorderId: z.string(), quantity: z.number().int(), warehouseId: z.string(), flexible: z.boolean(), ...promiseFields })
    .nullable(),
  rejected: z
    .object({ quantity: z.number().int(), reason: z.enum(['discontinued', 'backorders_denied', 'backorder_cap_reached', 'beyond_inbound_supply']) })
    .nullable(),
});

const placeOrderBody = z
  .object({
    customerId: catalogId,
    lines: z.array(z.object({ skuId: catalogId, quantity }).strict()).min(1).max(500),
    shipComplete: z.boolean().optional().describe('Ship only when every line is fully allocated'),
    reference: z.string().max(200).optional().describe("The customer's or channel's own order reference"),
  })
  .strict();

const shipBody = z
  .object({
    warehouseId: catalogId,
    lines: z
      .array(z.object({ lineId: z.string(), quantity }).strict())
      .min(1)
      .max(500)
      .optional()
      .describe('Lines and quantities to ship, each line at most once; everything allocated at the warehouse when left out'),
  })
  .strict();

export const cancelBody = z
  .object({ quantity: quantity.optional().describe('Units to cancel; all unshipped units when left out'), reason: z.string().max(500).optional() })
  .strict();

export const cancelResultSchema = z
  .object({
    order: orderSchema,
    cancelled: z.number().int(),
    released: z.array(z.object({ warehouseId: z.string(), quantity: z.number().int() })),
    reallocated: z.array(allocationMadeSchema),
  })
  .meta({ id: 'CancelResult' });

export function orderRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/orders', {
      schema: {
        tags: ['orders'],
        summary: 'Place an order: each line is allocated, backordered or refused (stockout) in one transaction',
        headers: idempotencyHeaders,
        body: placeOrderBody,
        response: { 201: z.object({ order: orderSchema, intake: z.array(intakeLineSchema) }).meta({ id: 'PlacedOrder' }), ...problemResponses },
      },
      handler: async (req, reply) => sendResult(reply, await service.placeOrder(ctx, req.body, idempotencyOf(req, req.body)), 201),
    });
    app.get('/orders', {
      schema: {
        tags: ['orders'],
        querystring: pageQuery.extend({ customerId: z.string().optional(), status: z.enum(['open', 'closed']).optional() }),
        response: { 200: pageOf(orderSchema), ...problemResponses },
      },
      handler: async (req, reply) => sendResult(reply, await service.listOrders(ctx, req.query)),
    });
    app.get('/orders/:id', {
      schema: { tags: ['orders'], params: z.object({ id: z.string() }), response: { 200: orderSchema, ...problemResponses } },
      handler: async (req, reply) => sendResult(reply, await service.getOrder(ctx, req.params.id)),
    });
    app.post('/orders/:id/shipments', {
      schema: {
        tags: ['orders'],
        summary: 'Ship allocated units from one warehouse',
        headers: idempotencyHeaders,
        params: z.object({ id: z.string() }),
        body: shipBody,
        response: {
          201: z
            .object({
              shipment: z.object({
                id: z.string(),
                orderId: z.string(),
                warehouseId: z.string(),
                lines: z.array(z.object({ lineId: z.string(), skuId: z.string(), quantity: z.number().int() })),
                createdAt: z.string(),
              }),
              order: orderSchema,
            })
            .meta({ id: 'ShipmentResult' }),
          ...problemResponses,
        },
      },
      handler: async (req, reply) =>
        sendResult(reply, await fulfilment.shipOrder(ctx, req.params.id, req.body, idempotencyOf(req, req.body)), 201),
    });
    app.post('/orders/:id/lines/:lineId/cancel', {
      schema: {
        tags: ['orders'],
        summary: 'Cancel the unshipped part of a line; released stock goes to the next waiting order',
        headers: idempotencyHeaders,
        params: z.object({ id: z.string(), lineId: z.string() }),
        body: cancelBody,
        response: { 200: cancelResultSchema, ...problemResponses },
      },
      handler: async (req, reply) =>
        sendResult(reply, await fulfilment.cancelLine(ctx, req.params.id, req.params.lineId, req.body, idempotencyOf(req, req.body))),
    });
  };
}
