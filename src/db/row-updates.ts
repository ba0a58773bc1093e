/**
 * Conditional UPDATEs over many rows, `update ... from (values ...)` in chunks of 300 (well under the engines' bound
 * parameter limits): each row's condition states the invariant it must keep, so a chunk that changes fewer rows than
 * it has items means some row had changed, and the caller rolls back (and retries).
 */
import type { RawBuilder } from 'kysely';
import type { Tx } from './connect.js';

const chunkSize = 300;

/** Runs `update` on each chunk of `items`; false as soon as a chunk changed fewer rows than it has items. */
export async function updateEveryRow<T>(tx: Tx, items: readonly T[], update: (chunk: readonly T[]) => RawBuilder<unknown>): Promise<boolean> {
  for (let at = 0; at < items.length; at += chunkSize) {
    const chunk = items.slice(at, at + chunkSize);
    const result = await update(chunk).execute(tx);
    if (Number(result.numAffectedRows ?? 0) !== chunk.length) return false;
  }
  return true;
}
