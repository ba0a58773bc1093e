/** HTTP routes for supplier items, purchase orders and supplier performance. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../main/context.js';
import { catalogId, idempotencyHeaders, idempotencyOf, pageOf, pageQuery, problemResponses, quantity } from '../main/http-schemas.js';
import { sendResult } from '../main/problem.js';
import { allocationMadeSchema } from '../inventory/routes.js';
import * as service from './service.js';

/** An ISO calendar day that exists (2026-02-30 does not). */
export const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a day as YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'is not a calendar day');

export const itemBody = z
  .object({
    leadTimeDays: z.number().int().min(0).max(3650).nullable().optional().describe("This item's lead time; null = the supplier's default"),
    packSize: z.number().int().min(1).max(1_000_000).default(1),
    minOrderQty: z.number().int().min(1).max(100_000_000).default(1),
    unitCostMinor: z.number().int().min(0).max(1e12),
  })
  .strict();

const itemSchema = z
  .object({
    supplierId: z.string(),
    skuId: z.string(),
    leadTimeDays: z.number().int().nullable(),
    packSize: z.number().int(),
    minOrderQty: z.number().int(),
    unitCostMinor: z.number().int(),
  })
  .meta({ id: 'SupplierItem' });

const poStatus = z.enum(['draft', 'placed', 'partially_received', 'received', 'cancelled']);

/** A purchase order as the API shows it (also the answer of approving a replenishment recommendation). */
export const poSchema = z
  .object({
    id: z.string(),
    supplierId: z.string(),
    reference: z.string().nullable(),
    status: poStatus,
    placedAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    lines: z.array(
      z.object({
        id: z.string(),
        lineNo: z.number().int(),
        skuId: z.string(),
        warehouseId: z.string(),
        quantity: z.number().int(),
        received: z.number().int(),
        cancelled: z.number().int(),
        open: z.number().int(),
        expectedDate: z.string(),
        originalExpectedDate: z.string().describe('The expected day when placed; on-time performance is measured against it'),
      }),
    ),
  })
  .meta({ id: 'PurchaseOrder' });

const distribution = z.object({ mean: z.number(), p50: z.number(), p80: z.number(), p95: z.number() }).nullable();

export const performanceSchema = z
  .object({
    supplierId: z.string(),
    skuId: z.string().nullable(),
    receipts: z.number().int(),
    leadTimeDays: distribution,
    latenessDays: distribution,
    onTimeRate: z.number().nullable(),
    quantityFillRate: z.number().nullable(),
    trend: z
      .array(z.object({ month: z.string(), receipts: z.number().int(), onTimeRate: z.number(), meanLeadTimeDays: z.number(), meanLatenessDays: z.number() }))
      .describe('By the month receipts arrived in, oldest first'),
  })
  .meta({ id: 'SupplierPerformance' });

const poIdParams = z.object({ id: z.string() });

export function purchasingRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['purchasing'];
    app.put('/suppliers/:id/items/:skuId', {
      schema: { tags, summary: 'Say a supplier supplies a SKU, on what terms', params: z.object({ id: z.string(), skuId: z.string() }), body: itemBody, response: { 200: itemSchema, ...problemResponses } },
      handler: async (req, reply) => sendResult(reply, await service.putSupplierItem(ctx, req.params.id, req.params.skuId, req.body)),
    });
    app.get('/suppliers/:id/items', {
      schema: { tags, params: poIdParams, response: { 200: z.array(itemSchema), ...problemResponses } },
      handler: async (req, reply) => sendResult(reply, await service.listSupplierItems(ctx, { supplierId: req.params.id })),
    });
    app.get('/skus/:id/suppliers', {
      schema: { tags, params: poIdParams, response: { 200: z.array(itemSchema), ...problemResponses } },
      handler: async (req, reply) => sendResult(reply, await service.listSupplierItems(ctx, { skuId: req.params.id })),
    });
    app.get('/suppliers/:id/performance', {
      schema: {
        tags,
        summary: 'Lead time, lateness, on-time rate and quantity fill rate from receipt history',
        params: poIdParams,
        querystring: z.object({ skuId: z.string().optional() }),
        response: {
          200: performanceSchema,
          ...problemResponses,
        },
      },
      handler: async (req, reply) => sendResult(reply, await service.supplierPerformance(ctx, req.params.id, req.query.skuId)),
    });
    app.post('/purchase-orders', {
      schema: {
        tags,
        headers: idempotencyHeaders,
        body: z
          .object({
            supplierId: catalogId,
            reference: z.string().max(200).optional(),
            place: z.boolean().optional().describe('Place it at once (else it stays a draft)'),
            lines: z.array(z.object({ skuId: catalogId, warehouseId: catalogId, quantity, expectedDate: isoDay }).strict()).min(1).max(500),
          })
          .strict(),
        response: { 201: poSchema, ...problemResponses },
      },
      handler: async (req, reply) => sendResult(reply, await service.createPurchaseOrder(ctx, req.body, idempotencyOf(req, req.body)), 201),
    });
    app.get('/purchase-orders', {
      schema: { tags, querystring: pageQuery.extend({ supplierId: z.string().optional(), status: poStatus.optional(), skuId: z.string().optional().describe('Only orders with a line for this SKU') }), response: { 200: pageOf(poSchema), ...problemResponses } },
      handler: async (req, reply) => sendResult(reply, await service.listPurchaseOrders(ctx, req.query)),
    });
    app.get('/purchase-orders/:id', {
      schema: { tags, params: poIdParams, response: { 200: poSchema, ...problemResponses } },
      handler: async (req, reply) => sendResult(reply, await service.getPurchaseOrder(ctx, req.params.id)),
    });
    app.post('/purchase-orders/:id/place', {
      schema: { tags, headers: idempotencyHeaders, params: poIdParams, response: { 200: poSchema, ...problemResponses } },
      handler: async (req, reply) => sendResult(reply, await service.placePurchaseOrder(ctx, req.params.id, idempotencyOf(req, {}))),
    });
    app.patch('/purchase-orders/:id/lines/:lineId', {
      schema: {
        tags,
        summary: 'Change the expected date of a line (an ETA change); waiting backorders are re-promised',
        params: z.object({ id: z.string(), lineId: z.string() }),
        body: z.object({ expectedDate: isoDay }).strict(),
        response: { 200: poSchema, ...problemResponses },
      },
      handler: async (req, reply) => sendResult(reply, await service.changeExpectedDate(ctx, req.params.id, req.params.lineId, req.body.expectedDate)),
    });
    app.post('/purchase-orders/:id/receipts', {
      schema: {
        tags,
        summary: 'Receive units of a placed purchase order; waiting backorders are allocated and re-promised',
        headers: idempotencyHeaders,
        params: poIdParams,
        body: z.object({ lines: z.array(z.object({ lineId: z.string(), quantity }).strict()).min(1).max(500), reference: z.string().max(200).optional() }).strict(),
        response: { 201: z.object({ purchaseOrder: poSchema, allocations: z.array(allocationMadeSchema) }).meta({ id: 'PurchaseOrderReceipt' }), ...problemResponses },
      },
      handler: async (req, reply) => sendResult(reply, await service.receivePurchaseOrder(ctx, req.params.id, req.body, idempotencyOf(req, req.body)), 201),
    });
    app.post('/purchase-orders/:id/cancel', {
      schema: { tags, summary: 'Cancel what is still open', headers: idempotencyHeaders, params: poIdParams, response: { 200: poSchema, ...problemResponses } },
      handler: async (req, reply) => sendResult(reply, await service.cancelPurchaseOrder(ctx, req.params.id, idempotencyOf(req, {}))),
    });
  };
}
