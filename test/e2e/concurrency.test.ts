/**
 * The concurrency proof of the core issue: several real server processes share one store while many clients place
 * orders on a few hot SKUs, stock arrives, lines are cancelled and orders ship, all at once. Afterwards (and, for
 * the cheap invariants, continuously during the run) no unit was promised twice, every ordered unit is accounted
 * for, caps and deny policies held, and no request failed with a 5xx. Then the Idempotency-Key race: the same key
 * sent at once to different processes creates exactly one order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { findViolations } from '../../src/audit/invariants.js';
import { receiveStock } from '../../src/inventory/service.js';
import type { CustomerInput, SkuInput } from '../../src/catalog/entities.js';
import { customer, defaultWarehouses, must, openTestContext, seedCatalog, sku, type TestContext } from '../support/context.js';
import { engines, postgresAvailable, type Engine } from '../support/engines.js';
import { RecordingClient, runPool, startServers, type ServerProcess } from '../support/server-process.js';

const seed = Number(process.env.RAINCHECK_SEED ?? Date.now() % 1_000_000_007);
const why = (what: string) => `${what} (seed ${seed}; rerun with RAINCHECK_SEED=${seed})`;

// --- the catalog -------------------------------------------------------------------------------------------

const CAP = 8;
const hot: { input: SkuInput; stock: { UK: number; EU: number } }[] = [
  { input: sku('HOT-A'), stock: { UK: 4, EU: 3 } },
  { input: sku('HOT-B'), stock: { UK: 2, EU: 4 } },
  { input: sku('HOT-C'), stock: { UK: 5, EU: 0 } },
  { input: sku('HOT-D'), stock: { UK: 0, EU: 6 } },
  { input: sku('HOT-CAP', 'allow', CAP), stock: { UK: 3, EU: 2 } },
  { input: sku('HOT-DENY', 'deny'), stock: { UK: 3, EU: 3 } },
];
const hotIds = hot.map((h) => h.input.id);
const regions = ['GB', 'NL', 'DE', 'GB', 'US'];
const customers: CustomerInput[] = Array.from({ length: 20 }, (_, i) =>
  customer(`C${String(i + 1).padStart(2, '0')}`, regions[i % regions.length], (i % 3) + 1, i % 4 !== 3),
);
const idemCustomer = customer('IDEM-C', 'GB', 1, true);
const idemStock = 200;

async function seedStore(t: TestContext): Promise<void> {
  await seedCatalog(t.ctx, {
    warehouses: defaultWarehouses,
    skus: [...hot.map((h) => h.input), sku('IDEM-1'), sku('IDEM-2')],
    customers: [...customers, idemCustomer],
  });
  const receipts = [
    ...hot.flatMap((h) => (['UK', 'EU'] as const).map((wh) => ({ skuId: h.input.id, warehouseId: wh, quantity: h.stock[wh] }))),
    { skuId: 'IDEM-1', warehouseId: 'UK', quantity: idemStock },
  ];
  for (const r of receipts.filter((x) => x.quantity > 0)) must(await receiveStock(t.ctx, { ...r, reference: 'seed' }));
}

// --- reply shapes (only what the checks read) --------------------------------------------------------------

interface Alloc {
  warehouseId: string;
  quantity: number;
}
interface AllocationMade extends Alloc {
  backorderId: string;
  skuId: string;
}
interface IntakeLine {
  lineId: string;
  skuId: string;
  quantity: number;
  allocated: Alloc[];
  backordered: { backorderId: string; quantity: number } | null;
  rejected: { quantity: number; reason: string } | null;
}
interface LineView {
  id: string;
  skuId: string;
  quantity: number;
  allocated: number;
  shipped: number;
  waiting: number;
  backorderedAtIntake: number;
  rejected: number;
  rejectReason: string | null;
  cancelled: number;
  backorderId: string | null;
  allocations: { warehouseId: string; quantity: number; shipped: number }[];
}
interface OrderView {
  id: string;
  customerId: string;
  status: 'open' | 'closed';
  lines: LineView[];
}
interface Placed {
  order: OrderView;
  intake: IntakeLine[];
}
interface OrderBody {
  customerId: string;
  lines: { skuId: string; quantity: number }[];
  shipComplete?: boolean;
  reference?: string;
}

// --- the scenario ------------------------------------------------------------------------------------------

function prng(s: number): () => number {
  let a = s >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const key = (skuId: string, wh: string) => `${skuId}@${wh}`;
const add = (m: Map<string, number>, k: string, q: number) => m.set(k, (m.get(k) ?? 0) + q);

/** What the clients were told: units received, and units promised (allocated or shipped) per SKU x warehouse. */
class ClientLedger {
  readonly received = new Map<string, number>();
  readonly promised = new Map<string, number>();
  constructor() {
    for (const h of hot) for (const wh of ['UK', 'EU'] as const) add(this.received, key(h.input.id, wh), h.stock[wh]);
  }
  placed(p: Placed) {
    for (const l of p.intake) for (const a of l.allocated) add(this.promised, key(l.skuId, a.warehouseId), a.quantity);
  }
  allocatedToBackorders(made: AllocationMade[]) {
    for (const a of made) add(this.promised, key(a.skuId, a.warehouseId), a.quantity);
  }
  released(skuId: string, released: Alloc[]) {
    for (const r of released) add(this.promised, key(skuId, r.warehouseId), -r.quantity);
  }
}

interface Watch {
  samples: number;
  maxCapWaiting: number;
  overAllocated: string[];
}

/** Samples the store while the clients run: allocated never above on-hand, the capped SKU never above its cap. */
function watchInvariants(t: TestContext, stop: { done: boolean }): Promise<Watch> {
  const db = t.ctx.store.db;
  const watch: Watch = { samples: 0, maxCapWaiting: 0, overAllocated: [] };
  return (async () => {
    while (!stop.done) {
      const bad = await db
        .selectFrom('stock_level')
        .select(['sku_id', 'warehouse_id', 'on_hand', 'allocated'])
        .where(sql<boolean>`allocated > on_hand or allocated < 0`)
        .execute();
      watch.overAllocated.push(...bad.map((b) => `${b.sku_id}@${b.warehouse_id} on-hand ${b.on_hand} allocated ${b.allocated}`));
      const cap = await db
        .selectFrom('backorder')
        .select(sql<number>`coalesce(sum(quantity - allocated - fulfilled - cancelled), 0)`.as('waiting'))
        .where('sku_id', '=', 'HOT-CAP')
        .where('status', 'in', ['open', 'partially_allocated'])
        .executeTakeFirstOrThrow();
      watch.maxCapWaiting = Math.max(watch.maxCapWaiting, Number(cap.waiting));
      watch.samples++;
      await new Promise((r) => setTimeout(r, 15));
    }
    return watch;
  })();
}

interface ScenarioResult {
  client: RecordingClient;
  ledger: ClientLedger;
  placed: Map<string, { body: OrderBody; reply: Placed }>;
  watch: Watch;
  counts: Record<string, number>;
}

async function runScenario(t: TestContext, servers: ServerProcess[]): Promise<ScenarioResult> {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const client = new RecordingClient(servers);
  const ledger = new ClientLedger();
  const placed = new Map<string, { body: OrderBody; reply: Placed }>();
  const counts: Record<string, number> = { cancelOk: 0, cancel409: 0, shipOk: 0, ship409: 0, receiptAllocations: 0 };

  const randomOrder = (): OrderBody => ({
    customerId: pick(customers).id,
    lines: Array.from({ length: int(1, 3) }, () => ({ skuId: pick(hotIds), quantity: int(1, 3) })),
    ...(rnd() < 0.1 ? { shipComplete: true } : {}),
  });
  const placeOrder = async (body: OrderBody): Promise<Placed | null> => {
    const r = await client.send<Placed>('POST', '/orders', body);
    if (r.status !== 201) return null;
    placed.set(r.body.order.id, { body, reply: r.body });
    ledger.placed(r.body);
    return r.body;
  };
  const cancel = async (orderId: string, line: { lineId: string; skuId: string }, quantity?: number, server?: number) => {
    const body = quantity === undefined ? { reason: 'customer changed mind' } : { quantity };
    const r = await client.send<{ released: Alloc[]; reallocated: AllocationMade[] }>(
      'POST', `/orders/${orderId}/lines/${line.lineId}/cancel`, body, server === undefined ? {} : { server },
    );
    if (r.status === 200) {
      counts.cancelOk!++;
      ledger.released(line.skuId, r.body.released);
      ledger.allocatedToBackorders(r.body.reallocated);
    } else if (r.status === 409) counts.cancel409!++;
  };
  const ship = async (orderId: string, warehouseId: string) => {
    const r = await client.send('POST', `/orders/${orderId}/shipments`, { warehouseId });
    if (r.status === 201) counts.shipOk!++;
    else if (r.status === 409) counts.ship409!++;
  };
  const receive = async (skuId: string, warehouseId: string, quantity: number) => {
    const r = await client.send<{ allocations: AllocationMade[] }>('POST', '/stock/receipts', { skuId, warehouseId, quantity, reference: 'asn' });
    if (r.status !== 201) return;
    add(ledger.received, key(skuId, warehouseId), quantity);
    ledger.allocatedToBackorders(r.body.allocations);
    counts.receiptAllocations! += r.body.allocations.length;
  };

  const stop = { done: false };
  const watching = watchInvariants(t, stop);
  try {
    // Phase 1: a rush of orders on the hot SKUs, far more demand than stock.
    await runPool(Array.from({ length: 200 }, () => { const b = randomOrder(); return () => placeOrder(b); }), 40);

    // Phase 2: more orders while stock arrives, lines are cancelled (some twice at once) and orders ship.
    const first = [...placed.values()];
    const tasks: (() => Promise<unknown>)[] = [];
    for (let i = 0; i < 100; i++) {
      const b = randomOrder();
      if (i % 7 === 0) tasks.push(async () => { const p = await placeOrder(b); if (p) await cancel(p.order.id, p.intake[0]!); });
      else if (i % 13 === 0) tasks.push(async () => {
        const p = await placeOrder(b);
        const wh = p?.intake.flatMap((l) => l.allocated)[0]?.warehouseId;
        if (p && wh) await ship(p.order.id, wh);
      });
      else tasks.push(() => placeOrder(b));
    }
    for (let i = 0; i < 36; i++) {
      const skuId = hotIds[i % hotIds.length]!;
      const wh = Math.floor(i / hotIds.length) % 2 === 0 ? 'UK' : 'EU';
      const q = int(1, 5);
      tasks.push(() => receive(skuId, wh, q));
    }
    for (let i = 0; i < 40; i++) {
      const p = pick(first).reply;
      const line = pick(p.intake);
      const q = rnd() < 0.5 ? undefined : 1;
      tasks.push(() => cancel(p.order.id, line, q));
    }
    for (let i = 0; i < 6; i++) {
      // The same line cancelled twice at once on two processes: one wins, the other sees nothing left (409).
      const p = pick(first).reply;
      const line = pick(p.intake);
      tasks.push(() => Promise.all([cancel(p.order.id, line, undefined, i), cancel(p.order.id, line, undefined, i + 1)]));
    }
    const shippable = first.filter((p) => p.reply.intake.some((l) => l.allocated.length > 0));
    for (let i = 0; i < 20 && shippable.length > 0; i++) {
      const p = pick(shippable).reply;
      const wh = pick(p.intake.flatMap((l) => l.allocated)).warehouseId;
      tasks.push(() => ship(p.order.id, wh));
    }
    for (let i = tasks.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [tasks[i], tasks[j]] = [tasks[j]!, tasks[i]!];
    }
    await runPool(tasks, 40);
  } finally {
    stop.done = true;
  }
  return { client, ledger, placed, watch: await watching, counts };
}

// --- the checks --------------------------------------------------------------------------------------------

function checkReplies(r: ScenarioResult, servers: ServerProcess[]): void {
  const unexpected = r.client.exchanges.filter((e) => {
    if (e.path === '/orders' || e.path === '/stock/receipts') return e.status !== 201;
    if (e.path.endsWith('/cancel')) return !(e.status === 200 || (e.status === 409 && (e.body as { code?: string }).code === 'illegal_transition'));
    if (e.path.endsWith('/shipments')) return !(e.status === 201 || (e.status === 409 && (e.body as { code?: string }).code === 'illegal_transition'));
    return e.status < 200 || e.status >= 300;
  });
  expect(unexpected.slice(0, 5), why(`${unexpected.length} unexpected replies`)).toEqual([]);
  expect(r.client.exchanges.filter((e) => e.status >= 500 || e.status === 0)).toEqual([]);
  const serverErrors = servers.flatMap((s) => s.stderr().split('\n').filter((l) => /"level":(50|60)/.test(l)));
  expect(serverErrors.slice(0, 3), 'servers logged errors').toEqual([]);
  // The run exercised what it claims to: every process served, races happened, stock flowed to backorders.
  for (let i = 0; i < servers.length; i++) expect(r.client.exchanges.some((e) => e.server === i)).toBe(true);
  expect(r.placed.size).toBe(300);
  expect(r.counts.cancelOk, why('no cancel succeeded')).toBeGreaterThan(0);
  expect(r.counts.cancel409, why('no cancel race lost')).toBeGreaterThan(0);
  expect(r.counts.shipOk, why('no shipment succeeded')).toBeGreaterThan(0);
  expect(r.counts.receiptAllocations, why('no receipt filled a backorder')).toBeGreaterThan(0);
}

async function checkStock(t: TestContext, r: ScenarioResult): Promise<void> {
  const db = t.ctx.store.db;
  expect(await findViolations(db)).toEqual([]);
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

async function fetchOrders(client: RecordingClient): Promise<OrderView[]> {
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

async function checkOrders(t: TestContext, r: ScenarioResult): Promise<void> {
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
  const lines = [...views.values()].flatMap((o) => o.lines);
  expect(lines.some((l) => l.skuId === 'HOT-DENY' && l.rejected > 0), 'the deny SKU refused demand').toBe(true);
  expect(lines.some((l) => l.skuId === 'HOT-CAP' && l.rejectReason === 'backorder_cap_reached'), 'the cap was reached').toBe(true);

  // The cap held during the run and at the end.
  const capWaiting = scenarioBos
    .filter((b) => b.sku_id === 'HOT-CAP' && ['open', 'partially_allocated'].includes(b.status))
    .reduce((s, b) => s + b.quantity - b.allocated - b.fulfilled - b.cancelled, 0);
  expect(capWaiting).toBeLessThanOrEqual(CAP);
  expect(r.watch.maxCapWaiting, why('capped SKU waited above its cap during the run')).toBeLessThanOrEqual(CAP);

  // No stranded stock: where units are available, no backorder that may take them is still waiting.
  const levels = await db.selectFrom('stock_level').selectAll().where('sku_id', 'in', hotIds).execute();
  for (const l of levels.filter((x) => x.on_hand - x.allocated > 0)) {
    const eligible = scenarioBos.filter(
      (b) => b.sku_id === l.sku_id && (b.flexible === 1 || b.warehouse_id === l.warehouse_id) && b.quantity - b.allocated - b.fulfilled - b.cancelled > 0,
    );
    expect(eligible.map((b) => b.id), why(`${l.sku_id}@${l.warehouse_id} has ${l.on_hand - l.allocated} available while backorders wait`)).toEqual([]);
  }
}

// --- the idempotency race ----------------------------------------------------------------------------------

async function idempotencyRace(t: TestContext, servers: ServerProcess[]): Promise<void> {
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
  expect(client.exchanges.filter((e) => e.status >= 500 || e.status === 0)).toEqual([]);
  expect(await findViolations(db)).toEqual([]);
}

// --- the suites --------------------------------------------------------------------------------------------

function suite(engine: Engine, processes: number) {
  let t: TestContext;
  let servers: ServerProcess[] = [];
  beforeAll(async () => {
    t = await openTestContext(engine);
    await seedStore(t);
    servers = await startServers(t.db.url, processes);
  }, 120_000);
  afterAll(async () => {
    const stopped = await Promise.all(servers.map((s) => s.stop()));
    await t?.close();
    // A server that needed SIGKILL did not shut down cleanly on SIGTERM.
    expect(stopped.filter((s) => s.forced)).toEqual([]);
  }, 60_000);

  it(`${processes} server processes, 40 concurrent clients: no unit promised twice, every unit accounted for`, async () => {
    const result = await runScenario(t, servers);
    checkReplies(result, servers);
    await checkStock(t, result);
    await checkOrders(t, result);
  }, 60_000);

  it('the same Idempotency-Key sent at once to different processes creates one order', async () => {
    await idempotencyRace(t, servers);
  }, 45_000);
}

describe.skipIf(!postgresAvailable)('concurrency on PostgreSQL (several server processes)', () => {
  suite(engines.find((e) => e.name === 'postgres')!, 3);
});

describe('concurrency on SQLite (several server processes on one file)', () => {
  suite(engines.find((e) => e.name === 'sqlite')!, 3);
});
