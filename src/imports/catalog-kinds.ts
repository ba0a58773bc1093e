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
import { customerDef, skuDef, supplierDef, warehouseDef, type EntityDef } from '../catalog/entities.js';
import type { CatalogTable } from '../catalog/repository.js';
import * as repo from '../catalog/repository.js';
import { customerDefaults, customerFields, skuFields, supplierFields, warehouseFields } from '../catalog/routes.js';
import type { Failure } from '../shared/result.js';

/** How a CSV cell becomes a JSON value before the schema sees it. */
export type CellType = 'string' | 'number' | 'boolean' | 'list';

export interface ImportCounts {
  created: number;
  updated: number;
  unchanged: number;
}

export interface ImportKind {
  /** Field -> how its cell is read; `id` first. */
  columns: Record<string, CellType>;
  schema: z.ZodType<{ id: string }>;
  /** Rules across fields (after the schema): null when the row is fine. */
  check(input: { id: string }): Failure | null;
  apply(ctx: AppContext, tx: Tx, inputs: readonly { id: string }[], counts: ImportCounts): Promise<void>;
}

/** Equal column by column (key order and the engines' number types aside). */
const sameRow = (a: Record<string, unknown>, b: Record<string, unknown>) => Object.keys(a).every((k) => String(a[k] ?? null) === String(b[k] ?? null));

function catalogKind<T extends CatalogTable, E extends { id: string }, I extends { id: string }>(
  def: EntityDef<T, E, I>,
  fields: z.ZodRawShape,
  defaults: z.ZodRawShape,
  columns: Record<string, CellType>,
): ImportKind {
  return {
    columns: { id: 'string', ...columns },
    schema: z.object({ id: catalogId, ...fields, ...defaults }).strict() as unknown as z.ZodType<{ id: string }>,
    check: (input) => def.check(input as I),
    async apply(ctx, tx, inputs, counts) {
      const now = ctx.clock.now().toISOString();
      const existing = new Map((await repo.findByIds(tx, def.table, inputs.map((i) => i.id))).map((r) => [r.id, r]));
      const fresh = [];
      for (const input of inputs as readonly I[]) {
        const current = existing.get(input.id);
        if (!current) {
          fresh.push(def.toRow(input, now, now));
          continue;
        }
        const createdAt = (current as { created_at: string }).created_at;
        const updatedAt = (current as { updated_at: string }).updated_at;
        const row = def.toRow({ ...(def.fromRow(current) as unknown as I), ...input }, createdAt, updatedAt);
        if (sameRow(row as Record<string, unknown>, current as Record<string, unknown>)) {
          counts.unchanged++;
          continue;
        }
        const changed = def.toRow({ ...(def.fromRow(current) as unknown as I), ...input }, createdAt, now);
        await repo.updateById(tx, def.table, input.id, changed);
        await def.afterUpdate?.(ctx, tx, def.fromRow(changed));
        counts.updated++;
      }
      await repo.insertManyIfAbsent(tx, def.table, fresh);
      counts.created += fresh.length;
    },
  };
}

export const importKinds = {
  skus: catalogKind(skuDef, skuFields, {}, { name: 'string', unitCostMinor: 'number', backorderPolicy: 'string', backorderCap: 'number', backorderHorizonDays: 'number' }),
  warehouses: catalogKind(warehouseDef, warehouseFields, {}, { name: 'string', regions: 'list', priority: 'number' }),
  customers: catalogKind(customerDef, customerFields, customerDefaults, { name: 'string', email: 'string', region: 'string', tier: 'number', acceptsPartial: 'boolean', language: 'string' }),
  suppliers: catalogKind(supplierDef, supplierFields, {}, { name: 'string', defaultLeadTimeDays: 'number' }),
} as const;

export type ImportKindName = keyof typeof importKinds;
