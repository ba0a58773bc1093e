/**
 * The store's invariants, checked from the tables themselves: the ledger sums to on-hand, every allocated unit
 * belongs to exactly one open allocation, every ordered unit is accounted for, and every backorder's status
 * matches its quantities. Used by tests, benchmarks and `raincheck check`; an empty list means all hold.
 */
import { sql } from 'kysely';
import type { Tx } from '../db/connect.js';
import { statusOf, waitingOf } from '../backorders/domain.js';
import { ledgerMismatches } from '../inventory/repository.js';

export async function findViolations(db: Tx): Promise<string[]> {
  const violations: string[] = [];
  for (const m of await ledgerMismatches(db)) {
    violations.push(`ledger of ${m.sku_id}@${m.warehouse_id} sums to ${m.ledger} but on-hand is ${m.on_hand}`);
  }

  const levels = await db
    .selectFrom('stock_level as l')
    .leftJoin(
      (eb) =>
        eb
          .selectFrom('allocation')
          .select(['sku_id', 'warehouse_id'])
          .select(sql<number>`sum(quantity)`.as('open'))
          .groupBy(['sku_id', 'warehouse_id'])
          .as('a'),
      (j) => j.onRef('a.sku_id', '=', 'l.sku_id').onRef('a.warehouse_id', '=', 'l.warehouse_id'),
    )
    .select(['l.sku_id', 'l.warehouse_id', 'l.on_hand', 'l.allocated', 'a.open'])
    .execute();
  for (const l of levels) {
    if (Number(l.open ?? 0) !== l.allocated) {
      violations.push(`${l.sku_id}@${l.warehouse_id}: allocated ${l.allocated} but open allocations sum to ${Number(l.open ?? 0)}`);
    }
    if (l.allocated > l.on_hand || l.allocated < 0 || l.on_hand < 0) {
      violations.push(`${l.sku_id}@${l.warehouse_id}: on-hand ${l.on_hand}, allocated ${l.allocated}`);
    }
  }

  const lines = await db
    .selectFrom('order_line as ol')
    .leftJoin('backorder as b', 'b.order_line_id', 'ol.id')
    .leftJoin(
      (eb) =>
        eb
          .selectFrom('allocation')
          .select('order_line_id')
          .select(sql<number>`sum(quantity)`.as('open'))
          .groupBy('order_line_id')
          .as('a'),
      (j) => j.onRef('a.order_line_id', '=', 'ol.id'),
    )
    .select([
      'ol.id', 'ol.quantity', 'ol.allocated', 'ol.shipped', 'ol.rejected', 'ol.cancelled', 'a.open',
      'b.id as bo_id', 'b.quantity as bo_quantity', 'b.allocated as bo_allocated', 'b.fulfilled as bo_fulfilled',
      'b.cancelled as bo_cancelled', 'b.status as bo_status',
    ])
    .execute();
  for (const l of lines) {
    const waiting = l.quantity - l.allocated - l.shipped - l.rejected - l.cancelled;
    const bo =
      l.bo_id === null
        ? null
        : { quantity: l.bo_quantity!, allocated: l.bo_allocated!, fulfilled: l.bo_fulfilled!, cancelled: l.bo_cancelled! };
    if (waiting < 0) violations.push(`line ${l.id}: more units accounted for than ordered`);
    if (Number(l.open ?? 0) !== l.allocated) violations.push(`line ${l.id}: allocated ${l.allocated}, open allocations ${Number(l.open ?? 0)}`);
    if (waiting !== (bo ? waitingOf(bo) : 0)) violations.push(`line ${l.id}: ${waiting} unit(s) waiting but its backorder waits for ${bo ? waitingOf(bo) : 0}`);
    if (bo && statusOf(bo) !== l.bo_status) violations.push(`backorder ${l.bo_id}: status ${l.bo_status} but quantities say ${statusOf(bo)}`);
  }

  const boAllocations = await db
    .selectFrom('backorder as b')
    .leftJoin(
      (eb) =>
        eb
          .selectFrom('allocation')
          .select('backorder_id')
          .select(sql<number>`sum(quantity)`.as('open'))
          .where('backorder_id', 'is not', null)
          .groupBy('backorder_id')
          .as('a'),
      (j) => j.onRef('a.backorder_id', '=', 'b.id'),
    )
    .select(['b.id', 'b.allocated', 'a.open'])
    .execute();
  for (const b of boAllocations) {
    if (Number(b.open ?? 0) !== b.allocated) violations.push(`backorder ${b.id}: allocated ${b.allocated}, open allocations ${Number(b.open ?? 0)}`);
  }
  return violations;
}
