/** SQL for the outbox: writing messages with their cause, claiming due ones, and recording each attempt. */
import { sql, type Selectable } from 'kysely';
import type { Store, Tx } from '../db/connect.js';
import type { MessageTable } from '../db/schema.js';

export type MessageRow = Selectable<MessageTable>;

const columns = [
  'id', 'channel', 'audience', 'rule', 'template', 'recipient', 'subscription_id', 'order_id', 'customer_id', 'backorder_id', 'sku_id',
  'vars', 'playbook_version', 'dedupe_key', 'status', 'attempts', 'next_attempt_at', 'created_at', 'updated_at',
] as const satisfies readonly (keyof MessageTable)[];
type NewRow = { [K in (typeof columns)[number]]: MessageTable[K] };
export type NewMessage = NewRow;

/**
 * Inserts messages; one whose dedupe key exists is skipped (a time-based rule that fired before). Plain SQL with
 * a fixed column list: re-promising can queue thousands of messages in one transaction, and building them through
 * the query builder cost more than writing them.
 */
export async function insertMessages(tx: Tx, rows: readonly NewMessage[]): Promise<void> {
  const names = sql.join(columns.map((c) => sql.ref(c)));
  for (let at = 0; at < rows.length; at += 300) {
    const values = sql.join(rows.slice(at, at + 300).map((r) => sql`(${sql.join(columns.map((c) => r[c]))})`));
    await sql`insert into message (${names}) values ${values} on conflict (dedupe_key) do nothing`.execute(tx);
  }
}

/**
 * Takes up to `limit` due messages for this worker: pending ones whose time has come, and `sending` ones whose
 * worker's lease ran out (it died mid-delivery). On PostgreSQL, SKIP LOCKED lets many workers claim side by side.
 */
export async function claimDue(store: Store, tx: Tx, now: string, leaseUntil: string, limit: number, channel?: MessageTable['channel']): Promise<MessageRow[]> {
  let q = tx
    .selectFrom('message')
    .select('id')
    .where((eb) => eb.or([eb('status', '=', 'pending'), eb.and([eb('status', '=', 'sending'), eb('lease_until', '<', now)])]))
    .where('next_attempt_at', '<=', now)
    .orderBy('next_attempt_at')
    .limit(limit);
  if (channel) q = q.where('channel', '=', channel);
  if (store.dialect === 'postgres') q = q.forUpdate().skipLocked();
  const ids = (await q.execute()).map((r) => r.id);
  if (ids.length === 0) return [];
  return tx
    .updateTable('message')
    .set({ status: 'sending', lease_until: leaseUntil, attempts: sql`attempts + 1`, updated_at: now })
    .where('id', 'in', ids)
    .returningAll()
    .execute();
}

export interface Rendered {
  recipient: string;
  language: string | null;
  subject: string | null;
  body_text: string | null;
  body_html: string | null;
}

/** Records an acknowledged delivery; only the worker that holds this attempt may (a stale one changes nothing). */
export async function markDelivered(tx: Tx, m: Pick<MessageRow, 'id' | 'attempts'>, rendered: Rendered, now: string): Promise<boolean> {
  const r = await tx
    .updateTable('message')
    .set({ ...rendered, status: 'delivered', delivered_at: now, lease_until: null, last_error: null, updated_at: now })
    .where('id', '=', m.id)
    .where('status', '=', 'sending')
    .where('attempts', '=', m.attempts)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Records a failed attempt: retried at `retryAt`, or dead-lettered when `retryAt` is null. */
export async function markFailed(tx: Tx, m: Pick<MessageRow, 'id' | 'attempts'>, error: string, retryAt: string | null, now: string, rendered?: Partial<Rendered>): Promise<boolean> {
  const r = await tx
    .updateTable('message')
    .set({
      ...rendered,
      status: retryAt === null ? 'dead' : 'pending',
      next_attempt_at: retryAt ?? now,
      lease_until: null,
      last_error: error.slice(0, 1000),
      updated_at: now,
    })
    .where('id', '=', m.id)
    .where('status', '=', 'sending')
    .where('attempts', '=', m.attempts)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
