/** Checks that ids given in a request name catalog entries; a missing one is a 422 naming the field at fault. */
import type { Tx } from '../db/connect.js';
import { fail, ok, type Result } from '../shared/result.js';
import * as repo from './repository.js';
import type { CatalogRows, CatalogTable } from './repository.js';

const nouns: Record<CatalogTable, string> = { sku: 'SKU', warehouse: 'warehouse', customer: 'customer', supplier: 'supplier' };

/** The row of `id`, or an unknown_reference failure that names `field`. */
export async function requireRef<T extends CatalogTable>(
  tx: Tx,
  table: T,
  id: string,
  field: string,
): Promise<Result<CatalogRows[T]>> {
  const row = await repo.findById(tx, table, id);
  return row ? ok(row) : fail('unknown_reference', `${nouns[table]} '${id}' does not exist`, { field, details: { [field]: id } });
}

/** Rows for many ids at once; the first missing id fails with the field it came from. */
export async function requireRefs<T extends CatalogTable>(
  tx: Tx,
  table: T,
  refs: readonly { id: string; field: string }[],
): Promise<Result<Map<string, CatalogRows[T]>>> {
  return matchRefs(table, await repo.findByIds(tx, table, refs.map((r) => r.id)), refs);
}

/** Matches rows already read (e.g. under a lock) to the ids a request named. */
export function matchRefs<T extends CatalogTable>(
  table: T,
  rows: readonly CatalogRows[T][],
  refs: readonly { id: string; field: string }[],
): Result<Map<string, CatalogRows[T]>> {
  const byId = new Map(rows.map((r) => [r.id, r]));
  const missing = refs.find((r) => !byId.has(r.id));
  if (missing) {
    return fail('unknown_reference', `${nouns[table]} '${missing.id}' does not exist`, {
      field: missing.field,
      details: { [missing.field]: missing.id },
    });
  }
  return ok(byId);
}
