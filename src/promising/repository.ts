/** SQL for promises: the waiting queue of SKUs with their current promises, and writing changed promises. */
import { sql } from 'kysely';
import type { Store, Tx } from '../db/connect.js';
import type { Snapshot } from './snapshot.js';
import type { WaitingDemand } from '../allocation/strategies.js';

/** A waiting backorder as the projection takes it, with what is stored of its current promise. */
export interface QueuedBackorder extends WaitingDemand {
  skuId: string;
  /** Whose backorder it is: the facts of a changed promise carry them, so messages need no lookup. */
  customerId: string;
  promisedDate: string | null;
  promiseKey: string | null;
}

/** Backorders still waiting for units, of the given SKUs (or all), in FIFO order: only what a projection needs. */
export async function waitingQueue(store: Store, tx: Tx, skuIds: readonly string[] | 'all', withTier = true): Promise<QueuedBackorder[]> {
  let q = tx
    .selectFrom('backorder as b')
    .select(['b.id', 'b.sku_id', 'b.warehouse_id', 'b.flexible', 'b.placed_at', 'b.promised_date', 'b.promise_key', 'b.order_id', 'b.customer_id'])
    .select(sql<number>`b.quantity - b.allocated - b.fulfilled - b.cancelled`.as('waiting'))
    .where('b.status', 'in', ['open', 'partially_allocated'])
    .orderBy('b.placed_at')
    .orderBy('b.id');
  if (skuIds !== 'all') {
    if (skuIds.length === 0) return [];
    q = q.where('b.sku_id', 'in', [...new Set(skuIds)]);
  }
  const query = withTier ? q.innerJoin('customer as c', 'c.id', 'b.customer_id').select('c.tier as customer_tier') : q.select(sql<number>`0`.as('customer_tier'));
  // Tens of thousands of rows on a re-projection: read them as arrays, then build exactly one object each.
  const rows = await store.selectArrays(tx, query);
  return rows.map((r) => ({
    backorderId: r[0] as string,
    orderId: r[7] as string,
    customerId: r[8] as string,
    skuId: r[1] as string,
    warehouseId: r[2] as string,
    flexible: Number(r[3]) === 1,
    placedAt: r[4] as string,
    promisedDate: r[5] as string | null,
    promiseKey: r[6] as string | null,
    waiting: Number(r[9]),
    customerTier: Number(r[10]),
  }));
}

export interface PromiseWrite {
  id: string;
  promised_date: string | null;
  promise_confidence: number;
  promise_confirmed: number;
  promise_basis: string;
  promise_key: string;
}

/** Writes many promises, 300 rows per statement (a supplier-wide delay can move a hundred thousand). */
export async function writePromises(tx: Tx, writes: readonly PromiseWrite[]): Promise<void> {
  for (let at = 0; at < writes.length; at += 300) {
    const chunk = writes.slice(at, at + 300);
    const values = sql.join(
      chunk.map((w) => sql`(${w.id}, ${w.promised_date}, ${w.promise_confidence}, ${w.promise_confirmed}, ${w.promise_basis}, ${w.promise_key})`),
    );
    // VALUES columns are column1..6 on both engines; PostgreSQL receives the parameters untyped, hence the casts.
    await sql`
      update backorder set
        promised_date = v.column2,
        promise_confidence = cast(v.column3 as double precision),
        promise_confirmed = cast(v.column4 as integer),
        promise_basis = v.column5,
        promise_key = v.column6,
        first_promised_date = coalesce(first_promised_date, v.column2)
      from (values ${values}) as v
      where backorder.id = v.column1`.execute(tx);
  }
}

/** The stored snapshot of each SKU that has one (see snapshot.ts). */
export async function projectionSnapshots(tx: Tx, skuIds: readonly string[]): Promise<Map<string, Snapshot>> {
  if (skuIds.length === 0) return new Map();
  return snapshotsFrom(await projectionsQuery(tx, skuIds).execute());
}

/** The stored projections of some SKUs (at least one), for `store.readMany`; snapshotsFrom reads its rows. */
export const projectionsQuery = (tx: Tx, skuIds: readonly string[]) => tx.selectFrom('sku_projection').selectAll().where('sku_id', 'in', [...new Set(skuIds)]);

export const snapshotsFrom = (rows: readonly { sku_id: string; remaining: string }[]): Map<string, Snapshot> =>
  new Map(rows.map((r) => [r.sku_id, parseSnapshot(r.sku_id, r.remaining)]));

// A hot SKU's snapshot is read by every quote and order until it changes: parse each version once. Comparing the
// stored text with the cached text costs far less than parsing hundreds of lots again.
const parsed = new Map<string, { text: string; snapshot: Snapshot }>();
function parseSnapshot(skuId: string, text: string): Snapshot {
  const hit = parsed.get(skuId);
  if (hit && hit.text === text) return hit.snapshot;
  const snapshot = JSON.parse(text) as Snapshot;
  if (parsed.size >= 2000) parsed.clear();
  parsed.set(skuId, { text, snapshot });
  return snapshot;
}

export async function saveProjectionSnapshots(tx: Tx, remainders: ReadonlyMap<string, Snapshot>, now: string): Promise<void> {
  if (remainders.size === 0) return;
  const rows = [...remainders].map(([sku_id, r]) => ({ sku_id, remaining: JSON.stringify(r), updated_at: now }));
  for (let i = 0; i < rows.length; i += 500) {
    await tx
      .insertInto('sku_projection')
      .values(rows.slice(i, i + 500))
      .onConflict((oc) => oc.column('sku_id').doUpdateSet((eb) => ({ remaining: eb.ref('excluded.remaining'), updated_at: eb.ref('excluded.updated_at') })))
      .execute();
  }
}

export async function dropProjections(tx: Tx, skuIds: readonly string[] | 'idle'): Promise<void> {
  if (skuIds === 'idle') {
    // Every SKU with nothing waiting: its stored remainder describes a queue that no longer exists.
    // NOT EXISTS, not NOT IN: it probes the (sku_id, status) index per row instead of comparing against every
    // waiting backorder (PostgreSQL took 15 s at 100,000 backorders with NOT IN).
    await tx
      .deleteFrom('sku_projection')
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('backorder')
              .select('backorder.id')
              .whereRef('backorder.sku_id', '=', 'sku_projection.sku_id')
              .where('backorder.status', 'in', ['open', 'partially_allocated']),
          ),
        ),
      )
      .execute();
  } else if (skuIds.length > 0) {
    await tx.deleteFrom('sku_projection').where('sku_id', 'in', [...new Set(skuIds)]).execute();
  }
}
