/**
 * Committing processing runs through the HTTP API on every engine. WIDGET has no stock when A (tier 3), B (tier 2)
 * and VIP (tier 1) order 5, 3 and 4 on 01-05, 01-06, 01-07; ACME's PO of 10 is due 01-30; 6 arrive on 01-08 and go
 * first in, first out: A 5, B 1. Tier then FIFO re-allocates them: VIP 4, B 2, A 0. What still waits (B 1, A 5)
 * is covered by the PO in that order, so both are promised 01-30.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { engines } from '../support/engines.js';
import { openTestApp, type TestContext } from '../support/context.js';
import { httpClient } from '../support/http-client.js';
import { findViolations } from '../../src/audit/invariants.js';
import { runDueSchedule } from '../../src/allocation/run-schedule.js';

describe.each(engines)('committing allocation runs through the API on $name', (engine) => {
  let t: TestContext & { app: FastifyInstance };
  const bo = new Map<string, string>();
  const who = (id: string) => [...bo].find(([, b]) => b === id)![0];

  const { call, send } = httpClient(() => t.app);
  const held = async () => {
    const rows = await t.ctx.store.db.selectFrom('backorder').select(['id', 'allocated', 'status']).execute();
    return Object.fromEntries(rows.map((r) => [who(r.id), { allocated: Number(r.allocated), status: r.status }]));
  };

  beforeAll(async () => {
    t = await openTestApp(engine);
    await send('POST', '/warehouses', { id: 'UK', name: 'Manchester', regions: ['GB'], priority: 1 });
    await send('POST', '/skus', { id: 'WIDGET', name: 'Widget', unitCostMinor: 1000, backorderPolicy: 'allow' });
    await send('POST', '/suppliers', { id: 'ACME', name: 'Acme', defaultLeadTimeDays: 20 });
    await send('PUT', '/suppliers/ACME/items/WIDGET', { leadTimeDays: 14, unitCostMinor: 800 });
    for (const [id, tier] of [['A', 3], ['B', 2], ['VIP', 1]] as const) {
      await send('POST', '/customers', { id, name: id, email: `${id.toLowerCase()}@example.com`, region: 'GB', tier, acceptsPartial: true });
    }
    t.clock.set('2026-01-04T10:00:00.000Z');
    await send('POST', '/purchase-orders', { supplierId: 'ACME', place: true, lines: [{ skuId: 'WIDGET', warehouseId: 'UK', quantity: 10, expectedDate: '2026-01-30' }] });
    for (const [name, qty, day] of [['A', 5, '05'], ['B', 3, '06'], ['VIP', 4, '07']] as const) {
      t.clock.set(`2026-01-${day}T10:00:00.000Z`);
      const placed = await send('POST', '/orders', { customerId: name, lines: [{ skuId: 'WIDGET', quantity: qty }] });
      bo.set(name, placed.intake[0].backordered.backorderId);
    }
    t.clock.set('2026-01-08T10:00:00.000Z');
    await send('POST', '/stock/receipts', { skuId: 'WIDGET', warehouseId: 'UK', quantity: 6 });
    t.clock.set('2026-01-09T08:00:00.000Z');
  });
  afterAll(async () => t.close());

  it('a commit equals its dry run, and applies it: allocations, statuses, events, promises, the run record', async () => {
    expect(await held()).toEqual({ A: { allocated: 5, status: 'allocated' }, B: { allocated: 1, status: 'partially_allocated' }, VIP: { allocated: 0, status: 'open' } });
    const dry = await send('POST', '/allocation/runs/dry-run', { strategy: 'tier-then-fifo' });
    const byWho = Object.fromEntries(dry.changes.map((c: { backorderId: string }) => [who(c.backorderId), c]));
    expect(byWho.VIP).toMatchObject({ before: 0, after: 4, rank: 1, competing: 3, promisedAfter: null });
    expect(byWho.B).toMatchObject({ before: 1, after: 2, rank: 2, promisedAfter: '2026-01-30' });
    expect(byWho.A).toMatchObject({ before: 5, after: 0, rank: 3, promisedAfter: '2026-01-30' });
    expect(byWho.A.reason).toMatch(/tier 3/);

    const res = await call('POST', '/allocation/runs', { strategy: 'tier-then-fifo', requestedBy: 'planner@example.com' });
    expect(res.statusCode).toBe(201);
    const run = res.json();
    expect(run).toMatchObject({ status: 'committed', strategy: 'tier-then-fifo', requestedBy: 'planner@example.com', trigger: 'api', skus: 1, backorders: 3, unitsGained: 5, unitsLost: 5, customersAffected: 3, error: null });
    expect(run.changes).toEqual(dry.changes);

    expect(await held()).toEqual({ A: { allocated: 0, status: 'open' }, B: { allocated: 2, status: 'partially_allocated' }, VIP: { allocated: 4, status: 'allocated' } });
    const level = await t.ctx.store.db.selectFrom('stock_level').selectAll().executeTakeFirstOrThrow();
    expect({ onHand: Number(level.on_hand), allocated: Number(level.allocated) }).toEqual({ onHand: 6, allocated: 6 });
    expect(await findViolations(t.ctx.store.db)).toEqual([]);

    const a = await send('GET', `/backorders/${bo.get('A')}`);
    expect(a.promisedDate).toBe('2026-01-30');
    const lost = a.history.find((e: { type: string }) => e.type === 'backorder.deallocated');
    expect(lost).toMatchObject({ data: { quantity: 5, runId: run.id, strategy: 'tier-then-fifo', rank: 3, competing: 3, status: 'open', waiting: 5 } });
    // A was ready, so due now; its date slipped to the PO's, and the playbook tells A.
    expect(a.history.at(-1)).toMatchObject({ type: 'backorder.promise_changed', data: { from: '2026-01-09', to: '2026-01-30', cause: 'allocation_run' } });
    const slipped = await t.ctx.store.db.selectFrom('message').select('order_id').where('rule', '=', 'promise-slipped').where('created_at', '>=', '2026-01-09').execute();
    expect(slipped.map((m) => m.order_id)).toEqual([a.orderId]);
    const vip = await send('GET', `/backorders/${bo.get('VIP')}`);
    expect(vip.history.at(-1)).toMatchObject({ type: 'backorder.allocated', data: { quantity: 4, runId: run.id, rank: 1, warehouseId: 'UK', status: 'allocated' } });

    // The playbook tells VIP the line is ready (A was told on 01-08, when the receipt readied its line).
    const messages = await t.ctx.store.db.selectFrom('message').select(['order_id', 'rule']).where('rule', '=', 'backorder-ready').where('created_at', '>=', '2026-01-09').execute();
    expect(messages.map((m) => m.order_id)).toEqual([vip.orderId]);

    const listed = await send('GET', '/allocation/runs');
    expect(listed.items).toEqual([expect.objectContaining({ id: run.id, status: 'committed', skusDone: 1, changes: 3, unitsGained: 5 })]);
    const detail = await send('GET', `/allocation/runs/${run.id}`);
    expect(detail.changes).toEqual(dry.changes);
    expect(detail.nextOffset).toBeNull();
  });

  it('explains each backorder: its decisions, its place in line, and why another got stock before it', async () => {
    const a = await send('GET', `/backorders/${bo.get('A')}/explain?compare=${bo.get('VIP')}`);
    expect(a.decisions.map((d: { kind: string; source: string; quantity: number; rank: number; competing: number }) => [d.kind, d.source, d.quantity, d.rank, d.competing])).toEqual([
      ['allocated', 'receipt', 5, 1, 3],
      ['deallocated', 'run', 5, 3, 3],
    ]);
    // Received stock goes FIFO (the setting), so A, ordered first, is first in line for the PO.
    expect(a.queue).toMatchObject({ position: 1, of: 2, unitsAhead: 0 });
    expect(a.comparison.findings).toEqual([expect.objectContaining({ because: 'higher_tier', units: 4, warehouseId: 'UK' })]);
    expect(a.comparison.summary).toMatch(/tier 1 customer goes before tier 3/);
    expect(a.comparison.summary).toMatch(/position 1 against 3/);
    expect(a.summary).toMatch(/lost 5 units in processing run/);

    const b = await send('GET', `/backorders/${bo.get('B')}/explain`);
    expect(b.queue).toMatchObject({ position: 2, of: 2, unitsAhead: 5, ahead: [{ backorderId: bo.get('A'), why: expect.stringMatching(/ordered earlier/) }] });
    expect(b.comparison).toBeNull();

    // The other way round: A got its 5 units from the receipt because it was ordered first.
    const vip = await send('GET', `/backorders/${bo.get('VIP')}/explain?compare=${bo.get('A')}`);
    expect(vip.comparison.findings).toEqual([expect.objectContaining({ because: 'earlier_order', units: 5 })]);
    expect(vip.queue.position).toBeNull();

    expect((await call('GET', '/backorders/bo_nope/explain')).statusCode).toBe(404);
    expect((await call('GET', `/backorders/${bo.get('A')}/explain?compare=bo_nope`)).json()).toMatchObject({ detail: expect.stringContaining('bo_nope') });
  });

  it('a second run under the same strategy changes nothing, and records that it did nothing', async () => {
    const again = await send('POST', '/allocation/runs', { strategy: 'tier-then-fifo', skuIds: ['WIDGET'] });
    expect(again).toMatchObject({ status: 'committed', changes: [], unitsGained: 0, requestedBy: 'api' });
    const page = await send('GET', '/allocation/runs?limit=1');
    expect(page.items[0].id).toBe(again.id);
    expect(page.nextCursor).toBe(again.id);
    expect((await send('GET', `/allocation/runs?cursor=${page.nextCursor}`)).items).toHaveLength(1);
  });

  it('a scheduled run starts once a day from its hour, however many workers check at once', async () => {
    const bad = await call('PUT', '/settings/allocation/schedule', { enabled: true, hourUtc: 2, strategy: 'categories' });
    expect(bad.statusCode).toBe(400);
    expect(await send('GET', '/settings/allocation/schedule')).toBeNull();
    expect((await call('PUT', '/settings/allocation/schedule', { enabled: true, hourUtc: 24, strategy: 'fifo' })).statusCode).toBe(400);
    const schedule = { enabled: true, hourUtc: 2, strategy: 'tier-then-fifo', skuIds: ['WIDGET'] };
    expect(await send('PUT', '/settings/allocation/schedule', schedule)).toEqual(schedule);
    expect(await send('GET', '/settings/allocation/schedule')).toEqual(schedule);

    const scheduled = async () => t.ctx.store.db.selectFrom('allocation_run').select(['schedule_key', 'trigger', 'requested_by', 'status']).where('trigger', '=', 'schedule').execute();
    t.clock.set('2026-01-10T01:59:00.000Z');
    expect(await runDueSchedule(t.ctx)).toBeNull();
    t.clock.set('2026-01-10T02:30:00.000Z');
    const [first, second] = await Promise.all([runDueSchedule(t.ctx), runDueSchedule(t.ctx)]);
    expect([first, second].filter((r) => r !== null)).toHaveLength(1);
    expect((first ?? second)!).toMatchObject({ status: 'committed', trigger: 'schedule', requestedBy: 'schedule' });
    t.clock.set('2026-01-10T23:00:00.000Z');
    expect(await runDueSchedule(t.ctx)).toBeNull();
    t.clock.set('2026-01-11T02:00:00.000Z');
    expect(await runDueSchedule(t.ctx)).not.toBeNull();
    expect(await scheduled()).toEqual([
      { schedule_key: '2026-01-10', trigger: 'schedule', requested_by: 'schedule', status: 'committed' },
      { schedule_key: '2026-01-11', trigger: 'schedule', requested_by: 'schedule', status: 'committed' },
    ]);
    await send('PUT', '/settings/allocation/schedule', { ...schedule, enabled: false });
    t.clock.set('2026-01-12T05:00:00.000Z');
    expect(await runDueSchedule(t.ctx)).toBeNull();
  });

  it('refuses bad requests without recording a run', async () => {
    const runs = async () => (await t.ctx.store.db.selectFrom('allocation_run').select('id').execute()).length;
    const before = await runs();
    expect((await call('POST', '/allocation/runs', { strategy: 'lottery' })).statusCode).toBe(400);
    expect((await call('POST', '/allocation/runs', { strategy: 'fifo', skuIds: ['NOPE'] })).statusCode).toBe(404);
    expect((await call('POST', '/allocation/runs', { strategy: 'categories' })).json()).toMatchObject({ detail: expect.stringContaining('categories') });
    expect((await call('POST', '/allocation/runs', { strategy: 'fifo', requestedBy: '' })).statusCode).toBe(400);
    expect(await runs()).toBe(before);
    expect((await call('GET', '/allocation/runs/run_nope')).statusCode).toBe(404);
  });
});
