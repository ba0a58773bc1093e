import type { Kysely } from 'kysely';

/**
 * The waiting queue of a SKU in FIFO order, straight from an index: re-projection reads it for every change, and
 * without it each read sorts the whole queue (PostgreSQL under its text collation).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('backorder_queue').on('backorder').columns(['sku_id', 'status', 'placed_at', 'id']).execute();
  await db.schema.dropIndex('backorder_sku_status').execute();
}
