/** The concurrency scenario: its catalog, the load it sends, and what the clients were told. */
import { sql } from 'kysely';
import { receiveStock } from '../../src/inventory/service.js';
import type { IntakeLineResult, PlacedOrder, PlaceOrderInput } from '../../src/orders/service.js';
import type { AllocationMade as AllocationMadeByService } from '../../src/allocation/service.js';
import type { CancelResult } from '../../src/orders/fulfilment.js';
import { seededRandom } from '../../src/shared/random.js';
import type { CustomerInput, SkuInput } from '../../src/catalog/entities.js';
import { customer, defaultWarehouses, must, seedCatalog, sku, type TestContext } from '../support/context.js';
import { RecordingClient, runPool, type ServerProcess } from '../support/server-process.js';

export const seed = Number(process.env.RAINCHECK_SEED ?? Date.now() % 1_000_000_007);
export const why = (what: string) => `${what} (seed ${seed}; rerun with RAINCHECK_SEED=${seed})`;

// --- the catalog -------------------------------------------------------------------------------------------

export const CAP = 8;
export const hot: { input: SkuInput; stock: { UK: number; EU: number } }[] = [
  { input: sku('HOT-A'), stock: { UK: 4, EU: 3 } },
  { input: sku('HOT-B'), stock: { UK: 2, EU: 4 } },
  { input: sku('HOT-C'), stock: { UK: 5, EU: 0 } },
  { input: sku('HOT-D'), stock: { UK: 0, EU: 6 } },
  { input: sku('HOT-CAP', 'allow', CAP), stock: { UK: 3, EU: 2 } },
  { input: sku('HOT-DENY', 'deny'), stock: { UK: 3, EU: 3 } },
];
export const hotIds = hot.map((h) => h.input.id);
export const regions = ['GB', 'NL', 'DE', 'GB', 'US'];
export const customers: CustomerInput[] = Array.from({ length: 20 }, (_, i) =>
  customer(`C${String(i + 1).padStart(2, '0')}`, regions[i % regions.length], (i % 3) + 1, i % 4 !== 3),
);
export const idemCustomer = customer('IDEM-C', 'GB', 1, true);
export const idemStock = 200;

export async function seedStore(t: TestContext): Promise<void> {
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

// --- reply shapes: the API's own types, as the JSON replies carry them ---------------------------------------

export type { OrderView } from '../../src/orders/views.js';
export type Placed = PlacedOrder;
export type IntakeLine = IntakeLineResult;
export type AllocationMade = AllocationMadeByService;
export type OrderBody = PlaceOrderInput;

// --- the scenario ------------------------------------------------------------------------------------------

export const key = (skuId: string, wh: string) => `${skuId}@${wh}`;
export const add = (m: Map<string, number>, k: string, q: number) => m.set(k, (m.get(k) ?? 0) + q);

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
  released(skuId: string, released: CancelResult['released']) {
    for (const r of released) add(this.promised, key(skuId, r.warehouseId), -r.quantity);
  }
}

export interface Watch {
  samples: number;
  maxCapWaiting: number;
  overAllocated: string[];
}

/** Samples the store while the clients run: allocated never above on-hand, the capped SKU never above its cap. */
export function watchInvariants(t: TestContext, stop: { done: boolean }): Promise<Watch> {
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

export interface ScenarioResult {
  client: RecordingClient;
  ledger: ClientLedger;
  placed: Map<string, { body: OrderBody; reply: Placed }>;
  watch: Watch;
  counts: Record<string, number>;
}

export async function runScenario(t: TestContext, servers: ServerProcess[]): Promise<ScenarioResult> {
  const rnd = seededRandom(seed);
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
    const r = await client.send<Pick<CancelResult, 'released' | 'reallocated'>>(
      'POST', `/orders/${orderId}/lines/${line.lineId}/cancel`, body, server === undefined ? {} : { server },
    );
    if (r.status === 200) {
      counts.cancelOk!++;
      ledger.released(line.skuId, r.body.released);
      ledger.allocatedToBackorders(r.body.reallocated);
    } else if (r.status === 409) counts.cancel409!++;
  };
  const ship = async (orderId: string, warehouseId: string, server?: number) => {
    const r = await client.send('POST', `/orders/${orderId}/shipments`, { warehouseId }, server === undefined ? {} : { server });
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
    for (let i = 0; i < 4 && shippable.length > 0; i++) {
      // The same shipment asked of two processes at once: the order's lock lets one take the units, not both.
      const p = pick(shippable).reply;
      const wh = pick(p.intake.flatMap((l) => l.allocated)).warehouseId;
      tasks.push(() => Promise.all([ship(p.order.id, wh, i), ship(p.order.id, wh, i + 1)]));
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

