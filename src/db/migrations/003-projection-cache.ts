import type { Kysely } from 'kysely';

/**
 * What each SKU's inbound supply has left after its whole waiting queue: written by every re-projection, consumed
 * by intake and quotes, so a new order joining the end of a FIFO queue is promised without reading the queue.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sku_projection')
    .addColumn('sku_id', 'text', (c) => c.primaryKey().references('sku.id'))
    .addColumn('remaining', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}
