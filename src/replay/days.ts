/**
 * The replay's days on an existing world: invoices (in time order) through the real services on a manual clock that
 * only moves forward. Before each invoice, every fixed time of the days up to it runs once, in order: at 06:00 on
 * review days the policy's orders become placed purchase orders (expected after the supplier's quoted lead time,
 * arriving after a lateness drawn per delivery), on other days its orders for uncovered shortages (shortageCheck),
 * at 08:00 what is due is received (filling waiting backorders), at 17:00 what is allocated ships. Invoices before
 * `from` are order history (as `raincheck import orders` writes it), and at `from` the policy's first review may be
 * delivered at once as opening stock. An invoice is placed through intake at its own minute; a cancelling one (`C`)
 * cancels what still waits for that customer and SKU, newest first, and counts the rest as returns. Used by
 * `raincheck replay` (run.ts) and the demo.
 */
import type { AppContext } from '../main/context.js';
import { placeOrder } from '../orders/service.js';
import { cancelBackorder, shipOrderIn } from '../orders/fulfilment.js';
import { createPurchaseOrder, receivePurchaseOrder } from '../purchasing/service.js';
import { receiveStock } from '../inventory/service.js';
import { addDays } from '../promising/domain.js';
import { seededRandom } from '../shared/random.js';
import { ok, type Result } from '../shared/result.js';
import { writeHistory, type HistoryLine } from '../imports/order-history-kind.js';
import type { ImportCounts } from '../imports/catalog-kinds.js';
import { resetFold } from '../kpis/rollup.js';
import type { Invoice } from './orders-file.js';
import { decide, type OrderDecision, type PolicySettings } from './policies.js';

export type ManualClock = { now(): Date; set(t: Date | string): void };

export const dayOf = (iso: string) => iso.slice(0, 10);
export const at = (day: string, hour: number) => `${day}T${String(hour).padStart(2, '0')}:00:00.000Z`;

export function must<T>(r: Result<T>, what: string): T {
  if (!r.ok) throw new Error(`replay: ${what}: ${r.error.message}`);
  return r.value;
}

export const parts = ['history', 'intake', 'cancel', 'review', 'receive', 'ship'] as const;
export type Part = (typeof parts)[number];

export interface DaysOptions {
  /** First and last day replayed (ISO days, inclusive). */
  from: string;
  to: string;
  settings: PolicySettings;
  /** Supplier id -> the most days one of its deliveries may be late. */
  maxLateDays: ReadonlyMap<string, number>;
  seed: number;
  /** Invoices before `from` are written as order history (else skipped). */
  history: boolean;
  /** The policy's first review delivered at once at `from`, so it starts where it aims to be. */
  openingStock: boolean;
  progress?: ((p: { day: string; orders: number; lines: number }) => void) | undefined;
}

export interface DaysResult {
  /** Order lines written as history before `from`. */
  historyLines: number;
  orders: number;
  lines: number;
  cancelledUnits: number;
  returnedUnits: number;
  purchaseOrders: number;
  receipts: number;
  /** Seconds per part of the days (where a replay's time goes). */
  seconds: Record<Part, number>;
}

/** A purchase order line on its way: received in full on `day`. */
interface Arrival {
  day: string;
  poId: string;
  lineId: string;
  quantity: number;
}

export async function replayDays(ctx: AppContext, clock: ManualClock, invoices: AsyncIterable<Invoice>, o: DaysOptions): Promise<DaysResult> {
  const { from, to, settings } = o;
  const rand = seededRandom(o.seed);
  const arrivals: Arrival[] = [];
  const seconds = Object.fromEntries(parts.map((p) => [p, 0])) as Record<Part, number>;
  const timed = async <T>(part: Part, work: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try {
      return await work();
    } finally {
      seconds[part] += (performance.now() - t0) / 1000;
    }
  };
  const summary = { orders: 0, lines: 0, cancelledUnits: 0, returnedUnits: 0, purchaseOrders: 0, receipts: 0 };

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
      const arrives = addDays(day, lead + Math.floor(rand() ** 2 * ((o.maxLateDays.get(supplierId) ?? 0) + 1)));
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

  // What is allocated ships that evening: the day it is ordered, or the day its backorder is filled. One dispatch
  // transaction for the evening (a commit per shipment was a tenth of a year's replay); a ship-complete order still
  // waiting is refused before it writes anything, and waits.
  const shipAllocated = async () =>
    must(
      await ctx.store.transaction(async (tx) => {
        const open = await tx.selectFrom('allocation').select(['order_id', 'warehouse_id']).where('quantity', '>', 0).groupBy(['order_id', 'warehouse_id']).execute();
        for (const a of open) await shipOrderIn(ctx, tx, a.order_id, { warehouseId: a.warehouse_id });
        return ok(undefined);
      }),
      'dispatch',
    );

  // The clock's days: each day's fixed times run once, in order, before anything later happens.
  let doneUntil = at(from, 0);
  let reviewIndex = 0;
  const advanceTo = async (until: string) => {
    for (let day = dayOf(doneUntil); day <= dayOf(until); day = addDays(day, 1)) {
      for (const [hour, job] of [[6, 'review'], [8, 'receive'], [17, 'ship']] as const) {
        const t = at(day, hour);
        if (t <= doneUntil || t > until) continue;
        clock.set(t);
        if (job === 'review') {
          const scope = reviewIndex++ % settings.reviewDays === 0 ? 'review' : settings.shortageCheck ? 'uncovered' : null;
          if (scope !== null) await timed('review', async () => placeOrders(await decide(ctx, settings, scope), day));
        }
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
    clock.set(at(from, 0));
    const problem = must(await ctx.store.transaction(async (tx) => ok(await writeHistory(ctx, tx, batch, historyCounts, historyRun))), 'history');
    if (problem) throw new Error(`replay: history: ${problem.message}`);
  };

  let started = false;
  const start = async () => {
    started = true;
    if (o.history) {
      await timed('history', flushHistory);
      await resetFold(ctx);
    }
    clock.set(at(from, 0));
    if (o.openingStock) {
      for (const d of await decide(ctx, settings)) must(await receiveStock(ctx, { skuId: d.skuId, warehouseId: d.warehouseId, quantity: d.quantity, reference: 'opening stock' }), 'opening stock');
    }
  };

  const end = at(addDays(to, 1), 0);
  for await (const inv of invoices) {
    if (inv.at >= end) break;
    if (inv.at < at(from, 0)) {
      if (o.history && !inv.cancel) for (const l of inv.lines) history.push({ line: 0, input: { reference: inv.reference, skuId: l.skuId, customerId: inv.customerId, quantity: l.quantity, placedAt: inv.at, region: inv.region } });
      if (history.length >= 5000) await timed('history', flushHistory);
      continue;
    }
    if (!started) await start();
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
  if (!started) await start();
  await advanceTo(at(to, 23));
  return { historyLines: historyCounts.created, ...summary, seconds };
}
