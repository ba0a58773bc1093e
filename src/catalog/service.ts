/** Catalog use cases: create, update, get, list for SKUs, warehouses and customers. One transaction each. */
import { iso } from '../shared/clock.js';
import { resumeAfter, toPage, type Page } from '../shared/pagination.js';
import { fail, ok, type Result } from '../shared/result.js';
import type { AppContext } from '../main/context.js';
import type { CatalogRows, CatalogTable } from './repository.js';
import type { Tx } from '../db/connect.js';
import * as repo from './repository.js';
import type { EntityDef } from './entities.js';
import { runCommand, type IdempotencyKey } from '../idempotency/command.js';

export interface ListQuery {
  cursor?: string | undefined;
  limit: number;
}

/** The stored entry with `patch` applied (fields left out keep their value), checked by the entity's rules. */
export function mergeInto<T extends CatalogTable, E extends { id: string }, I extends { id: string }>(
  def: EntityDef<T, E, I>,
  current: CatalogRows[T],
  patch: Partial<I>,
): Result<I> {
  const merged = { ...(def.fromRow(current) as unknown as I), ...patch, id: current.id } as I;
  const invalid = def.check(merged);
  return invalid ? { ok: false, error: invalid } : ok(merged);
}

/** Writes a merged entry over the stored one (keeping its creation time) and runs what else must change with it. */
export async function saveUpdate<T extends CatalogTable, E extends { id: string }, I extends { id: string }>(
  ctx: AppContext,
  tx: Tx,
  def: EntityDef<T, E, I>,
  merged: I,
  current: CatalogRows[T],
  now: string,
): Promise<E> {
  const row = def.toRow(merged, (current as { created_at: string }).created_at, now);
  await repo.updateById(tx, def.table, current.id, row);
  const updated = def.fromRow(row);
  await def.afterUpdate?.(ctx, tx, updated);
  return updated;
}

/** The four use cases of one catalog entity, built from its definition so all three behave alike. */
export function catalogService<T extends CatalogTable, E extends { id: string }, I extends { id: string }>(
  def: EntityDef<T, E, I>,
) {
  const notFound = (id: string) => fail<E>('not_found', `${def.noun} '${id}' not found`, { field: 'id' });

  return {
    create(ctx: AppContext, input: I, idem?: IdempotencyKey): Promise<Result<E>> {
      const invalid = def.check(input);
      if (invalid) return Promise.resolve({ ok: false, error: invalid });
      return runCommand(ctx, idem, async (tx) => {
        const now = iso(ctx.clock.now());
        const row = def.toRow(input, now, now);
        if (!(await repo.insertIfAbsent(tx, def.table, row))) {
          return fail('already_exists', `${def.noun} '${input.id}' already exists`, { field: 'id' });
        }
        return ok(def.fromRow(row));
      });
    },

    /** Applies the given fields; fields left out keep their value. */
    update(ctx: AppContext, id: string, patch: Partial<Omit<I, 'id'>>): Promise<Result<E>> {
      return ctx.store.transaction(async (tx) => {
        const current = await repo.findById(tx, def.table, id);
        if (!current) return notFound(id);
        const merged = mergeInto(def, current, patch);
        if (!merged.ok) return merged;
        return ok(await saveUpdate(ctx, tx, def, merged.value, current, iso(ctx.clock.now())));
      });
    },

    async get(ctx: AppContext, id: string): Promise<Result<E>> {
      const row = await repo.findById(ctx.store.db, def.table, id);
      return row ? ok(def.fromRow(row)) : notFound(id);
    },

    async list(ctx: AppContext, query: ListQuery): Promise<Result<Page<E>>> {
      const resumed = resumeAfter(query.cursor);
      if (!resumed.ok) return resumed;
      const rows = await repo.listAfter(ctx.store.db, def.table, resumed.value, query.limit);
      return ok(toPage(rows, query.limit, (r) => r.id, (r) => def.fromRow(r)));
    },
  };
}
