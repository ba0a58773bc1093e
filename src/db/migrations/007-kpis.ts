import { sql, type Kysely } from 'kysely';

/**
 * KPIs and root causes. Each order line keeps its order's time, its home warehouse (the one that served it
 * first, or where it waits) and when it last shipped, so a year of lines is measured in one scan of one table, without a join per line.
 * Each backorder keeps the cause attributed when it was created and the one attributed when it resolved.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('order_line').addColumn('placed_at', 'text').execute();
  await db.schema.alterTable('order_line').addColumn('warehouse_id', 'text').execute();
  await db.schema.alterTable('order_line').addColumn('last_shipped_at', 'text').execute();
  // Lines written before this migration: the order's time; the warehouse they wait at, else the first that served them.
  await sql`update order_line set placed_at = (select o.placed_at from sales_order o where o.id = order_line.order_id)`.execute(db);
  await sql`update order_line set warehouse_id = coalesce(
      (select min(b.warehouse_id) from backorder b where b.order_line_id = order_line.id),
      (select min(a.warehouse_id) from allocation a where a.order_line_id = order_line.id))`.execute(db);
  await sql`update order_line set last_shipped_at = (select max(m.created_at) from movement m
      where m.kind = 'shipment' and m.sku_id = order_line.sku_id
        and m.source_id in (select s.id from shipment s where s.order_id = order_line.order_id))`.execute(db);
  await db.schema.createIndex('order_line_placed').on('order_line').columns(['placed_at']).execute();
  await db.schema.createIndex('movement_created').on('movement').columns(['created_at']).execute();

  for (const column of ['cause', 'cause_detail', 'resolution_cause', 'resolution_detail']) {
    await db.schema.alterTable('backorder').addColumn(column, 'text').execute();
  }
  await db.schema.createIndex('backorder_created').on('backorder').columns(['created_at']).execute();
}
