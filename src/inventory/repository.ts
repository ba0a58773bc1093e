/**
 * SQL for stock levels and the movement ledger. Every change of a level is ONE conditional statement whose WHERE
 * clause states the invariant it must keep; a statement that matches no row changed nothing and says so.
 */
import { sql, type Selectable } from 'kysely';
import type { Tx, UpdateGuard } from '../db/connect.js';
import { updateEveryRow } from '../db/row-updates.js';
import type { MovementTable, StockLevelTable } from '../db/schema.js';

export type LevelRow = Selectable<StockLevelTable>;
export type MovementRow = Selectable<MovementTable>;

const changed = (r: { numUpdatedRows?: bigint } | undefined) => Number(r?.numUpdatedRows ?? 0) === 1;

/** Raises on-hand (creating the level on first receipt). */
export async function addOnHand(tx: Tx, skuId: string, warehouseId: string, quantity: number, now: string): Promise<void> {
  await tx
    .insertInto('stock_level')
    .values({ sku_id: skuId, warehouse_id: warehouseId, on_hand: quantity, allocated: 0, updated_at: now })
    .onConflict((oc) =>
      oc.columns(['sku_id', 'warehouse_id']).doUpdateSet({
        on_hand: sql`stock_level.on_hand + ${quantity}`,
        updated_at: now,
      }),
    )
    .execute();
}

/** Lowers on-hand by units nobody is promised; false when fewer are available. */
export async function removeAvailable(tx: Tx, skuId: string, warehouseId: string, quantity: number, now: string): Promise<boolean> {
  const r = await tx
    .updateTable('stock_level')
    .set({ on_hand: sql`on_hand - ${quantity}`, updated_at: now })
    .where('sku_id', '=', skuId)
    .where('warehouse_id', '=', warehouseId)
    .where(sql<boolean>`on_hand - allocated >= ${quantity}`)
    .executeTakeFirst();
  return changed(r);
}

/** Promises available units to an order; false when fewer are available (nothing changes then). */
export async function reserve(tx: Tx, skuId: string, warehouseId: string, quantity: number, now: string): Promise<boolean> {
  const r = await tx
    .updateTable('stock_level')
    .set({ allocated: sql`allocated + ${quantity}`, updated_at: now })
    .where('sku_id', '=', skuId)
    .where('warehouse_id', '=', warehouseId)
    .where(sql<boolean>`on_hand - allocated >= ${quantity}`)
    .executeTakeFirst();
  return changed(r);
}

/**
 * Reserves many (SKU, warehouse, quantity) at once in ONE conditional statement per 300 pairs: either every pair
 * had the units available and all are reserved, or the caller learns some did not (false) and must roll back.
 */
export async function reserveMany(
  tx: Tx,
  items: readonly { skuId: string; warehouseId: string; quantity: number }[],
  now: string,
): Promise<boolean> {
  return updateEveryRow(tx, mergePairs(items), (chunk) => reservation(chunk, now).update);
}

/**
 * reserveMany as one statement for `store.insertAll`'s guard (intake writes its reservations and its rows in one
 * round trip): it must change one row per SKU and warehouse, else some stock was not free.
 */
export function reservationGuard(items: readonly { skuId: string; warehouseId: string; quantity: number }[], now: string): UpdateGuard | undefined {
  const pairs = mergePairs(items);
  return pairs.length === 0 ? undefined : reservation(pairs, now);
}

function mergePairs(items: readonly { skuId: string; warehouseId: string; quantity: number }[]) {
  const merged = new Map<string, { skuId: string; warehouseId: string; quantity: number }>();
  for (const i of items) {
    const key = `${i.skuId}|${i.warehouseId}`;
    const m = merged.get(key);
    if (m) m.quantity += i.quantity;
    else merged.set(key, { ...i });
  }
  return [...merged.values()];
}

function reservation(pairs: readonly { skuId: string; warehouseId: string; quantity: number }[], now: string): UpdateGuard {
  // VALUES columns are column1..3 on both engines; parameters arrive untyped on PostgreSQL, hence the casts.
  const values = sql.join(pairs.map((p) => sql`(${p.skuId}, ${p.warehouseId}, ${p.quantity})`));
  const update = sql`
    update stock_level set allocated = allocated + cast(v.column3 as bigint), updated_at = ${now}
    from (values ${values}) as v
    where stock_level.sku_id = v.column1 and stock_level.warehouse_id = v.column2
      and stock_level.on_hand - stock_level.allocated >= cast(v.column3 as bigint)`;
  return { update, rows: pairs.length };
}

/** Takes back a promise of units (a cancellation); they become available again. */
export async function release(tx: Tx, skuId: string, warehouseId: string, quantity: number, now: string): Promise<boolean> {
  const r = await tx
    .updateTable('stock_level')
    .set({ allocated: sql`allocated - ${quantity}`, updated_at: now })
    .where('sku_id', '=', skuId)
    .where('warehouse_id', '=', warehouseId)
    .where('allocated', '>=', quantity)
    .executeTakeFirst();
  return changed(r);
}

/**
 * Ships promised units: they leave on-hand and the promise is kept. Many SKU x warehouse pairs (repeated pairs
 * summed), one statement each 300 pairs: false unless every pair had the units allocated.
 */
export async function shipAllocatedMany(tx: Tx, items: readonly { skuId: string; warehouseId: string; quantity: number }[], now: string): Promise<boolean> {
  return updateEveryRow(tx, mergePairs(items), (chunk) => {
    const values = sql.join(chunk.map((p) => sql`(${p.skuId}, ${p.warehouseId}, ${p.quantity})`));
    return sql`
      update stock_level set on_hand = on_hand - cast(v.column3 as bigint), allocated = allocated - cast(v.column3 as bigint),
        updated_at = ${now}
      from (values ${values}) as v
      where stock_level.sku_id = v.column1 and stock_level.warehouse_id = v.column2
        and stock_level.allocated >= cast(v.column3 as bigint)`;
  });
}

export async function insertMovements(tx: Tx, rows: MovementRow[]): Promise<void> {
  if (rows.length > 0) await tx.insertInto('movement').values(rows).execute();
}

export async function findLevel(tx: Tx, skuId: string, warehouseId: string): Promise<LevelRow | undefined> {
  return tx
    .selectFrom('stock_level')
    .selectAll()
    .where('sku_id', '=', skuId)
    .where('warehouse_id', '=', warehouseId)
    .executeTakeFirst();
}

export async function levelsForSkus(tx: Tx, skuIds: readonly string[]): Promise<LevelRow[]> {
  if (skuIds.length === 0) return [];
  return levelsQuery(tx, skuIds).execute();
}

/** The levels of some SKUs (at least one), for `store.readMany`. */
export const levelsQuery = (tx: Tx, skuIds: readonly string[]) => tx.selectFrom('stock_level').selectAll().where('sku_id', 'in', [...new Set(skuIds)]);

export interface LevelFilter {
  skuId?: string | undefined;
  warehouseId?: string | undefined;
}

export async function listLevels(tx: Tx, filter: LevelFilter, after: string | null, limit: number): Promise<LevelRow[]> {
  let q = tx.selectFrom('stock_level').selectAll();
  if (filter.skuId) q = q.where('sku_id', '=', filter.skuId);
  if (filter.warehouseId) q = q.where('warehouse_id', '=', filter.warehouseId);
  if (after !== null) {
    // Catalog ids cannot contain '|', so the cursor splits back into the (sku, warehouse) pair it came from.
    const [sku = '', wh = ''] = after.split('|');
    q = q.where(sql<boolean>`(sku_id, warehouse_id) > (${sku}, ${wh})`);
  }
  return q.orderBy('sku_id').orderBy('warehouse_id').limit(limit + 1).execute();
}

export interface SkuTotalRow {
  sku_id: string;
  on_hand: number;
  allocated: number;
}

/** Totals per SKU over all warehouses. */
export async function totalsBySku(tx: Tx, skuId: string | undefined, after: string | null, limit: number): Promise<SkuTotalRow[]> {
  let q = tx
    .selectFrom('stock_level')
    .select(['sku_id'])
    .select((eb) => [eb.fn.sum<number>('on_hand').as('on_hand'), eb.fn.sum<number>('allocated').as('allocated')])
    .groupBy('sku_id');
  if (skuId) q = q.where('sku_id', '=', skuId);
  if (after !== null) q = q.where('sku_id', '>', after);
  const rows = await q.orderBy('sku_id').limit(limit + 1).execute();
  return rows.map((r) => ({ sku_id: r.sku_id, on_hand: Number(r.on_hand), allocated: Number(r.allocated) }));
}

export async function listMovements(tx: Tx, filter: LevelFilter, after: string | null, limit: number): Promise<MovementRow[]> {
  let q = tx.selectFrom('movement').selectAll();
  if (filter.skuId) q = q.where('sku_id', '=', filter.skuId);
  if (filter.warehouseId) q = q.where('warehouse_id', '=', filter.warehouseId);
  if (after !== null) q = q.where('id', '>', after);
  return q.orderBy('id').limit(limit + 1).execute();
}

export interface LedgerMismatch {
  sku_id: string;
  warehouse_id: string;
  on_hand: number;
  ledger: number;
}

/** Levels whose on-hand differs from the sum of their ledger: must always be empty. */
export async function ledgerMismatches(tx: Tx): Promise<LedgerMismatch[]> {
  const rows = await tx
    .selectFrom('stock_level as l')
    .leftJoin(
      (eb) =>
        eb
          .selectFrom('movement')
          .select(['sku_id', 'warehouse_id'])
          .select((e) => e.fn.sum<number>('quantity').as('total'))
          .groupBy(['sku_id', 'warehouse_id'])
          .as('m'),
      (join) => join.onRef('m.sku_id', '=', 'l.sku_id').onRef('m.warehouse_id', '=', 'l.warehouse_id'),
    )
    .select(['l.sku_id', 'l.warehouse_id', 'l.on_hand', 'm.total'])
    .execute();
  return rows
    .map((r) => ({ sku_id: r.sku_id, warehouse_id: r.warehouse_id, on_hand: Number(r.on_hand), ledger: Number(r.total ?? 0) }))
    .filter((r) => r.on_hand !== r.ledger);
}
