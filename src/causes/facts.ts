/**
 * A SKU's history reduced to the facts the cause rules read, as they stood at a moment: pure, so the rules can be
 * replayed for any backorder long after it was created (the ledger, receipts and order lines keep every fact needed).
 */
import type { CreationFacts, InboundAt, ResolutionFacts, Attribution } from './domain.js';
import type { PendingBackorder, PoLineHistory, SkuHistory } from './repository.js';

const dayMs = 86_400_000;
const before = (iso: string, days: number) => new Date(Date.parse(iso) - days * dayMs).toISOString();

/** Demand is read this far back before the oldest backorder: the 7-day window and the 12 weeks before it. */
export const lookbackDays = 7 + 12 * 7;

export function creationFacts(h: SkuHistory, bo: PendingBackorder): CreationFacts {
  const at = bo.createdAt;
  const inbound: InboundAt[] = h.poLines
    .filter((l) => l.warehouseId === bo.warehouseId && l.placedAt !== null && l.placedAt < at)
    .map((l) => {
      const closedShortAt = closedShortTime(l);
      return {
        poLineId: l.poLineId,
        poId: l.poId,
        supplierId: l.supplierId,
        quantity: l.quantity,
        receivedBefore: l.receipts.filter((r) => r.receivedAt < at).reduce((s, r) => s + r.quantity, 0),
        originalExpectedDate: l.originalExpectedDate,
        closedShortAt: closedShortAt !== null && closedShortAt < at ? closedShortAt : null,
      };
    });
  const here = h.movements.filter((m) => m.warehouseId === bo.warehouseId && m.createdAt < at);
  const adjustedDown = -here.filter((m) => m.kind === 'adjustment' && m.quantity < 0 && m.createdAt >= before(at, 30)).reduce((s, m) => s + m.quantity, 0);
  const onHand = here.reduce((s, m) => s + m.quantity, 0);
  const waiting = h.backorders
    .filter((b) => b.id !== bo.id && b.warehouseId === bo.warehouseId && b.createdAt < at && (b.resolvedAt === null || b.resolvedAt >= at))
    .reduce((s, b) => s + b.quantity, 0);
  const open = inbound.filter((l) => l.receivedBefore < l.quantity && l.closedShortAt === null);
  const positionBefore = onHand - waiting + open.reduce((s, l) => s + l.quantity - l.receivedBefore, 0);
  return { at, inbound, adjustedDown, ...weeklyDemand(h, bo), leadTimeDays: h.leadTimeDays, positionBefore };
}

/**
 * When a PO line was closed with less than ordered received, or null: a line of a cancelled PO closed when the PO
 * was cancelled (the cancellation is its last change); a line cancelled in part on a PO received in the end closed
 * at its last receipt.
 */
function closedShortTime(l: PoLineHistory): string | null {
  if (!(l.received < l.quantity && l.cancelled > 0)) return null;
  if (l.status === 'cancelled') return l.poUpdatedAt;
  return l.receipts.at(-1)?.receivedAt ?? l.poUpdatedAt;
}

/** Demand of the SKU x warehouse in the 7 days up to the moment, and its weekly mean and variance before that. */
function weeklyDemand(h: SkuHistory, bo: PendingBackorder): Pick<CreationFacts, 'weekDemand' | 'weekly'> {
  const atMs = Date.parse(bo.createdAt);
  const weeks = new Array<number>(13).fill(0);
  let first = Infinity;
  for (const d of h.demand) {
    if (d.warehouseId !== bo.warehouseId) continue;
    const ms = Date.parse(d.placedAt);
    if (ms > atMs) continue;
    first = Math.min(first, ms);
    const k = Math.floor((atMs - ms) / (7 * dayMs));
    if (k <= 12) weeks[k]! += d.quantity;
  }
  // Whole weeks before the current one since demand was first seen (up to 12); fewer than 4 say too little.
  const seen = Math.min(12, Math.floor((atMs - first) / (7 * dayMs)));
  if (!(seen >= 4)) return { weekDemand: weeks[0]!, weekly: null };
  const past = weeks.slice(1, seen + 1);
  const mean = past.reduce((s, x) => s + x, 0) / past.length;
  const variance = past.reduce((s, x) => s + (x - mean) ** 2, 0) / (past.length - 1);
  return { weekDemand: weeks[0]!, weekly: { mean, variance } };
}

export function resolutionFacts(h: SkuHistory, bo: PendingBackorder & { resolvedAt: string }, created: Attribution): ResolutionFacts {
  const createdDay = bo.createdAt.slice(0, 10);
  const resolvedDay = bo.resolvedAt.slice(0, 10);
  return {
    createdAt: bo.createdAt,
    resolvedAt: bo.resolvedAt,
    tier: bo.tier,
    rivals: h.backorders.filter((b) => b.id !== bo.id && b.warehouseId === bo.warehouseId).map((b) => ({ id: b.id, tier: b.tier, createdAt: b.createdAt, filledAt: b.fulfilledAt })),
    dueWhileWaiting: h.poLines
      .filter((l) => l.warehouseId === bo.warehouseId && l.originalExpectedDate >= createdDay && l.originalExpectedDate < resolvedDay)
      .map((l) => ({ poId: l.poId, supplierId: l.supplierId, originalExpectedDate: l.originalExpectedDate, receivedAt: l.receipts[0]?.receivedAt ?? null })),
    created,
  };
}
