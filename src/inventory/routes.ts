/** HTTP routes for stock: receipts, adjustments, transfers, levels, totals and the movement ledger. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../main/context.js';
import { catalogId, idempotencyHeaders, idempotencyOf, maxQuantity, pageOf, pageQuery, problemResponses, quantity } from '../main/http-schemas.js';
import { sendResult } from '../main/problem.js';
import { strategyNames } from '../allocation/strategies.js';
import * as service from './service.js';
import * as transfers from './transfers.js';

const levelSchema = z
  .object({
    skuId: z.string(),
    warehouseId: z.string(),
    onHand: z.number().int(),
    allocated: z.number().int(),
    available: z.number().int(),
    updatedAt: z.string(),
  })
  .meta({ id: 'StockLevel' });

const movementSchema = z
  .object({
    id: z.string(),
    skuId: z.string(),
    warehouseId: z.string(),
    kind: z.enum(['receipt', 'shipment', 'adjustment', 'transfer_out', 'transfer_in']),
    quantity: z.number().int().describe('Signed change of on-hand'),
    reason: z.string().nullable(),
    sourceType: z.string().nullable(),
    sourceId: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'Movement' });

export const allocationMadeSchema = z
  .object({
    backorderId: z.string(),
    orderId: z.string(),
    skuId: z.string(),
    warehouseId: z.string(),
    quantity: z.number().int(),
    rank: z.number().int().describe('Position in the strategy queue'),
    reason: z.string().describe('Why this backorder got the units, in plain words'),
    strategy: z.enum(strategyNames),
  })
  .meta({ id: 'AllocationMade' });

const changeSchema = z
  .object({ movements: z.array(movementSchema), levels: z.array(levelSchema), allocations: z.array(allocationMadeSchema) })
  .meta({ id: 'StockChange' });

const reason = z.string().trim().min(1).max(500);

const receipt = z
  .object({
    skuId: catalogId,
    warehouseId: catalogId,
    quantity,
    reference: z.string().max(200).optional().describe('The source document, e.g. a delivery note'),
    strategy: z.enum(strategyNames).optional().describe('Override the allocation strategy for this receipt'),
  })
  .strict();

const adjustment = z
  .object({
    skuId: catalogId,
    warehouseId: catalogId,
    quantity: z
      .number()
      .int('must be a whole number')
      .min(-maxQuantity)
      .max(maxQuantity)
      .refine((q) => q !== 0, 'must not be zero')
      .describe('Signed change of on-hand'),
    reason,
  })
  .strict();

const transfer = z
  .object({
    skuId: catalogId,
    fromWarehouseId: catalogId,
    toWarehouseId: catalogId,
    quantity,
    transitDays: z.number().int().min(0).max(365).optional().describe('0 (default): arrives at once; more: in transit until received'),
    reason: reason.optional(),
  })
  .strict();

const transferSchema = z
  .object({
    id: z.string(),
    skuId: z.string(),
    fromWarehouseId: z.string(),
    toWarehouseId: z.string(),
    quantity: z.number().int(),
    status: z.enum(['in_transit', 'arrived']),
    shippedAt: z.string(),
    expectedArrival: z.string(),
    arrivedAt: z.string().nullable(),
  })
  .meta({ id: 'Transfer' });

const transferResult = changeSchema.extend({ transfer: transferSchema }).meta({ id: 'TransferResult' });

const filterQuery = pageQuery.extend({ skuId: z.string().optional(), warehouseId: z.string().optional() });

export function inventoryRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const write = { tags: ['stock'], headers: idempotencyHeaders, response: { 201: changeSchema, ...problemResponses } };
    app.post('/stock/receipts', {
      schema: { ...write, body: receipt, summary: 'Receive stock; waiting backorders are allocated in strategy order' },
      handler: async (req, reply) => sendResult(reply, await service.receiveStock(ctx, req.body, idempotencyOf(req, req.body)), 201),
    });
    app.post('/stock/adjustments', {
      schema: { ...write, body: adjustment, summary: 'Correct on-hand with a reason (down only from available units)' },
      handler: async (req, reply) => sendResult(reply, await service.adjustStock(ctx, req.body, idempotencyOf(req, req.body)), 201),
    });
    app.post('/stock/transfers', {
      schema: { ...write, body: transfer, response: { 201: transferResult, ...problemResponses }, summary: 'Move available units between warehouses, at once or in transit' },
      handler: async (req, reply) => sendResult(reply, await transfers.transferStock(ctx, req.body, idempotencyOf(req, req.body)), 201),
    });
    app.post('/transfers/:id/arrive', {
      schema: {
        tags: ['stock'],
        headers: idempotencyHeaders,
        params: z.object({ id: z.string() }),
        summary: 'A transfer in transit arrives; its units fill waiting backorders at the destination',
        response: { 201: transferResult, ...problemResponses },
      },
      handler: async (req, reply) => sendResult(reply, await transfers.arriveTransfer(ctx, req.params.id, idempotencyOf(req, {})), 201),
    });
    app.get('/transfers', {
      schema: {
        tags: ['stock'],
        querystring: pageQuery.extend({ skuId: z.string().optional(), status: z.enum(['in_transit', 'arrived']).optional() }),
        response: { 200: pageOf(transferSchema), ...problemResponses },
      },
      handler: async (req, reply) => sendResult(reply, await transfers.listTransfers(ctx, req.query)),
    });
    app.get('/transfers/suggestions', {
      schema: {
        tags: ['stock'],
        summary: 'Transfers that would serve waiting backorders sooner than their current promise',
        querystring: z.object({ skuId: z.string().optional(), transitDays: z.coerce.number().int().min(0).max(365).default(2) }),
        response: {
          200: z.array(
            z.object({
              skuId: z.string(),
              backorderId: z.string(),
              fromWarehouseId: z.string(),
              toWarehouseId: z.string(),
              quantity: z.number().int(),
              transitDays: z.number().int(),
              promisedDateWithTransfer: z.string(),
              currentPromisedDate: z.string().nullable(),
            }),
          ),
          ...problemResponses,
        },
      },
      handler: async (req, reply) => sendResult(reply, await transfers.suggestTransfers(ctx, req.query)),
    });
    app.get('/stock', {
      schema: { tags: ['stock'], querystring: filterQuery, summary: 'Stock levels per SKU x warehouse', response: { 200: pageOf(levelSchema), ...problemResponses } },
      handler: async (req, reply) => sendResult(reply, await service.listLevels(ctx, req.query)),
    });
    app.get('/stock/totals', {
      schema: {
        tags: ['stock'],
        querystring: pageQuery.extend({ skuId: z.string().optional() }),
        summary: 'Stock per SKU over all warehouses',
        response: {
          200: pageOf(z.object({ skuId: z.string(), onHand: z.number().int(), allocated: z.number().int(), available: z.number().int() })),
          ...problemResponses,
        },
      },
      handler: async (req, reply) => sendResult(reply, await service.listTotals(ctx, req.query)),
    });
    app.get('/stock/movements', {
      schema: { tags: ['stock'], querystring: filterQuery, summary: 'The movement ledger, oldest first', response: { 200: pageOf(movementSchema), ...problemResponses } },
      handler: async (req, reply) => sendResult(reply, await service.listMovements(ctx, req.query)),
    });
  };
}
