/** HTTP routes for allocation settings and processing runs. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../main/context.js';
import { pageOf, pageQuery, problemResponses } from '../main/http-schemas.js';
import { fail, ok } from '../shared/result.js';
import { commitBody, committedRunSchema, dryRunSchema, explanationSchema, runBody, runDetailSchema, runSummarySchema, runTransfer, scheduleSchema } from './schemas.js';
import { dryRun, runRequestOf } from './run-service.js';
import { commitRun } from './run-commit.js';
import { explainBackorder } from './explain.js';
import { readSchedule, saveSchedule } from './run-schedule.js';
import * as runRepo from './run-repository.js';
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

const summaryOf = (r: runRepo.RunRow) => ({
  id: r.id,
  strategy: r.strategy,
  status: r.status as 'running' | 'committed' | 'failed',
  requestedBy: r.requested_by,
  trigger: r.trigger as 'api' | 'schedule' | 'cli',
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  skus: r.skus,
  skusDone: r.skus_done,
  backorders: r.backorders,
  changes: r.changes,
  unitsGained: r.units_gained,
  unitsLost: r.units_lost,
  customersAffected: r.customers_affected,
  transfers: JSON.parse(r.transfers) as z.infer<typeof runTransfer>[],
  error: r.error,
});

const changeOf = (c: runRepo.RunChangeRow) => ({
  skuId: c.sku_id,
  backorderId: c.backorder_id,
  orderId: c.order_id,
  customerId: c.customer_id,
  warehouseId: c.warehouse_id,
  before: c.before,
  after: c.after,
  delta: c.after - c.before,
  rank: c.rank,
  competing: c.competing,
  reason: c.reason,
  promisedBefore: c.promised_before,
  promisedAfter: c.promised_after,
});

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
        const request = runRequestOf(req.body);
        if (!request.ok) return sendResult(reply, request);
        return sendResult(reply, await dryRun(ctx, request.value));
      },
    });
    app.post('/allocation/runs', {
      schema: {
        tags: ['allocation'],
        summary: 'Commit a processing run: re-allocate (each SKU all or nothing: one transaction per SKU on PostgreSQL, SKUs grouped on SQLite), re-promise, tell customers (through the playbook) and record the run',
        body: commitBody,
        response: { 201: committedRunSchema, ...problemResponses },
      },
      handler: async (req, reply) => {
        const request = runRequestOf(req.body);
        if (!request.ok) return sendResult(reply, request);
        const run = await commitRun(ctx, { ...request.value, requestedBy: req.body.requestedBy, trigger: 'api' });
        return sendResult(reply, run, 201);
      },
    });
    app.get('/allocation/runs', {
      schema: {
        tags: ['allocation'],
        summary: 'Committed processing runs, newest first',
        querystring: pageQuery,
        response: { 200: pageOf(runSummarySchema), ...problemResponses },
      },
      handler: async (req, reply) => {
        const rows = await runRepo.listRuns(ctx.store.db, req.query.cursor ?? null, req.query.limit + 1);
        const items = rows.slice(0, req.query.limit).map(summaryOf);
        return sendResult(reply, ok({ items, nextCursor: rows.length > req.query.limit ? items.at(-1)!.id : null }));
      },
    });
    app.get('/allocation/runs/:id', {
      schema: {
        tags: ['allocation'],
        summary: 'One run: who, when, strategy, totals, and its changes (a page at a time)',
        params: z.object({ id: z.string().max(64) }),
        querystring: z.object({ offset: z.coerce.number().int().min(0).default(0), limit: z.coerce.number().int().min(1).max(5000).default(1000) }),
        response: { 200: runDetailSchema, ...problemResponses },
      },
      handler: async (req, reply) => {
        const row = await runRepo.findRun(ctx.store.db, req.params.id);
        if (!row) return sendResult(reply, fail('not_found', `no allocation run ${req.params.id}`, { field: 'id' }));
        const { offset, limit } = req.query;
        const page = await runRepo.runChanges(ctx.store.db, row.id, offset, limit + 1);
        return sendResult(reply, ok({ run: summaryOf(row), changes: page.slice(0, limit).map(changeOf), nextOffset: page.length > limit ? offset + limit : null }));
      },
    });
    app.get('/backorders/:id/explain', {
      schema: {
        tags: ['allocation', 'backorders'],
        summary: 'Why a backorder holds what it holds, where it stands in line, and (with compare) why another order got stock before it',
        params: z.object({ id: z.string().max(64) }),
        querystring: z.object({ compare: z.string().max(64).optional().describe('Another backorder of the same SKU') }),
        response: { 200: explanationSchema, ...problemResponses },
      },
      handler: async (req, reply) => sendResult(reply, await explainBackorder(ctx, req.params.id, req.query.compare)),
    });
    app.get('/settings/allocation/schedule', {
      schema: { tags: ['allocation'], summary: 'The nightly processing run: strategy, SKUs, hour (UTC); null when none is set', response: { 200: scheduleSchema.nullable() } },
      handler: async (_req, reply) => sendResult(reply, ok(await readSchedule(ctx.store.db))),
    });
    app.put('/settings/allocation/schedule', {
      schema: {
        tags: ['allocation'],
        summary: 'Set the daily processing run (committed by the worker once the hour has come, once per day across every process)',
        body: scheduleSchema,
        response: { 200: scheduleSchema, ...problemResponses },
      },
      handler: async (req, reply) => sendResult(reply, await saveSchedule(ctx, req.body)),
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
