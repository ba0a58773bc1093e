/** HTTP routes for allocation settings. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../main/context.js';
import { problemResponses } from '../main/http-schemas.js';
import { ok } from '../shared/result.js';
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

export function allocationRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
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
