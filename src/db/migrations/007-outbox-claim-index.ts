import type { Kysely } from 'kysely';

/**
 * Each channel is claimed on its own, in due order: (status, channel, next_attempt_at) serves that claim from the
 * index whatever the backlog of the other channel (email waits while no mail server is configured).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('message_due').execute();
  await db.schema.createIndex('message_due').on('message').columns(['status', 'channel', 'next_attempt_at']).execute();
}
