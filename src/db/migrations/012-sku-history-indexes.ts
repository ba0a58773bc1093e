import { sql, type Kysely } from 'kysely';

/**
 * Indexes a year of orders needs (a replay, an imported history), where small stores got away with scans: root-cause
 * attribution reads one SKU's recent order lines (a third of a replay's time scanned order_line); planning reads
 * the demand of orders placed in a window (it scanned every allocation at each review); the replay ships what is
 * still allocated each day (a partial index: most allocations have shipped).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('order_line_sku_placed').on('order_line').columns(['sku_id', 'placed_at']).execute();
  await db.schema.createIndex('sales_order_placed').on('sales_order').columns(['placed_at']).execute();
  await db.schema.createIndex('allocation_open').on('allocation').columns(['order_id', 'warehouse_id']).where(sql.ref('quantity'), '>', 0).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('allocation_open').execute();
  await db.schema.dropIndex('sales_order_placed').execute();
  await db.schema.dropIndex('order_line_sku_placed').execute();
}
