/** HTTP routes for quotes, promise settings and promise accuracy. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../main/context.js';
import { catalogId, problemResponses, quantity } from '../main/http-schemas.js';
import { sendResult } from '../main/problem.js';
import { ok } from '../shared/result.js';
import { promiseAccuracy } from './accuracy.js';
import { quote } from './quote.js';
import { promiseFields } from './schemas.js';
import { repromiseAll } from './service.js';
import { promiseQuantile, setPromiseQuantile } from './settings.js';

const quoteSchema = z
  .object({
    quotedAt: z.string(),
    lines: z.array(
      z.object({
        lineNo: z.number().int(),
        skuId: z.string(),
        quantity: z.number().int(),
        fromStock: z.array(z.object({ warehouseId: z.string(), quantity: z.number().int(), shipDate: z.string() })),
        backorder: z.object({ quantity: z.number().int(), warehouseId: z.string(), flexible: z.boolean(), ...promiseFields }).nullable(),
        rejected: z.object({ quantity: z.number().int(), reason: z.string() }).nullable(),
      }),
    ),
  })
  .meta({ id: 'Quote' });

const promiseSettings = z.object({ quantile: z.number().min(0.5).max(0.99).describe('Quantile of supplier lateness and lead time promises are made at') });

export function promisingRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/quotes', {
      schema: {
        tags: ['promises'],
        summary: 'When could each part of an order ship, and from where? Nothing is written.',
        body: z.object({ customerId: catalogId, lines: z.array(z.object({ skuId: catalogId, quantity }).strict()).min(1).max(500) }).strict(),
        response: { 200: quoteSchema, ...problemResponses },
      },
      handler: async (req, reply) => sendResult(reply, await quote(ctx, req.body)),
    });
    app.get('/settings/promises', {
      schema: { tags: ['promises'], response: { 200: promiseSettings } },
      handler: async (_req, reply) => sendResult(reply, ok({ quantile: await promiseQuantile(ctx.store.db) })),
    });
    app.put('/settings/promises', {
      schema: { tags: ['promises'], summary: 'Change the promise quantile; every waiting backorder is re-promised', body: promiseSettings.strict(), response: { 200: promiseSettings, ...problemResponses } },
      handler: async (req, reply) =>
        sendResult(
          reply,
          await ctx.store.transaction(async (tx) => {
            await setPromiseQuantile(tx, req.body.quantile, ctx.clock.now().toISOString());
            await repromiseAll(ctx, tx, 'manual');
            return ok({ quantile: req.body.quantile });
          }),
        ),
    });
    app.get('/reports/promise-accuracy', {
      schema: {
        tags: ['promises'],
        summary: 'Share of fulfilled backorders that shipped on or before their FIRST promised date',
        querystring: z.object({ from: z.iso.datetime().optional(), to: z.iso.datetime().optional() }),
        response: {
          200: z.object({ fulfilled: z.number().int(), keptFirstPromise: z.number().int(), neverPromised: z.number().int(), accuracy: z.number().nullable() }),
          ...problemResponses,
        },
      },
      handler: async (req, reply) => sendResult(reply, await promiseAccuracy(ctx, req.query)),
    });
  };
}
