import type { Kysely } from 'kysely';

/**
 * Processing runs (src/allocation/run-commit.ts): one row per committed run (who, when, strategy, how it went) and
 * one row per backorder x warehouse allocation it changed, with the strategy's rank and reason: what the run did and
 * why, for `GET /allocation/runs/{id}` (by SKU then rank: the order a run writes them in, so its inserts append).
 * A backorder's own story is in its events (`GET /backorders/{id}/explain`). `schedule_key` is the day of a scheduled
 * run (unique), so two workers can never start the same night's run twice.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('allocation_run')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('strategy', 'text', (c) => c.notNull())
    .addColumn('config', 'text')
    .addColumn('sku_ids', 'text')
    .addColumn('transit_days', 'integer')
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('schedule_key', 'text', (c) => c.unique())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('skus', 'integer', (c) => c.notNull())
    .addColumn('skus_done', 'integer', (c) => c.notNull())
    .addColumn('backorders', 'integer', (c) => c.notNull())
    .addColumn('changes', 'integer', (c) => c.notNull())
    .addColumn('units_gained', 'integer', (c) => c.notNull())
    .addColumn('units_lost', 'integer', (c) => c.notNull())
    .addColumn('customers_affected', 'integer', (c) => c.notNull())
    .addColumn('transfers', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute();
  await db.schema.createIndex('allocation_run_started').on('allocation_run').columns(['started_at']).execute();

  await db.schema
    .createTable('allocation_run_change')
    .addColumn('run_id', 'text', (c) => c.notNull().references('allocation_run.id'))
    .addColumn('sku_id', 'text', (c) => c.notNull())
    .addColumn('backorder_id', 'text', (c) => c.notNull())
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('warehouse_id', 'text', (c) => c.notNull())
    .addColumn('before', 'integer', (c) => c.notNull())
    .addColumn('after', 'integer', (c) => c.notNull())
    .addColumn('rank', 'integer', (c) => c.notNull())
    .addColumn('competing', 'integer', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('promised_before', 'text')
    .addColumn('promised_after', 'text')
    .addPrimaryKeyConstraint('allocation_run_change_pk', ['run_id', 'sku_id', 'rank', 'warehouse_id'])
    .execute();
}
