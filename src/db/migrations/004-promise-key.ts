import type { Kysely } from 'kysely';

/**
 * A short fingerprint of each backorder's stored promise (date, confidence, confirmed, basis), so re-projecting a
 * long queue compares a few bytes per backorder instead of reading every promise's basis back.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('backorder').addColumn('promise_key', 'text').execute();
}
