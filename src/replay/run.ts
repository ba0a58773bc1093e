/**
 * A replay: a real order history fed through the real system in time order, on an accelerated (manual) clock.
 * Invoices before `from` are loaded as order history (what forecasting and planning learn from); at `from` each
 * policy's first review is delivered at once as opening stock, so both policies start where they would aim to be.
 * Then, day by day: at 06:00 on review days the policy's orders are placed as purchase orders (expected after the
 * supplier's quoted lead time, arriving after the drawn lateness); at 08:00 what is due is received (filling waiting
 * backorders); each invoice is placed through intake at its own minute (a `C` invoice cancels what still waits
 * for that customer and SKU, newest first; units already shipped were returns and are only counted); at 17:00
 * what is allocated ships. The playbook writes its messages as it would live (none is delivered). At the end the
 * KPIs and root causes of [from, to] are read through the same reports the API serves.
 */
import type { AppContext } from '../main/context.js';
import { placeOrder } from '../orders/service.js';
import { cancelBackorder, shipOrder } from '../orders/fulfilment.js';
import { createPurchaseOrder, receivePurchaseOrder } from '../purchasing/service.js';
import { receiveStock } from '../inventory/service.js';
import { writeHistory, type HistoryLine } from '../imports/order-history-kind.js';
import type { ImportCounts } from '../imports/catalog-kinds.js';
import { resetFold } from '../kpis/rollup.js';
import { kpiReport } from '../kpis/service.js';
import { causeReport } from '../causes/service.js';
import { addDays } from '../promising/domain.js';
import { seededRandom } from '../shared/random.js';
import type { Result } from '../shared/result.js';
import { orderEvents, ReplayInputError, scanOrders, type FileLayout, type Invoice } from './orders-file.js';
import { decide, type OrderDecision, type PolicySettings } from './policies.js';
import { buildWorld, suppliers, type WarehouseRule } from './world.js';

type ManualClock = { now(): Date; set(t: Date | string): void };

export interface ReplayOptions extends Omit<PolicySettings, 'quotedLeadTimeDays'> {
  ordersFile: string;
  layout?: FileLayout;
  /** First day replayed (ISO day); earlier invoices are history. Default: four weeks after the file's first day. */
  from?: string | undefined;
  /** Last day replayed, inclusive. Default: the file's last day. */
  to?: string | undefined;
  warehouses: WarehouseRule;
  seed: number;
  progress?: (p: { day: string; orders: number; lines: number }) => void;
}

export interface ReplaySummary {
  policy: PolicySettings['policy'];
  from: string;
  to: string;
  file: { rows: number; ignored: number; skus: number; customers: number };
  historyLines: number;
  orders: number;
  lines: number;
  cancelledUnits: number;
  returnedUnits: number;
  purchaseOrders: number;
  receipts: number;
  messages: number;
  kpis: {
    fillRate: number | null;
    backorderRate: number | null;
    promiseAccuracy: number | null;
    cycleTimeP50Hours: number | null;
    averageInventoryValue: number | null;
    turnover: number | null;
  };
  /** Backorders created in [from, to] by root cause, most units first. */
  causes: { cause: string; count: number; units: number; shareOfUnits: number }[];
  /** Seconds spent per part of the run (where a replay's time goes). */
  seconds: Record<'setup' | 'history' | 'intake' | 'cancel' | 'review' | 'receive' | 'ship' | 'report', number>;
}

const dayOf = (iso: string) => iso.slice(0, 10);
const at = (day: string, hour: number) => `${day}T${String(hour).padStart(2, '0')}:00:00.000Z`;

function must<T>(r: Result<T>, what: string): T {
  if (!r.ok) throw new Error(`replay: ${what}: ${r.error.message}`);
  return r.value;
}

interface Arrival {
  day: string;
  poId: string;
  lineId: string;
  quantity: number;
}

/** Runs a whole replay on an empty store whose clock is `clock`. */
export async function runReplay(ctx: AppContext, clock: ManualClock, o: ReplayOptions): Promise<ReplaySummary> {
  const setupStarted = performance.now();
  const scan = await scanOrders(o.ordersFile, o.layout);
  if (scan.skus.size === 0) throw new ReplayInputError(`${o.ordersFile} has no usable order lines (${scan.rows} rows read)`);
  const from = o.from ?? addDays(dayOf(scan.first), 28);
  const to = o.to ?? dayOf(scan.last);
  if (from > to) throw new ReplayInputError(`--from ${from} is after --to ${to}`);
  clock.set(scan.first < at(from, 0) ? scan.first : at(from, 0));
  await buildWorld(ctx, scan, o.warehouses);
  const setupSeconds = (performance.now() - setupStarted) / 1000;
  const settings: PolicySettings = { ...o, quotedLeadTimeDays: new Map<string, number>(suppliers.map((s) => [s.id, s.leadTimeDays])) };
  const rand = seededRandom(o.seed);
  const lateness = new Map<string, number>(suppliers.map((s) => [s.id, s.maxLateDays]));
  const arrivals: Arrival[] = [];
  const seconds: ReplaySummary['seconds'] = { setup: 0, history: 0, intake: 0, cancel: 0, review: 0, receive: 0, ship: 0, report: 0 };
  const timed = async <T>(part: keyof typeof seconds, work: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try {
      return await work();
    } finally {
      seconds[part] += (performance.now() - t0) / 1000;
    }
  };
  const summary = { orders: 0, lines: 0, cancelledUnits: 0, returnedUnits: 0, purchaseOrders: 0, receipts: 0, historyLines: 0 };

  const placeOrders = async (decisions: OrderDecision[], day: string) => {
    const groups = new Map<string, OrderDecision[]>();
    for (const d of decisions) groups.set(d.supplierId, [...(groups.get(d.supplierId) ?? []), d]);
    for (const [supplierId, lines] of groups) {
      const lead = settings.quotedLeadTimeDays.get(supplierId) ?? 14;
      const po = must(
        await createPurchaseOrder(ctx, { supplierId, place: true, reference: `REPLAY-${day}-${supplierId}`, lines: lines.map((l) => ({ skuId: l.skuId, warehouseId: l.warehouseId, quantity: l.quantity, expectedDate: addDays(day, lead) })) }),
        'purchase order',
      );
      summary.purchaseOrders++;
      // One delivery per purchase order (a truck, a container), mostly on time or a little late, sometimes very late:
      // the square skews the draw towards 0.
      const arrives = addDays(day, lead + Math.floor(rand() ** 2 * ((lateness.get(supplierId) ?? 0) + 1)));
      for (const line of po.lines) arrivals.push({ day: arrives, poId: po.id, lineId: line.id, quantity: line.quantity });
    }
  };

  const receiveDue = async (day: string) => {
    const due = arrivals.filter((a) => a.day <= day);
    if (due.length === 0) return;
    arrivals.splice(0, arrivals.length, ...arrivals.filter((a) => a.day > day));
    const byPo = new Map<string, Arrival[]>();
    for (const a of due) byPo.set(a.poId, [...(byPo.get(a.poId) ?? []), a]);
    for (const [poId, lines] of byPo) {
      must(await receivePurchaseOrder(ctx, poId, { lines: lines.map((l) => ({ lineId: l.lineId, quantity: l.quantity })) }), 'receipt');
      summary.receipts++;
    }
  };

  // What is allocated ships that evening: the day it is ordered, or the day its backorder is filled.
  const shipAllocated = async () => {
    const open = await ctx.store.db.selectFrom('allocation').select(['order_id', 'warehouse_id']).where('quantity', '>', 0).groupBy(['order_id', 'warehouse_id']).execute();
    for (const a of open) await shipOrder(ctx, a.order_id, { warehouseId: a.warehouse_id }); // a ship-complete order still waiting is refused: it waits
  };

  // The clock's days: each day's fixed times run once, in order, before anything later happens.
  let doneUntil = at(from, 0);
  let reviewIndex = 0;
  const advanceTo = async (until: string) => {
    for (let day = dayOf(doneUntil); day <= dayOf(until); day = addDays(day, 1)) {
      for (const [hour, job] of [[6, 'review'], [8, 'receive'], [17, 'ship']] as const) {
        const t = at(day, hour);
        if (t <= doneUntil || t > until) continue;
        clock.set(t);
        if (job === 'review' && reviewIndex++ % o.reviewDays === 0) await timed('review', async () => placeOrders(await decide(ctx, settings), day));
        if (job === 'receive') await timed('receive', () => receiveDue(day));
        if (job === 'ship') await timed('ship', shipAllocated);
        doneUntil = t;
      }
    }
    if (until > doneUntil) {
      clock.set(until);
      doneUntil = until;
    }
  };

  const cancel = async (inv: Invoice) => {
    for (const line of inv.lines) {
      let left = line.quantity;
      const open = await ctx.store.db
        .selectFrom('backorder')
        .select(['id', 'quantity', 'fulfilled', 'cancelled'])
        .where('customer_id', '=', inv.customerId)
        .where('sku_id', '=', line.skuId)
        .where('status', 'in', ['open', 'partially_allocated', 'allocated'])
        .orderBy('placed_at', 'desc')
        .execute();
      for (const bo of open) {
        const units = Math.min(left, bo.quantity - bo.fulfilled - bo.cancelled);
        if (units <= 0) continue;
        must(await cancelBackorder(ctx, bo.id, { quantity: units, reason: `cancelled by invoice ${inv.reference}` }), 'cancellation');
        summary.cancelledUnits += units;
        left -= units;
      }
      summary.returnedUnits += left;
    }
  };

  let history: { line: number; input: HistoryLine }[] = [];
  const historyCounts: ImportCounts = { created: 0, updated: 0, unchanged: 0 };
  const historyRun = new Map<string, unknown>();
  const flushHistory = async () => {
    const batch = history;
    history = [];
    // History happened before `from`: the clock stands there while it is written (it refuses lines after now).
    const now = clock.now();
    clock.set(at(from, 0));
    const problem = must(await ctx.store.transaction(async (tx) => ({ ok: true as const, value: await writeHistory(ctx, tx, batch, historyCounts, historyRun) })), 'history');
    clock.set(now);
    if (problem) throw new Error(`replay: history: ${problem.message}`);
  };
  let started = false;
  const start = async () => {
    started = true;
    await flushHistory();
    await resetFold(ctx);
    summary.historyLines = historyCounts.created;
    // Opening stock: what the policy's first review would order, on the shelf at once.
    clock.set(at(from, 0));
    for (const d of await decide(ctx, settings)) must(await receiveStock(ctx, { skuId: d.skuId, warehouseId: d.warehouseId, quantity: d.quantity, reference: 'opening stock' }), 'opening stock');
  };

  const end = at(addDays(to, 1), 0);
  for await (const inv of orderEvents(o.ordersFile, o.layout)) {
    if (inv.at >= end) break;
    if (inv.at < at(from, 0)) {
      if (!inv.cancel) for (const l of inv.lines) history.push({ line: 0, input: { reference: inv.reference, skuId: l.skuId, customerId: inv.customerId, quantity: l.quantity, placedAt: inv.at, region: inv.region } });
      if (history.length >= 5000) await timed('history', flushHistory);
      continue;
    }
    if (!started) await timed('history', start);
    // A file slightly out of time order: the clock never goes back, the invoice counts as placed now.
    await advanceTo(inv.at > doneUntil ? inv.at : doneUntil);
    if (inv.cancel) {
      await timed('cancel', () => cancel(inv));
      continue;
    }
    must(await timed('intake', () => placeOrder(ctx, { customerId: inv.customerId, reference: inv.reference, lines: inv.lines })), `order ${inv.reference}`);
    summary.orders++;
    summary.lines += inv.lines.length;
    if (summary.orders % 500 === 0) o.progress?.({ day: dayOf(inv.at), orders: summary.orders, lines: summary.lines });
  }
  if (!started) await timed('history', start);
  await advanceTo(at(to, 23));

  const t0 = performance.now();
  const kpis = must(await kpiReport(ctx, { from, to }), 'KPI report').totals[0];
  const causes = must(await causeReport(ctx, { from, to }), 'root causes').rows;
  seconds.report = (performance.now() - t0) / 1000;
  const messages = await ctx.store.db.selectFrom('message').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return {
    policy: o.policy,
    from,
    to,
    file: { rows: scan.rows, ignored: scan.ignored, skus: scan.skus.size, customers: scan.customers.size },
    ...summary,
    messages: Number(messages.n),
    kpis: {
      fillRate: kpis?.intake.fillRate.units ?? null,
      backorderRate: kpis?.intake.backorderRate.lines ?? null,
      promiseAccuracy: kpis?.backorders.promiseAccuracy.rate ?? null,
      cycleTimeP50Hours: kpis?.cycleTime.p50Hours ?? null,
      averageInventoryValue: kpis?.inventory ? kpis.inventory.averageValueMinor / 100 : null,
      turnover: kpis?.inventory?.turnover ?? null,
    },
    seconds: { ...seconds, setup: setupSeconds },
    causes: causes.slice(0, 8).map((c) => ({ cause: c.cause, count: c.count, units: c.units, shareOfUnits: c.shareOfUnits })),
  };
}
