/** HTTP routes for allocation settings and processing runs. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../main/context.js';
import { problemResponses } from '../main/http-schemas.js';
import { fail, ok } from '../shared/result.js';
import { catalogId } from '../main/http-schemas.js';
import { dryRun } from './run-service.js';
import { runStrategyNames } from './run-strategies.js';
import { sendResult } from '../main/problem.js';
import { currentStrategy, setStrategy } from './settings.js';
import { repromiseAll } from '../promising/service.js';
import { strategies, strategyNames } from './strategies.js';

const settingsSchema = z
  .object({
    strategy: z.enum(strategyNames),
    description: z.string(),
    available: z.array(z.object({ name: z.enum(strategyNames), description: z.string() })),
  })
  .meta({ id: 'AllocationSettings' });

const describe = (name: (typeof strategyNames)[number]) => ({
  strategy: name,
  description: strategies[name].description,
  available: strategyNames.map((n) => ({ name: n, description: strategies[n].description })),
});

const categories = ['protect', 'improve', 'redistribute', 'fill', 'release'] as const;
const categoriesSchema = z
  .object({
    segments: z
      .array(
        z
          .object({
            name: z.string().min(1).max(100),
            category: z.enum(categories),
            match: z
              .object({
                tierAtMost: z.number().int().min(1).max(100).optional(),
                tierAtLeast: z.number().int().min(1).max(100).optional(),
                channel: z.string().max(100).optional(),
                minAgeDays: z.number().int().min(0).max(100_000).optional(),
                minOrderValueMinor: z.number().int().min(0).optional(),
              })
              .strict()
              .describe('Every condition given must hold; an empty match holds for every order'),
          })
          .strict(),
      )
      .max(100)
      .describe('The first segment whose match holds decides an order\'s category'),
    default: z.enum(categories).describe('The category of orders no segment matches'),
  })
  .strict()
  .describe('protect: must be confirmed, may take from redistribute; improve: keeps, gets more from free stock; redistribute: keeps unless a protected order needs it; fill: keeps, never more; release: gives up its allocation');

const runBody = z
  .object({
    strategy: z.enum([...runStrategyNames, 'categories']),
    categories: categoriesSchema.optional().describe('With strategy categories: the segments'),
    skuIds: z.array(catalogId).min(1).max(10_000).optional().describe('The SKUs to re-allocate (default: every SKU with open backorders)'),
  })
  .strict();

const runChange = z.object({
  skuId: z.string(),
  backorderId: z.string(),
  orderId: z.string(),
  customerId: z.string(),
  warehouseId: z.string(),
  before: z.number().int(),
  after: z.number().int(),
  delta: z.number().int(),
  reason: z.string(),
});

const dryRunSchema = z
  .object({
    strategy: z.string(),
    skus: z.number().int(),
    backorders: z.number().int(),
    changes: z.array(runChange).describe('Backorder x warehouse allocations that would change'),
    unitsGained: z.number().int(),
    unitsLost: z.number().int(),
    customersAffected: z.number().int(),
  })
  .meta({ id: 'AllocationDryRun' });

export function allocationRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/allocation/runs/dry-run', {
      schema: {
        tags: ['allocation'],
        summary: 'Re-allocate open backorders under a strategy, without changing anything: which backorders would gain or lose units, where',
        body: runBody,
        response: { 200: dryRunSchema, ...problemResponses },
      },
      handler: async (req, reply) => {
        const { strategy, categories: segments, skuIds } = req.body;
        if (strategy === 'categories' && segments === undefined) {
          return sendResult(reply, fail('validation_failed', 'strategy categories needs its segments in categories', { field: 'categories' }));
        }
        const request = strategy === 'categories' ? { name: strategy, categories: segments! } : { name: strategy };
        return sendResult(reply, await dryRun(ctx, { strategy: request, skuIds }));
      },
    });
    app.get('/settings/allocation', {
      schema: { tags: ['allocation'], summary: 'The strategy that orders waiting backorders for incoming stock', response: { 200: settingsSchema } },
      handler: async (_req, reply) => sendResult(reply, ok(describe((await currentStrategy(ctx.store.db)).name))),
    });
    app.put('/settings/allocation', {
      schema: {
        tags: ['allocation'],
        body: z.object({ strategy: z.enum(strategyNames) }).strict(),
        response: { 200: settingsSchema, ...problemResponses },
      },
      handler: async (req, reply) => {
        const result = await ctx.store.transaction(async (tx) => {
          await setStrategy(tx, req.body.strategy, ctx.clock.now().toISOString());
          // The queue order changed, so every promise may have.
          await repromiseAll(ctx, tx, 'strategy_changed');
          return ok(describe(req.body.strategy));
        });
        return sendResult(reply, result);
      },
    });
  };
}
