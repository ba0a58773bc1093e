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
 * Inserts messages; one whose dedupe key exists is skipped (a time-based rule that fired before). Through the
 * store's bulk path: re-promising can queue thousands of messages in one transaction.
 */
export async function insertMessages(store: Store, tx: Tx, rows: readonly NewMessage[]): Promise<void> {
  await store.insertRows(
    tx,
    { table: 'message', columns, skipConflictOn: '(dedupe_key) where dedupe_key is not null' },
    rows.map((r) => columns.map((c) => r[c])),
  );
}

/**
 * Takes up to `limit` due messages of one channel for this worker: pending ones whose time has come, then `sending`
 * ones whose worker's lease ran out (it died mid-delivery). Two index range scans, not one OR: an OR made both
 * engines scan and sort the whole backlog. On PostgreSQL, SKIP LOCKED lets many workers claim side by side. The
 * claimed rows carry the round's `token`, by which releaseClaims finds them even when this call's answer was lost.
 */
export async function claimDue(store: Store, tx: Tx, claim: { now: string; leaseUntil: string; limit: number; channel: MessageTable['channel']; token: string }): Promise<MessageRow[]> {
  const { now, limit, channel } = claim;
  const due = (status: 'pending' | 'sending', n: number) => {
    let q = tx.selectFrom('message').select('id').where('status', '=', status).where('channel', '=', channel).where('next_attempt_at', '<=', now);
    if (status === 'sending') q = q.where('lease_until', '<', now);
    q = q.orderBy('next_attempt_at').limit(n);
    return (store.dialect === 'postgres' ? q.forUpdate().skipLocked() : q).execute();
  };
  const ids = (await due('pending', limit)).map((r) => r.id);
  if (ids.length < limit) ids.push(...(await due('sending', limit - ids.length)).map((r) => r.id));
  if (ids.length === 0) return [];
  return tx
    .updateTable('message')
    .set({ status: 'sending', lease_until: claim.leaseUntil, claim_token: claim.token, attempts: sql`attempts + 1`, updated_at: now })
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

/**
 * Records acknowledged deliveries, many per statement; each only if this worker still holds that attempt (a stale
 * worker changes nothing). Returns how many were recorded.
 */
export async function markDelivered(tx: Tx, done: readonly { m: Pick<MessageRow, 'id' | 'attempts'>; rendered: Rendered }[], now: string): Promise<number> {
  let recorded = 0;
  for (let at = 0; at < done.length; at += 200) {
    const values = sql.join(
      done.slice(at, at + 200).map(({ m, rendered: r }) => sql`(${m.id}, ${m.attempts}, ${r.recipient}, ${r.language}, ${r.subject}, ${r.body_text}, ${r.body_html})`),
    );
    // VALUES columns are column1..7 on both engines; PostgreSQL receives the parameters untyped, hence the cast.
    const result = await sql`
      update message set status = 'delivered', delivered_at = ${now}, lease_until = null, last_error = null, updated_at = ${now},
        recipient = v.column3, language = v.column4, subject = v.column5, body_text = v.column6, body_html = v.column7
      from (values ${values}) as v
      where message.id = v.column1 and message.status = 'sending' and message.attempts = cast(v.column2 as integer)`.execute(tx);
    recorded += Number(result.numAffectedRows ?? 0);
  }
  return recorded;
}

/**
 * Gives back the messages a round claimed but never tried to send (it could not prepare the round, or the claim's
 * answer was lost: the database went away at or right after the claim): pending again at once, the attempt not
 * counted, so they do not wait out the lease. Only those still held by that round; none when its claim never
 * committed. Returns how many.
 */
export async function releaseClaims(tx: Tx, token: string, now: string): Promise<number> {
  const r = await tx
    .updateTable('message')
    .set({ status: 'pending', lease_until: null, attempts: sql`attempts - 1`, updated_at: now })
    .where('claim_token', '=', token)
    .where('status', '=', 'sending')
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
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
