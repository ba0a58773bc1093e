/**
 * A commit equals its dry run, on random histories, through the API on every engine: orders from customers of
 * three tiers in two regions (some ship from one warehouse only) and receipts at either warehouse, in random
 * order, then a run under a random strategy, with or without transfers. The commit makes exactly the dry run's
 * changes and transfers, and afterwards every invariant holds (ledger = levels, allocations = levels, no unit
 * allocated twice) and each backorder holds what the commit says it holds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { engines } from '../support/engines.js';
import { openTestApp, type TestContext } from '../support/context.js';
import { httpClient } from '../support/http-client.js';
import { findViolations } from '../../src/audit/invariants.js';

const CUSTOMERS = [
  { id: 'T1-GB', tier: 1, region: 'GB', acceptsPartial: true },
  { id: 'T2-GB', tier: 2, region: 'GB', acceptsPartial: false },
  { id: 'T3-GB', tier: 3, region: 'GB', acceptsPartial: true },
  { id: 'T1-DE', tier: 1, region: 'DE', acceptsPartial: false },
  { id: 'T3-DE', tier: 3, region: 'DE', acceptsPartial: true },
] as const;

const stepArb = fc.oneof(
  fc.record({ kind: fc.constant('order' as const), customer: fc.integer({ min: 0, max: CUSTOMERS.length - 1 }), quantity: fc.integer({ min: 1, max: 6 }) }),
  fc.record({ kind: fc.constant('receipt' as const), warehouse: fc.constantFrom('UK', 'DE'), quantity: fc.integer({ min: 1, max: 8 }) }),
);
const strategyArb = fc.constantFrom(
  { strategy: 'fifo' },
  { strategy: 'tier-then-fifo' },
  { strategy: 'earliest-promise' },
  { strategy: 'fair-share' },
  { strategy: 'categories', categories: { segments: [{ name: 'key accounts', category: 'protect', match: { tierAtMost: 1 } }], default: 'redistribute' } },
);
const transfersArb = fc.constantFrom(undefined, { transitDays: 0 }, { transitDays: 2 });

describe.each(engines)('a commit equals its dry run on random histories on $name', (engine) => {
  let t: TestContext & { app: FastifyInstance };
  let n = 0;
  const { send } = httpClient(() => t.app);

  beforeAll(async () => {
    t = await openTestApp(engine);
    await send('POST', '/warehouses', { id: 'UK', name: 'Manchester', regions: ['GB'], priority: 1 });
    await send('POST', '/warehouses', { id: 'DE', name: 'Hamburg', regions: ['DE'], priority: 2 });
    await send('POST', '/suppliers', { id: 'ACME', name: 'Acme', defaultLeadTimeDays: 20 });
    for (const c of CUSTOMERS) await send('POST', '/customers', { ...c, name: c.id, email: `${c.id.toLowerCase()}@example.com` });
  });
  afterAll(async () => t.close());

  it('commit = dry run, and the invariants hold after it', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 2, maxLength: 12 }), strategyArb, transfersArb, async (steps, strategy, transfers) => {
        const sku = `P${++n}`;
        await send('POST', '/skus', { id: sku, name: sku, unitCostMinor: 100, backorderPolicy: 'allow' });
        await send('PUT', `/suppliers/ACME/items/${sku}`, { leadTimeDays: 10, unitCostMinor: 60 });
        for (const [k, s] of steps.entries()) {
          t.clock.set(new Date(Date.UTC(2026, 0, 5, 8, k)).toISOString());
          if (s.kind === 'order') await send('POST', '/orders', { customerId: CUSTOMERS[s.customer]!.id, lines: [{ skuId: sku, quantity: s.quantity }] });
          else await send('POST', '/stock/receipts', { skuId: sku, warehouseId: s.warehouse, quantity: s.quantity });
        }
        t.clock.set('2026-01-06T09:00:00.000Z');
        const body = { ...strategy, skuIds: [sku], ...(transfers ? { transfers } : {}) };
        const dry = await send('POST', '/allocation/runs/dry-run', body);
        const run = await send('POST', '/allocation/runs', body);
        expect(run.status).toBe('committed');
        expect(run.changes).toEqual(dry.changes);
        expect(run.transfers.map((x: { transferId: string }) => ({ ...x, transferId: null }))).toEqual(dry.transfers);
        expect(await findViolations(t.ctx.store.db)).toEqual([]);
        const held = await t.ctx.store.db.selectFrom('allocation').select(['backorder_id', 'warehouse_id']).select((eb) => eb.fn.sum<number>('quantity').as('q')).where('sku_id', '=', sku).where('backorder_id', 'is not', null).groupBy(['backorder_id', 'warehouse_id']).execute();
        for (const c of run.changes as { backorderId: string; warehouseId: string; after: number }[]) {
          const row = held.find((h) => h.backorder_id === c.backorderId && h.warehouse_id === c.warehouseId);
          expect(Number(row?.q ?? 0)).toBe(c.after);
        }
      }),
      { numRuns: 15 },
    );
  }, 60_000);
});
