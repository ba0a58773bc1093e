/** SQL for the catalog tables (SKUs, warehouses, customers); rows go only to the mappers in entities.ts. */
import type { Kysely, Selectable } from 'kysely';
import type { ReadQuery, Tx } from '../db/connect.js';
import type { CustomerTable, SkuTable, SupplierTable, WarehouseTable } from '../db/schema.js';

export interface CatalogRows {
  sku: Selectable<SkuTable>;
  warehouse: Selectable<WarehouseTable>;
  customer: Selectable<CustomerTable>;
  supplier: Selectable<SupplierTable>;
}
export type CatalogTable = keyof CatalogRows;

// Kysely cannot narrow a generic table name to its row type; this is the one place that gives up that typing,
// and every signature below restores it for callers.
type Row = { id: string };
const loose = (tx: Tx) => tx as unknown as Kysely<{ catalog: Row }>;
const name = (table: CatalogTable) => table as unknown as 'catalog';

/** Inserts unless the id exists; tells which happened without an error, so callers can answer 409. */
export async function insertIfAbsent<T extends CatalogTable>(tx: Tx, table: T, row: CatalogRows[T]): Promise<boolean> {
  const result = await loose(tx)
    .insertInto(name(table))
    .values(row as Row)
    .onConflict((oc) => oc.column('id').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

/** Many rows in one statement; ids that exist are left alone. */
export async function insertManyIfAbsent<T extends CatalogTable>(tx: Tx, table: T, rows: readonly CatalogRows[T][]): Promise<void> {
  if (rows.length === 0) return;
  await loose(tx)
    .insertInto(name(table))
    .values(rows as unknown as Row[])
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

export async function findById<T extends CatalogTable>(tx: Tx, table: T, id: string): Promise<CatalogRows[T] | undefined> {
  return (await tx.executeQuery(byIdQuery(tx, table, id).compile())).rows[0];
}

/** The row with this id (none or one), for `store.readMany`. */
export const byIdQuery = <T extends CatalogTable>(tx: Tx, table: T, id: string): ReadQuery<CatalogRows[T]> =>
  loose(tx).selectFrom(name(table)).selectAll().where('id', '=', id) as unknown as ReadQuery<CatalogRows[T]>;

/** The rows with these ids (at least one) that exist, for `store.readMany`. */
export const byIdsQuery = <T extends CatalogTable>(tx: Tx, table: T, ids: readonly string[]): ReadQuery<CatalogRows[T]> =>
  loose(tx).selectFrom(name(table)).selectAll().where('id', 'in', [...new Set(ids)]) as unknown as ReadQuery<CatalogRows[T]>;

/** Every row in id order, for `store.readMany`. */
export const allQuery = <T extends CatalogTable>(tx: Tx, table: T): ReadQuery<CatalogRows[T]> =>
  loose(tx).selectFrom(name(table)).selectAll().orderBy('id') as unknown as ReadQuery<CatalogRows[T]>;

export async function findByIds<T extends CatalogTable>(tx: Tx, table: T, ids: readonly string[]): Promise<CatalogRows[T][]> {
  if (ids.length === 0) return [];
  return (await tx.executeQuery(byIdsQuery(tx, table, ids).compile())).rows;
}

export async function listAll<T extends CatalogTable>(tx: Tx, table: T): Promise<CatalogRows[T][]> {
  return (await tx.executeQuery(allQuery(tx, table).compile())).rows;
}

/** Up to limit + 1 rows after `after` in id order (the extra row says whether a next page exists). */
export async function listAfter<T extends CatalogTable>(
  tx: Tx,
  table: T,
  after: string | null,
  limit: number,
): Promise<CatalogRows[T][]> {
  let q = loose(tx).selectFrom(name(table)).selectAll();
  if (after !== null) q = q.where('id', '>', after);
  return (await q.orderBy('id').limit(limit + 1).execute()) as CatalogRows[T][];
}

export async function updateById<T extends CatalogTable>(tx: Tx, table: T, id: string, row: CatalogRows[T]): Promise<void> {
  await loose(tx).updateTable(name(table)).set(row as Row).where('id', '=', id).execute();
}
