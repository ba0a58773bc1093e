/** What the scheduler reads: open backorders with their customer, promise slips, and the digest's sections. */
import type { Tx } from '../db/connect.js';
import { daysBetween, type PromiseBasis } from '../promising/domain.js';
import type { DraftLine } from './drafts.js';

export interface OpenBackorder {
  id: string;
  orderId: string;
  customerId: string;
  customerName: string;
  tier: number;
  skuId: string;
  skuName: string;
  waiting: number;
  placedAt: string;
  promisedDate: string | null;
  firstPromisedDate: string | null;
  confidence: number | null;
  basis: PromiseBasis | null;
}

/** Which of these dedupe keys already have a message (an earlier round queued it). */
export async function queuedKeys(db: Tx, keys: readonly string[]): Promise<Set<string>> {
  const sent = new Set<string>();
  for (let i = 0; i < keys.length; i += 500) {
    // `is not null` lets both engines use the partial index on dedupe keys.
    const rows = await db.selectFrom('message').select('dedupe_key').where('dedupe_key', 'is not', null).where('dedupe_key', 'in', keys.slice(i, i + 500)).execute();
    for (const r of rows) sent.add(r.dedupe_key!);
  }
  return sent;
}

/** Every backorder still waiting for units, oldest first. */
export async function openBackorders(db: Tx): Promise<OpenBackorder[]> {
  const rows = await db
    .selectFrom('backorder as b')
    .innerJoin('customer as c', 'c.id', 'b.customer_id')
    .innerJoin('sku as s', 's.id', 'b.sku_id')
    .select(['b.id', 'b.order_id', 'b.customer_id', 'c.name as customer_name', 'c.tier', 'b.sku_id', 's.name as sku_name', 'b.quantity', 'b.allocated', 'b.fulfilled', 'b.cancelled'])
    .select(['b.placed_at', 'b.promised_date', 'b.first_promised_date', 'b.promise_confidence', 'b.promise_basis'])
    .where('b.status', 'in', ['open', 'partially_allocated'])
    .orderBy('b.placed_at')
    .orderBy('b.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    orderId: r.order_id,
    customerId: r.customer_id,
    customerName: r.customer_name,
    tier: r.tier,
    skuId: r.sku_id,
    skuName: r.sku_name,
    waiting: r.quantity - r.allocated - r.fulfilled - r.cancelled,
    placedAt: r.placed_at,
    promisedDate: r.promised_date,
    firstPromisedDate: r.first_promised_date,
    confidence: r.promise_confidence,
    basis: r.promise_basis ? (JSON.parse(r.promise_basis) as PromiseBasis) : null,
  }));
}

interface Slip {
  backorderId: string;
  from: string | null;
  to: string | null;
  at: string;
}

async function promiseChanges(db: Tx, backorderIds: readonly string[] | null, since: string | null): Promise<Slip[]> {
  let q = db.selectFrom('backorder_event').select(['backorder_id', 'data', 'created_at']).where('type', '=', 'backorder.promise_changed');
  if (since) q = q.where('created_at', '>=', since);
  const out: Slip[] = [];
  const batches = backorderIds === null ? [null] : Array.from({ length: Math.ceil(backorderIds.length / 500) }, (_, i) => backorderIds.slice(i * 500, i * 500 + 500));
  for (const ids of batches) {
    const rows = await (ids ? q.where('backorder_id', 'in', ids) : q).execute();
    for (const r of rows) {
      const d = JSON.parse(r.data) as { from?: string | null; to?: string | null };
      out.push({ backorderId: r.backorder_id, from: d.from ?? null, to: d.to ?? null, at: r.created_at });
    }
  }
  return out;
}

const movedLater = (s: Slip) => s.from !== null && (s.to === null || s.to > s.from);

/** How many times each backorder's promised date moved later. */
export async function slipCounts(db: Tx, backorderIds: readonly string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  if (backorderIds.length === 0) return counts;
  for (const s of await promiseChanges(db, backorderIds, null)) if (movedLater(s)) counts.set(s.backorderId, (counts.get(s.backorderId) ?? 0) + 1);
  return counts;
}

/**
 * The digest: promises at risk (due within three days with under 90% confidence, or already past), promises that
 * slipped in the last day, the oldest backorders and the SKUs with most open backorders.
 */
export async function digestVars(db: Tx, open: OpenBackorder[], size: number, now: Date) {
  const today = now.toISOString().slice(0, 10);
  const line = (b: OpenBackorder, over: Partial<DraftLine> = {}): DraftLine => ({
    backorderId: b.id, skuId: b.skuId, quantity: b.waiting, promisedDate: b.promisedDate, previousDate: null, shiftDays: null,
    confidence: b.confidence, basis: b.basis, reason: null, ...over,
  });
  const atRisk = open
    .filter((b) => b.promisedDate !== null && (b.promisedDate <= today || (daysBetween(today, b.promisedDate) <= 3 && (b.confidence ?? 0) < 0.9)))
    .sort((a, b) => (a.promisedDate! < b.promisedDate! ? -1 : 1))
    .slice(0, size);
  const byId = new Map(open.map((b) => [b.id, b]));
  const since = new Date(now.getTime() - 86_400_000).toISOString();
  const slipped = (await promiseChanges(db, null, since))
    .filter((s) => movedLater(s) && byId.has(s.backorderId))
    .slice(-size)
    .map((s) => line(byId.get(s.backorderId)!, { previousDate: s.from, promisedDate: s.to, shiftDays: s.from && s.to ? daysBetween(s.from, s.to) : null }));
  const oldest = open.slice(0, size);
  const topSkus = [...backlogBySku(open).values()].sort((a, b) => b.openBackorders - a.openBackorders || b.waitingUnits - a.waitingUnits).slice(0, size);
  const shown = [...atRisk, ...oldest, ...slipped.map((l) => byId.get(l.backorderId!)!)];
  const people = Object.fromEntries(shown.map((b) => [b.id, { customerName: b.customerName, tier: b.tier, ageDays: ageDays(b, now) }]));
  return { digest: { date: today, atRisk: atRisk.map((b) => line(b)), slipped, oldest: oldest.map((b) => line(b)), topSkus }, people };
}

/** Whole days since the backorder's order was placed. */
export const ageDays = (b: OpenBackorder, now: Date): number => Math.floor((now.getTime() - Date.parse(b.placedAt)) / 86_400_000);

export interface SkuBacklog {
  skuId: string;
  skuName: string;
  openBackorders: number;
  waitingUnits: number;
}

/** Open backorders and waiting units per SKU. */
export function backlogBySku(open: readonly OpenBackorder[]): Map<string, SkuBacklog> {
  const bySku = new Map<string, SkuBacklog>();
  for (const b of open) {
    const s = bySku.get(b.skuId) ?? { skuId: b.skuId, skuName: b.skuName, openBackorders: 0, waitingUnits: 0 };
    s.openBackorders++;
    s.waitingUnits += b.waiting;
    bySku.set(b.skuId, s);
  }
  return bySku;
}
