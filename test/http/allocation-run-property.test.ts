/**
 * A commit equals its dry run, on random histories, through the API on every engine: orders from customers of
 * three tiers in two regions (some ship from one warehouse only) and receipts at either warehouse, in random
 * order, with purchase orders on their way, then a run under a random strategy, with or without transfers. The commit makes exactly the dry run's
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
  // Inbound supply: promises then depend on the queue ahead, which a run changes.
  fc.record({ kind: fc.constant('po' as const), warehouse: fc.constantFrom('UK', 'DE'), quantity: fc.integer({ min: 1, max: 8 }), day: fc.integer({ min: 10, max: 28 }) }),
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

  it('a promise the run moves without reallocating: the queue ahead of it changed', async () => {
    // T3 (tier 3, first), T2 (tier 2, UK only), T1 (tier 1) order 3 each; 3 arrive at UK and go to T3 (FIFO); POs of 3
    // due 01-20 and 01-25 promise T2 the first, T1 the second. Tier then FIFO gives T3's units to T1; T2 keeps
    // nothing and waits as before, but T3 now waits ahead of it in the queue for received stock (FIFO): T2 moves to
    // the second PO's date.
    await send('POST', '/skus', { id: 'HAND', name: 'HAND', unitCostMinor: 100, backorderPolicy: 'allow' });
    await send('PUT', '/suppliers/ACME/items/HAND', { leadTimeDays: 10, unitCostMinor: 60 });
    const ids: Record<string, string> = {};
    for (const [k, who] of ['T3-GB', 'T2-GB', 'T1-GB'].entries()) {
      t.clock.set(`2026-01-05T08:0${k}:00.000Z`);
      ids[who] = (await send('POST', '/orders', { customerId: who, lines: [{ skuId: 'HAND', quantity: 3 }] })).intake[0].backordered.backorderId;
    }
    await send('POST', '/stock/receipts', { skuId: 'HAND', warehouseId: 'UK', quantity: 3 });
    for (const day of ['20', '25']) await send('POST', '/purchase-orders', { supplierId: 'ACME', place: true, lines: [{ skuId: 'HAND', warehouseId: 'UK', quantity: 3, expectedDate: `2026-01-${day}` }] });
    expect((await send('GET', `/backorders/${ids['T2-GB']}`)).promisedDate).toBe('2026-01-20');
    const body = { strategy: 'tier-then-fifo', skuIds: ['HAND'] };
    const dry = await send('POST', '/allocation/runs/dry-run', body);
    expect(dry.changes.map((c: { backorderId: string; delta: number }) => [c.backorderId, c.delta])).toEqual([[ids['T1-GB'], 3], [ids['T3-GB'], -3]]);
    expect(dry.promiseMoves).toEqual([{ skuId: 'HAND', backorderId: ids['T2-GB'], orderId: expect.any(String), customerId: 'T2-GB', from: '2026-01-20', to: '2026-01-25' }]);
    expect(dry.customersAffected).toBe(3);
    const run = await send('POST', '/allocation/runs', body);
    expect(run.promiseMoves).toEqual(dry.promiseMoves);
    expect((await send('GET', `/backorders/${ids['T2-GB']}`)).promisedDate).toBe('2026-01-25');
  });

  it('commit = dry run, and the invariants hold after it', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 2, maxLength: 12 }), strategyArb, transfersArb, async (steps, strategy, transfers) => {
        const sku = `P${++n}`;
        await send('POST', '/skus', { id: sku, name: sku, unitCostMinor: 100, backorderPolicy: 'allow' });
        await send('PUT', `/suppliers/ACME/items/${sku}`, { leadTimeDays: 10, unitCostMinor: 60 });
        for (const [k, s] of steps.entries()) {
          t.clock.set(new Date(Date.UTC(2026, 0, 5, 8, k)).toISOString());
          if (s.kind === 'order') await send('POST', '/orders', { customerId: CUSTOMERS[s.customer]!.id, lines: [{ skuId: sku, quantity: s.quantity }] });
          else if (s.kind === 'receipt') await send('POST', '/stock/receipts', { skuId: sku, warehouseId: s.warehouse, quantity: s.quantity });
          else await send('POST', '/purchase-orders', { supplierId: 'ACME', place: true, lines: [{ skuId: sku, warehouseId: s.warehouse, quantity: s.quantity, expectedDate: `2026-01-${s.day}` }] });
        }
        t.clock.set('2026-01-06T09:00:00.000Z');
        const body = { ...strategy, skuIds: [sku], ...(transfers ? { transfers } : {}) };
        const dry = await send('POST', '/allocation/runs/dry-run', body);
        const run = await send('POST', '/allocation/runs', body);
        expect(run.status).toBe('committed');
        expect(run.changes).toEqual(dry.changes);
        expect(run.promiseMoves).toEqual(dry.promiseMoves);
        expect(run.transfers.map((x: { transferId: string }) => ({ ...x, transferId: null }))).toEqual(dry.transfers);
        expect(await findViolations(t.ctx.store.db)).toEqual([]);
        const held = await t.ctx.store.db.selectFrom('allocation').select(['backorder_id', 'warehouse_id']).select((eb) => eb.fn.sum<number>('quantity').as('q')).where('sku_id', '=', sku).where('backorder_id', 'is not', null).groupBy(['backorder_id', 'warehouse_id']).execute();
        for (const c of run.changes as { backorderId: string; warehouseId: string; after: number }[]) {
          const row = held.find((h) => h.backorder_id === c.backorderId && h.warehouse_id === c.warehouseId);
          expect(Number(row?.q ?? 0)).toBe(c.after);
        }
        // A moved promise is what the backorder now holds, recorded as a change caused by the run.
        for (const m of run.promiseMoves as { backorderId: string; to: string | null }[]) {
          const b = await send('GET', `/backorders/${m.backorderId}`);
          expect(b.promisedDate).toBe(m.to);
          expect(b.history.at(-1)).toMatchObject({ type: 'backorder.promise_changed', data: { cause: 'allocation_run', to: m.to } });
        }

      }),
      { numRuns: 15 },
    );

  }, 60_000);
});
