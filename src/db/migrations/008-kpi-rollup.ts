import type { Kysely } from 'kysely';

/**
 * Folded KPI day facts (src/kpis/rollup.ts): one row per kind of fact, slicing, slice key and day, its sums as JSON.
 * The watermark (the first day not folded) lives in the settings table.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('kpi_day')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('dim', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('kpi_day_pk', ['kind', 'dim', 'day', 'key'])
    .execute();
}
