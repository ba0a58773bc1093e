import type { Kysely } from 'kysely';

/**
 * Which delivery round claimed a `sending` message. A claim whose COMMIT reached the database but whose answer was
 * lost (PostgreSQL restarted at that moment) leaves its messages claimed without the worker knowing which: with the
 * round's token it can hand back exactly those, instead of leaving them to wait out the lease.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('message').addColumn('claim_token', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('message').dropColumn('claim_token').execute();
}
