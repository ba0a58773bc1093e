import type { Kysely } from 'kysely';

/**
 * Periodic background jobs shared by every process on the store (src/jobs/claims.ts): one row per job says when its
 * next round is due and which process claimed the last one. A process runs a round only if its conditional update
 * moved `due_at` forward, so however many workers tick, each round runs once.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('job_claim')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('due_at', 'text', (c) => c.notNull())
    .addColumn('holder', 'text')
    .addColumn('claimed_at', 'text')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('job_claim').execute();
}
