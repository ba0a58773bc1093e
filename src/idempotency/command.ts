/**
 * Commands with an Idempotency-Key: the key is claimed in the SAME transaction as the work, so a retry returns
 * the first answer and creates nothing new. A retry that arrives while the first attempt is still running waits on
 * the key's row (PostgreSQL's unique index, SQLite's single writer) and then replays the committed answer; if the
 * first attempt failed, nothing was committed and the retry runs the command afresh.
 */
import { createHash } from 'node:crypto';
import type { Tx } from '../db/connect.js';
import { fail, ok, type Result } from '../shared/result.js';
import type { AppContext } from '../main/context.js';

export interface IdempotencyKey {
  /** What the key is for, e.g. `POST /orders`: the same key may be used on different routes. */
  scope: string;
  key: string;
  /** The request as parsed; a retry must send the same one. */
  request: unknown;
  /** Set by runCommand when the answer is a replay of an earlier one. */
  replayed?: boolean;
}

/** JSON with sorted keys, so two equal requests hash alike whatever their key order. */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Runs `fn` in one transaction; with a key, at most once per key. */
export function runCommand<T>(
  ctx: AppContext,
  idem: IdempotencyKey | undefined,
  fn: (tx: Tx) => Promise<Result<T>>,
): Promise<Result<T>> {
  if (!idem) return ctx.store.transaction(fn);
  const hash = createHash('sha256').update(stableStringify(idem.request)).digest('hex');
  return ctx.store.transaction(async (tx) => {
    const claimed = await tx
      .insertInto('idempotency_key')
      .values({ scope: idem.scope, key: idem.key, request_hash: hash, response_body: '', created_at: ctx.clock.now().toISOString() })
      .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
      .executeTakeFirst();
    if (Number(claimed.numInsertedOrUpdatedRows ?? 0) === 0) {
      const first = await tx
        .selectFrom('idempotency_key')
        .select(['request_hash', 'response_body'])
        .where('scope', '=', idem.scope)
        .where('key', '=', idem.key)
        .executeTakeFirstOrThrow();
      if (first.request_hash !== hash) {
        return fail('idempotency_key_reused', `Idempotency-Key '${idem.key}' was already used with a different request`, {
          field: 'Idempotency-Key',
        });
      }
      idem.replayed = true;
      return ok(JSON.parse(first.response_body) as T);
    }
    const result = await fn(tx);
    if (result.ok) {
      await tx
        .updateTable('idempotency_key')
        .set({ response_body: JSON.stringify(result.value) })
        .where('scope', '=', idem.scope)
        .where('key', '=', idem.key)
        .execute();
    }
    return result;
  });
}
