/**
 * The catalogue kinds of `raincheck import`: SKUs, warehouses, customers, suppliers. Rows are checked by the same
 * zod fields as the API's POST (so a file and a request are refused for the same reasons) and by the entity's own
 * rules, then written in batches inside the import's one transaction: a new id is inserted, an existing one is
 * updated only when a value differs (so importing the same file again changes nothing), through the entity's
 * afterUpdate (a supplier's new lead time re-promises its SKUs, as through the API).
 */
import { z } from 'zod';
import type { Tx } from '../db/connect.js';
import type { AppContext } from '../main/context.js';
import { catalogId } from '../main/http-schemas.js';
import type { EntityDef } from '../catalog/entities.js';
import type { CatalogTable } from '../catalog/repository.js';
import * as repo from '../catalog/repository.js';
import { mergeInto, saveUpdate } from '../catalog/service.js';
import type { Failure } from '../shared/result.js';

/** How a CSV cell becomes a JSON value before the schema sees it. */
export type CellType = 'string' | 'number' | 'boolean' | 'list';

export interface ImportCounts {
  created: number;
  updated: number;
  unchanged: number;
  /** Rows that are not what the kind imports (an order history's cancellations and returns): read, not written. */
  skipped?: number;
}

/** A row that passed the file's checks, with where it came from (pass 2 may still find it wrong against the store). */
export interface ImportRow<I> {
  line: number;
  input: I;
}

/** A row the store refuses in pass 2 (an unknown reference, stock below what is promised): the whole file rolls back. */
export interface StoreProblem {
  line: number;
  /** The field at fault; the runner names its column. */
  field: string | null;
  message: string;
}

export interface ImportKind<I extends object = object> {
  /** Field -> how its cell is read. */
  columns: Record<string, CellType>;
  schema: z.ZodType<I>;
  /** What makes two rows the same thing, in words (a second one in a file is a bad row), and the field that says it. */
  key(input: I): string;
  keyField: string;
  /** Many rows may share a key (an order's lines): no 'appears earlier in the file' check. */
  repeatsKey?: boolean;
  /** Rules across fields (after the schema): null when the row is fine. */
  check(input: I): Failure | null;
  /** `run` lives for one attempt of the import's transaction: what earlier batches of this file made. */
  apply(ctx: AppContext, tx: Tx, rows: readonly ImportRow<I>[], counts: ImportCounts, run: Map<string, unknown>): Promise<StoreProblem | null>;
  /** Runs once the import committed (not on a dry run). */
  afterImport?(ctx: AppContext, counts: ImportCounts): Promise<void>;
}

/** Every column of `a` equal in `b` (key order and the engines' number types aside): a re-imported row that changes nothing. */
export const sameRow = (a: Record<string, unknown>, b: Record<string, unknown>) => Object.keys(a).every((k) => String(a[k] ?? null) === String(b[k] ?? null));

export function catalogKind<T extends CatalogTable, E extends { id: string }, I extends { id: string }>(
  def: EntityDef<T, E, I>,
  fields: z.ZodRawShape,
  defaults: z.ZodRawShape,
  columns: Record<string, CellType>,
): ImportKind<I> {
  return {
    columns: { id: 'string', ...columns },
    schema: z.object({ id: catalogId, ...fields, ...defaults }).strict() as unknown as z.ZodType<I>,
    key: (input) => `id '${input.id}'`,
    keyField: 'id',
    check: (input) => def.check(input),
    async apply(ctx, tx, rows, counts) {
      const now = ctx.clock.now().toISOString();
      const existing = new Map((await repo.findByIds(tx, def.table, rows.map((r) => r.input.id))).map((r) => [r.id, r]));
      const fresh = [];
      for (const { line, input } of rows) {
        const current = existing.get(input.id);
        if (!current) {
          fresh.push(def.toRow(input, now, now));
          continue;
        }
        // Checked as the API checks a PATCH: the row's fields over the stored ones (a file's policy change may not
        // leave a stored cap that only another policy allows).
        const merged = mergeInto(def, current, input);
        if (!merged.ok) return { line, field: merged.error.field ?? null, message: `${merged.error.message} (with what '${input.id}' has stored)` };
        const unchangedRow = def.toRow(merged.value, (current as { created_at: string }).created_at, (current as { updated_at: string }).updated_at);
        if (sameRow(unchangedRow as Record<string, unknown>, current as Record<string, unknown>)) {
          counts.unchanged++;
          continue;
        }
        await saveUpdate(ctx, tx, def, merged.value, current, now);
        counts.updated++;
      }
      await repo.insertManyIfAbsent(tx, def.table, fresh);
      counts.created += fresh.length;
      return null;
    },
  };
}

