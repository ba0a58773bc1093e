/** What must hold after the concurrency scenario, and the Idempotency-Key race. */
import { expect } from 'vitest';
import { sql } from 'kysely';
import { findViolations } from '../../src/audit/invariants.js';
import type { TestContext } from '../support/context.js';
import { RecordingClient, type ServerProcess } from '../support/server-process.js';
import { CAP, hotIds, idemCustomer, key, seed, why, type OrderBody, type OrderView, type Placed, type ScenarioResult } from './concurrency-scenario.js';

export function checkReplies(r: ScenarioResult, servers: ServerProcess[]): void {
  const unexpected = r.client.exchanges.filter((e) => {
    if (e.path === '/orders' || e.path === '/stock/receipts') return e.status !== 201;
    if (e.path.endsWith('/cancel')) return !(e.status === 200 || (e.status === 409 && (e.body as { code?: string }).code === 'illegal_transition'));
    if (e.path.endsWith('/shipments')) return !(e.status === 201 || (e.status === 409 && (e.body as { code?: string }).code === 'illegal_transition'));
    return e.status < 200 || e.status >= 300;
  });
  const shown = unexpected.map((e) => `${e.status} ${e.method} ${e.path} on server ${e.server}: ${JSON.stringify(e.body).slice(0, 200)}`);
  // Soft, so that the store checks below still run and show what a failed request did (or did not) leave behind.
  expect.soft(shown.slice(0, 8), why(`${unexpected.length} unexpected replies`)).toEqual([]);
  const serverErrors = servers.flatMap((s) => s.stderr().split('\n').filter((l) => /"level":(50|60)/.test(l)));
  expect.soft(serverErrors.slice(0, 3).map((l) => l.slice(0, 1500)), why(`servers logged ${serverErrors.length} errors`)).toEqual([]);
  // The run exercised what it claims to: every process served, races happened, stock flowed to backorders.
  for (let i = 0; i < servers.length; i++) expect.soft(r.client.exchanges.some((e) => e.server === i)).toBe(true);
  expect.soft(r.placed.size).toBe(300);
  expect.soft(r.counts.cancelOk, why('no cancel succeeded')).toBeGreaterThan(0);
  expect.soft(r.counts.cancel409, why('no cancel race lost')).toBeGreaterThan(0);
  expect.soft(r.counts.shipOk, why('no shipment succeeded')).toBeGreaterThan(0);
  expect.soft(r.counts.receiptAllocations, why('no receipt filled a backorder')).toBeGreaterThan(0);
}

export async function checkStock(t: TestContext, r: ScenarioResult): Promise<void> {
  const db = t.ctx.store.db;
  expect(await findViolations(db), why('store invariants')).toEqual([]);
  const levels = await db.selectFrom('stock_level').selectAll().where('sku_id', 'in', hotIds).execute();
  const allocs = await db
    .selectFrom('allocation')
    .select(['sku_id', 'warehouse_id'])
    .select(sql<number>`sum(quantity)`.as('open'))
    .select(sql<number>`sum(shipped)`.as('shipped'))
    .where('sku_id', 'in', hotIds)
    .groupBy(['sku_id', 'warehouse_id'])
    .execute();
  const receipts = await db
    .selectFrom('movement')
    .select(['sku_id', 'warehouse_id'])
    .select(sql<number>`sum(quantity)`.as('total'))
    .where('kind', '=', 'receipt')
    .where('sku_id', 'in', hotIds)
    .groupBy(['sku_id', 'warehouse_id'])
    .execute();
  for (const l of levels) {
    const k = key(l.sku_id, l.warehouse_id);
    const a = allocs.find((x) => x.sku_id === l.sku_id && x.warehouse_id === l.warehouse_id);
    const open = Number(a?.open ?? 0);
    const shipped = Number(a?.shipped ?? 0);
    const received = r.ledger.received.get(k) ?? 0;
    expect(l.allocated, `${k}: allocated vs open allocations`).toBe(open);
    expect(l.allocated, `${k}: allocated above on-hand`).toBeLessThanOrEqual(l.on_hand);
    expect(Number(receipts.find((x) => x.sku_id === l.sku_id && x.warehouse_id === l.warehouse_id)?.total ?? 0), `${k}: receipts`).toBe(received);
    expect(l.on_hand, `${k}: on-hand = received - shipped`).toBe(received - shipped);
    // No unit promised twice: units promised (still allocated, or shipped) never exceed units that ever arrived,
    // and equal exactly what the clients were told in intake, receipt and cancel replies.
    expect(open + shipped, why(`${k}: promised more than received`)).toBeLessThanOrEqual(received);
    expect(r.ledger.promised.get(k) ?? 0, why(`${k}: promised per replies vs store`)).toBe(open + shipped);
  }
  for (const id of hotIds) {
    const promised = levels.filter((l) => l.sku_id === id).reduce((s, l) => s + l.allocated, 0) +
      allocs.filter((a) => a.sku_id === id).reduce((s, a) => s + Number(a.shipped), 0);
    const received = [...r.ledger.received].filter(([k]) => k.startsWith(`${id}@`)).reduce((s, [, q]) => s + q, 0);
    expect(promised, why(`${id}: promised more than received`)).toBeLessThanOrEqual(received);
  }
  expect(r.watch.samples, 'the watcher ran during the load').toBeGreaterThan(3);
  expect(r.watch.overAllocated, why('allocated above on-hand during the run')).toEqual([]);
}

export async function fetchOrders(client: RecordingClient): Promise<OrderView[]> {
  const all: OrderView[] = [];
  for (let cursor: string | null = null; ; ) {
    const page: { status: number; body: { items: OrderView[]; nextCursor: string | null } } = await client.send(
      'GET', `/orders?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    expect(page.status).toBe(200);
    all.push(...page.body.items);
    cursor = page.body.nextCursor;
    if (cursor === null) return all;
  }
}

export async function checkOrders(t: TestContext, r: ScenarioResult): Promise<void> {
  const db = t.ctx.store.db;
  const views = new Map((await fetchOrders(r.client)).filter((o) => o.customerId !== idemCustomer.id).map((o) => [o.id, o]));
  expect([...views.keys()].sort()).toEqual([...r.placed.keys()].sort());
  const bos = new Map((await db.selectFrom('backorder').selectAll().execute()).map((b) => [b.id, b]));
  let backorderedLines = 0;
  for (const [id, { body, reply }] of r.placed) {
    const view = views.get(id)!;
    expect(view.lines.map((l) => [l.skuId, l.quantity])).toEqual(body.lines.map((l) => [l.skuId, l.quantity]));
    view.lines.forEach((l, i) => {
      const at = `order ${id} line ${i + 1} (${l.skuId})`;
      const intake = reply.intake[i]!;
      for (const part of [l.allocated, l.shipped, l.waiting, l.rejected, l.cancelled]) expect(part, at).toBeGreaterThanOrEqual(0);
      expect(l.allocated + l.shipped + l.waiting + l.rejected + l.cancelled, `${at}: units accounted for`).toBe(l.quantity);
      expect(l.allocations.reduce((s, a) => s + a.quantity, 0), `${at}: allocated vs its allocations`).toBe(l.allocated);
      expect(l.allocations.reduce((s, a) => s + a.shipped, 0), `${at}: shipped vs its allocations`).toBe(l.shipped);
      expect(l.rejected, `${at}: rejected at intake`).toBe(intake.rejected?.quantity ?? 0);
      expect(l.backorderedAtIntake, `${at}: backordered at intake`).toBe(intake.backordered?.quantity ?? 0);
      expect(l.backorderId, `${at}: backorder id`).toBe(intake.backordered?.backorderId ?? null);
      expect(intake.allocated.reduce((s, a) => s + a.quantity, 0) + l.backorderedAtIntake + l.rejected, `${at}: intake split`).toBe(l.quantity);
      const bo = l.backorderId === null ? undefined : bos.get(l.backorderId);
      const boWaiting = bo ? bo.quantity - bo.allocated - bo.fulfilled - bo.cancelled : 0;
      expect(l.waiting, `${at}: waiting vs its backorder`).toBe(boWaiting);
      if (bo) expect([bo.order_line_id, bo.sku_id, bo.quantity]).toEqual([l.id, l.skuId, l.backorderedAtIntake]);
      if (l.backorderedAtIntake > 0) backorderedLines++;
      if (l.skuId === 'HOT-DENY') expect(l.backorderedAtIntake, `${at}: deny SKU backordered`).toBe(0);
      if (l.rejected > 0) expect(l.rejectReason).toBe(l.skuId === 'HOT-DENY' ? 'backorders_denied' : 'backorder_cap_reached');
    });
    const open = view.lines.some((l) => l.allocated > 0 || l.waiting > 0);
    expect(view.status, `order ${id} status`).toBe(open ? 'open' : 'closed');
  }
  // Exactly one backorder per line that was short at intake, never one for the deny SKU.
  const scenarioBos = [...bos.values()].filter((b) => hotIds.includes(b.sku_id));
  expect(scenarioBos.length).toBe(backorderedLines);
  expect(backorderedLines, 'the run created backorders').toBeGreaterThan(20);
  const dbLines = await db.selectFrom('order_line').select(sql<number>`count(*)`.as('n')).where('backordered', '>', 0).executeTakeFirstOrThrow();
  expect(bos.size).toBe(Number(dbLines.n));
  expect(scenarioBos.filter((b) => b.sku_id === 'HOT-DENY')).toEqual([]);
  // The cap held during the run and at the end.
  const capWaiting = scenarioBos
    .filter((b) => b.sku_id === 'HOT-CAP' && ['open', 'partially_allocated'].includes(b.status))
    .reduce((s, b) => s + b.quantity - b.allocated - b.fulfilled - b.cancelled, 0);
  expect(capWaiting).toBeLessThanOrEqual(CAP);
  expect(r.watch.maxCapWaiting, why('capped SKU waited above its cap during the run')).toBeLessThanOrEqual(CAP);

  const lines = [...views.values()].flatMap((o) => o.lines);
  expect(lines.some((l) => l.skuId === 'HOT-DENY' && l.rejected > 0), 'the deny SKU refused demand').toBe(true);
  expect(lines.some((l) => l.skuId === 'HOT-CAP' && l.rejectReason === 'backorder_cap_reached'), 'the cap was reached').toBe(true);

  // No stranded stock: where units are available, no backorder that may take them is still waiting.
  const levels = await db.selectFrom('stock_level').selectAll().where('sku_id', 'in', hotIds).execute();
  for (const l of levels.filter((x) => x.on_hand - x.allocated > 0)) {
    const eligible = scenarioBos.filter(
      (b) => b.sku_id === l.sku_id && (b.flexible === 1 || b.warehouse_id === l.warehouse_id) && b.quantity - b.allocated - b.fulfilled - b.cancelled > 0,
    );
    expect(eligible.map((b) => b.id), why(`${l.sku_id}@${l.warehouse_id} has ${l.on_hand - l.allocated} available while backorders wait`)).toEqual([]);
  }
  await checkQueueOrder(t, scenarioBos);
}

/**
 * FIFO held across processes: a unit never went to a later order (at intake, or to its backorder) while an earlier
 * backorder that could take it was still waiting. Waiting only ever falls, so a backorder that waits now waited then.
 */
export async function checkQueueOrder(t: TestContext, bos: { id: string; sku_id: string; warehouse_id: string; flexible: number; placed_at: string; order_id: string; quantity: number; allocated: number; fulfilled: number; cancelled: number }[]): Promise<void> {
  const byId = new Map(bos.map((b) => [b.id, b]));
  const allocations = await t.ctx.store.db
    .selectFrom('allocation')
    .select(['id', 'backorder_id', 'order_id', 'sku_id', 'warehouse_id', 'created_at'])
    .where('sku_id', 'in', hotIds)
    .execute();
  const jumps: string[] = [];
  for (const a of bos.filter((b) => b.quantity - b.allocated - b.fulfilled - b.cancelled > 0)) {
    for (const x of allocations) {
      if (x.sku_id !== a.sku_id || x.order_id === a.order_id || x.created_at <= a.placed_at) continue;
      if (!(a.flexible === 1 || x.warehouse_id === a.warehouse_id)) continue;
      const to = x.backorder_id === null ? null : byId.get(x.backorder_id);
      if (to && to.placed_at <= a.placed_at) continue;
      jumps.push(`${x.id} (${x.sku_id}@${x.warehouse_id} at ${x.created_at}, ${to ? `backorder ${to.id}` : 'intake'}) while ${a.id} placed ${a.placed_at} waits`);
    }
  }
  expect(jumps.slice(0, 5), why(`${jumps.length} allocation(s) jumped the queue`)).toEqual([]);
}

// --- the idempotency race ----------------------------------------------------------------------------------

export async function idempotencyRace(t: TestContext, servers: ServerProcess[]): Promise<void> {
  const client = new RecordingClient(servers);
  const db = t.ctx.store.db;
  const run = `${seed}-${Math.random().toString(36).slice(2, 8)}`;
  const orderFor = (ref: string, q = 2): OrderBody => ({
    customerId: idemCustomer.id,
    reference: ref,
    lines: [{ skuId: 'IDEM-1', quantity: q }, { skuId: 'IDEM-2', quantity: 1 }],
  });
  const allocatedIdem1 = async () =>
    (await db.selectFrom('stock_level').select('allocated').where('sku_id', '=', 'IDEM-1').executeTakeFirstOrThrow()).allocated;
  const ordersWith = async (ref: string) =>
    db.selectFrom('sales_order').select('id').where('reference', '=', ref).execute();
  // Warm a connection to every process so the copies of a request leave together.
  await Promise.all(servers.map((_, i) => client.send('GET', '/health', undefined, { server: i })));
  const before = await allocatedIdem1();

  // The same key and body, 2 to 6 copies at once, spread over the processes.
  const rounds = 10;
  for (let round = 0; round < rounds; round++) {
    const idemKey = `race-${run}-${round}`;
    const copies = round < 4 ? 2 : 6;
    const replies = await Promise.all(
      Array.from({ length: copies }, (_, i) =>
        client.send<Placed>('POST', '/orders', orderFor(idemKey), { server: i, headers: { 'idempotency-key': idemKey } }),
      ),
    );
    expect(replies.map((x) => x.status), `round ${round}`).toEqual(replies.map(() => 201));
    const ids = new Set(replies.map((x) => x.body.order.id));
    expect(ids.size, `round ${round}: one order id in every reply`).toBe(1);
    for (const x of replies) expect(x.body).toEqual(replies[0]!.body);
    expect((await ordersWith(idemKey)).map((o) => o.id), `round ${round}: orders created`).toEqual([...ids]);
    const [orderId] = [...ids];
    const allocs = await db.selectFrom('allocation').select(['sku_id', 'quantity']).where('order_id', '=', orderId!).execute();
    expect(allocs).toEqual([{ sku_id: 'IDEM-1', quantity: 2 }]);
    const bos = await db.selectFrom('backorder').select(['sku_id', 'quantity']).where('order_id', '=', orderId!).execute();
    expect(bos).toEqual([{ sku_id: 'IDEM-2', quantity: 1 }]);
  }
  expect(await allocatedIdem1(), 'stock reserved once per key').toBe(before + 2 * rounds);

  // The same key with a different body afterwards: 422 idempotency_key_reused, nothing written.
  const used = `race-${run}-0`;
  const reused = await client.send<{ code: string; field?: string }>('POST', '/orders', orderFor(used, 3), { headers: { 'idempotency-key': used } });
  expect(reused.status).toBe(422);
  expect(reused.body.code).toBe('idempotency_key_reused');
  expect(reused.body.field).toBe('Idempotency-Key');
  expect((await ordersWith(used)).length).toBe(1);
  expect(await allocatedIdem1()).toBe(before + 2 * rounds);

  // Two different bodies with one fresh key at once on two processes: one order, the other gets 422.
  for (let round = 0; round < 4; round++) {
    const idemKey = `clash-${run}-${round}`;
    const [a, b] = await Promise.all([
      client.send<Placed & { code?: string }>('POST', '/orders', orderFor(idemKey, 1), { server: round, headers: { 'idempotency-key': idemKey } }),
      client.send<Placed & { code?: string }>('POST', '/orders', orderFor(idemKey, 3), { server: round + 1, headers: { 'idempotency-key': idemKey } }),
    ]);
    expect([a.status, b.status].sort(), `clash ${round}`).toEqual([201, 422]);
    const loser = a.status === 422 ? a : b;
    const winner = a.status === 201 ? a : b;
    expect(loser.body.code).toBe('idempotency_key_reused');
    expect((await ordersWith(idemKey)).map((o) => o.id)).toEqual([winner.body.order.id]);
  }
  // A receipt retried at once on every process: the stock arrives once, and fills one waiting backorder once.
  const receiptKey = `receipt-${run}`;
  const receipt = { skuId: 'IDEM-2', warehouseId: 'UK', quantity: 1, reference: receiptKey };
  const receipts = await Promise.all(
    servers.flatMap((_, i) => [i, i]).map((i) =>
      client.send<{ movements: { id: string }[]; allocations: unknown[] }>('POST', '/stock/receipts', receipt, { server: i, headers: { 'idempotency-key': receiptKey } }),
    ),
  );
  expect(receipts.map((x) => x.status)).toEqual(receipts.map(() => 201));
  expect(new Set(receipts.map((x) => x.body.movements[0]!.id)).size).toBe(1);
  expect(receipts[0]!.body.allocations).toHaveLength(1);
  const arrived = await db.selectFrom('movement').select('id').where('source_id', '=', receiptKey).execute();
  expect(arrived.map((m) => m.id)).toEqual([receipts[0]!.body.movements[0]!.id]);

  expect(client.exchanges.filter((e) => e.status >= 500 || e.status === 0)).toEqual([]);
  const open = await db.selectFrom('allocation').select(sql<number>`sum(quantity)`.as('n')).where('sku_id', '=', 'IDEM-1').executeTakeFirstOrThrow();
  expect(Number(open.n), 'IDEM-1 allocated vs its open allocations').toBe(await allocatedIdem1());
}

// --- the suites --------------------------------------------------------------------------------------------

