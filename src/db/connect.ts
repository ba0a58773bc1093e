/**
 * The ONLY place that knows which engine is underneath. Everything else talks Kysely against `Database` and uses
 * the few capabilities exposed here (transactions with retry, row locks) so that SQLite and PostgreSQL behave alike.
 */
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteAdapter, SqliteDialect, SqliteDriver, CompiledQuery, sql, type DatabaseConnection, type RawBuilder } from 'kysely';
import pg from 'pg';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Selectable } from 'kysely';
import type { Database, SkuTable } from './schema.js';

export type SkuRow = Selectable<SkuTable>;
import type { Result } from '../shared/result.js';

export type Dialect = 'sqlite' | 'postgres';
export type Tx = Kysely<Database>;

export interface Store {
  readonly dialect: Dialect;
  readonly db: Kysely<Database>;
  /**
   * True when a write transaction excludes every other writer from its first statement (SQLite's BEGIN IMMEDIATE):
   * what it reads before lockSkus is already what it would read after, so there is nothing to read again.
   */
  readonly writersSerialised: boolean;
  /** Runs `fn` in one transaction: commits an ok result, rolls back a failed one, retries transient conflicts. */
  transaction<T>(fn: (tx: Tx) => Promise<Result<T>>): Promise<Result<T>>;
  /**
   * Serialises writers of the given SKUs until the transaction ends (PostgreSQL: row locks taken all at once or not
   * at all, else in id order, so two transactions can never deadlock on them; SQLite's write transaction already
   * excludes every other writer), and returns the SKU rows that exist, read under the lock.
   */
  lockSkus(tx: Tx, skuIds: readonly string[]): Promise<SkuRow[]>;
  /**
   * Inserts several tables' rows, in the order given. PostgreSQL does it in ONE statement (data-modifying CTEs), so a
   * transaction holding locks makes one round trip instead of one per table; SQLite runs them one after another
   * (it has no round trips to save, and no INSERT inside WITH). With a guard (a conditional UPDATE and how many
   * rows it must change: intake's reservations) the update joins that statement; false when it changed fewer rows,
   * and then the caller must roll back (PostgreSQL has inserted the rows; SQLite runs the update first and has not).
   */
  insertAll(tx: Tx, batches: readonly InsertBatch[], guard?: UpdateGuard): Promise<boolean>;
  /**
   * Runs independent reads in ONE statement on PostgreSQL (each query's rows come back as a JSON array: the columns
   * here are text and numbers, which JSON carries unchanged) and one after another on SQLite: for a transaction
   * holding SKU locks, where each round trip lengthens the wait of every order queued behind it. The reads see one
   * snapshot, so on PostgreSQL they must come after the statement that took the locks, never in it. A null query
   * reads nothing (no rows).
   */
  readMany<const Q extends readonly (ReadQuery<unknown> | null)[]>(tx: Tx, queries: Q): Promise<{ [K in keyof Q]: Q[K] extends ReadQuery<infer R> ? R[] : never[] }>;
  /**
   * Rows as arrays, in the select's column order: for reads of tens of thousands of rows, where building an object
   * per row costs more than the read. SQLite steps the statement in raw mode (inside a transaction, which holds the
   * one connection); PostgreSQL takes the objects' values.
   */
  selectArrays(tx: Tx, query: Compilable): Promise<unknown[][]>;
  /**
   * Inserts thousands of rows given as arrays in `columns` order, `ON CONFLICT ... DO NOTHING` when `skipConflictOn`
   * names the (partial) unique index's column and predicate. SQLite runs one prepared single-row statement per row
   * inside the transaction (no SQL to build); PostgreSQL sends multi-row statements.
   */
  insertRows(tx: Tx, into: BulkInsert, rows: readonly (readonly unknown[])[]): Promise<void>;
  close(): Promise<void>;
}

export interface BulkInsert {
  table: keyof Database;
  columns: readonly string[];
  /** e.g. `(dedupe_key) where dedupe_key is not null` */
  skipConflictOn?: string;
}

const bulkSql = (b: BulkInsert, rowCount: number, placeholder: (i: number) => string): string => {
  const width = b.columns.length;
  const rows = Array.from({ length: rowCount }, (_, r) => `(${Array.from({ length: width }, (_, c) => placeholder(r * width + c + 1)).join(', ')})`);
  const conflict = b.skipConflictOn ? ` on conflict ${b.skipConflictOn} do nothing` : '';
  return `insert into ${b.table} (${b.columns.join(', ')}) values ${rows.join(', ')}${conflict}`;
};

export interface Compilable {
  compile(): CompiledQuery;
}

/** A select whose rows are R (any Kysely select builder). */
export interface ReadQuery<R> {
  compile(): CompiledQuery<R>;
}

/** Rows for one table; a batch with no rows is skipped. With `upsertOn`, a row whose key exists replaces it. */
export interface InsertBatch {
  table: keyof Database;
  rows: readonly object[];
  upsertOn?: readonly string[];
}

/** An UPDATE without RETURNING that must change exactly `rows` rows. */
export interface UpdateGuard {
  update: RawBuilder<unknown>;
  rows: number;
}

// A single PostgreSQL statement may bind at most 65,535 parameters; stay well below it.
const maxParametersPerStatement = 30_000;

export interface ConnectOptions {
  /** `postgres://...` for PostgreSQL; otherwise a SQLite file path, or `:memory:`. */
  url: string;
  /** PostgreSQL pool size. */
  poolSize?: number;
  /**
   * A store rebuilt from its inputs whenever it is lost (a replay's): SQLite hands commits to the OS without waiting
   * for the disk (synchronous OFF). A process crash still loses nothing; only an OS crash or power loss could.
   */
  rebuildable?: boolean;
}

/** Raised by code that detects a lost race it can safely retry (e.g. a conditional update matched no row). */
export class RetryableConflict extends Error {}

class Rollback<T> extends Error {
  constructor(readonly result: Result<T>) {
    super('rollback');
  }
}

const maxAttempts = 8;

export function connect(options: ConnectOptions): Store {
  return /^postgres(ql)?:\/\//.test(options.url) ? connectPostgres(options) : connectSqlite(options.url, options.rebuildable ?? false);
}

const beforeCommitHooks = new WeakMap<Tx, (() => Promise<void>)[]>();

/**
 * Runs `hook` inside the transaction just before it commits (after its work succeeded); false when `tx` is not a
 * transaction of `store.transaction`. Used to write what a whole transaction caused at once (its messages).
 */
export function onBeforeCommit(tx: Tx, hook: () => Promise<void>): boolean {
  const hooks = beforeCommitHooks.get(tx);
  if (!hooks) return false;
  hooks.push(hook);
  return true;
}

function makeTransaction(db: Kysely<Database>, isTransient: (e: unknown) => boolean) {
  return async function transaction<T>(fn: (tx: Tx) => Promise<Result<T>>): Promise<Result<T>> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await db.transaction().execute(async (tx) => {
          const hooks: (() => Promise<void>)[] = [];
          beforeCommitHooks.set(tx, hooks);
          const result = await fn(tx);
          if (!result.ok) throw new Rollback(result);
          // A hook may register another (a message's survey); run until none is left.
          for (let i = 0; i < hooks.length; i++) await hooks[i]!();
          return result;
        });
      } catch (e) {
        if (e instanceof Rollback) return e.result as Result<T>;
        const transient = e instanceof RetryableConflict || isTransient(e);
        if (!transient || attempt >= maxAttempts) throw e;
        await new Promise((r) => setTimeout(r, Math.random() * 5 * attempt));
      }
    }
  };
}

// Kysely cannot type a table chosen at run time; this is the one place that inserts by table name.
type Untyped = Kysely<Record<string, Record<string, unknown>>>;

type UntypedInsert = ReturnType<ReturnType<Untyped['insertInto']>['values']>;

/** The INSERT of one batch, as an upsert when it names its key. */
function insertOf(db: Untyped, b: InsertBatch): UntypedInsert {
  const insert = db.insertInto(b.table).values(b.rows as Record<string, unknown>[]);
  const key = b.upsertOn;
  if (!key) return insert;
  const others = Object.keys(b.rows[0]!).filter((c) => !key.includes(c));
  return insert.onConflict((oc) =>
    oc.columns([...key]).doUpdateSet(Object.fromEntries(others.map((c) => [c, sql.ref(`excluded.${c}`)]))),
  ) as UntypedInsert;
}

async function insertSequentially(tx: Tx, batches: readonly InsertBatch[], guard?: UpdateGuard): Promise<boolean> {
  if (guard && Number((await guard.update.execute(tx)).numAffectedRows ?? 0) !== guard.rows) return false;
  for (const b of batches) if (b.rows.length > 0) await insertOf(tx as unknown as Untyped, b).execute();
  return true;
}

async function insertInOneStatement(tx: Tx, batches: readonly InsertBatch[], guard?: UpdateGuard): Promise<boolean> {
  const present = batches.filter((b) => b.rows.length > 0);
  const parameters = present.reduce((n, b) => n + b.rows.length * Object.keys(b.rows[0]!).length, 0);
  if (present.length + (guard ? 1 : 0) < 2 || parameters > maxParametersPerStatement) return insertSequentially(tx, present, guard);
  let query = tx as unknown as Untyped;
  if (guard) query = query.with('guard', () => sql`(${guard.update} returning 1)`) as unknown as Untyped;
  const ctes = guard ? present : present.slice(0, -1);
  for (const [i, b] of ctes.entries()) {
    query = query.with(`insert_${i}`, (db) => insertOf(db as Untyped, b)) as unknown as Untyped;
  }
  if (!guard) {
    await insertOf(query, present.at(-1)!).execute();
    return true;
  }
  // Every data-modifying CTE runs to completion whether or not the main query reads it.
  const { n } = await query.selectFrom('guard').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
  return Number(n) === guard.rows;
}

async function readInTurn(tx: Tx, queries: readonly (ReadQuery<unknown> | null)[]): Promise<unknown[][]> {
  const out: unknown[][] = [];
  for (const q of queries) out.push(q ? (await tx.executeQuery(q.compile())).rows : []);
  return out;
}

/**
 * `select (select json_agg(r) from (<q1>) r), (select json_agg(r) from (<q2>) r), ...` with each query's `$n`
 * renumbered after the parameters of those before it (Kysely puts every value in a parameter, so `$` followed by a
 * digit appears only as a placeholder). A sorted subquery feeds json_agg in its order.
 */
async function readInOneStatement(tx: Tx, queries: readonly (ReadQuery<unknown> | null)[]): Promise<unknown[][]> {
  if (queries.filter((q) => q !== null).length < 2) return readInTurn(tx, queries);
  const parameters: unknown[] = [];
  const columns = queries.map((q, i) => {
    if (!q) return `'[]'::json as r${i}`;
    const compiled = q.compile();
    const offset = parameters.length;
    parameters.push(...compiled.parameters);
    const text = compiled.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`);
    return `(select coalesce(json_agg(r), '[]'::json) from (${text}) r) as r${i}`;
  });
  const { rows } = await tx.executeQuery<Record<string, unknown[]>>(CompiledQuery.raw(`select ${columns.join(', ')}`, parameters));
  return queries.map((_, i) => rows[0]![`r${i}`]!);
}

// --- SQLite -------------------------------------------------------------------------------------------------

/** better-sqlite3 begins DEFERRED by default; IMMEDIATE takes the write lock up front, so no two writers interleave. */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

/**
 * SQLite does run DDL inside transactions; saying so makes Kysely's migrator run each migration inside one (which
 * our driver opens with BEGIN IMMEDIATE). Several processes starting together on a new file then take turns
 * instead of both creating the same tables, and a crash mid-migration leaves no half-built schema.
 */
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly sqliteConfig: ConstructorParameters<typeof SqliteDialect>[0]) {
    super(sqliteConfig);
  }
  override createDriver() {
    return new ImmediateSqliteDriver(this.sqliteConfig);
  }
  override createAdapter() {
    return new TransactionalDdlSqliteAdapter();
  }
}

/** Kysely prepares every statement anew; caching prepared statements by SQL text halves the cost of a query. */
function withStatementCache(raw: BetterSqlite3.Database): BetterSqlite3.Database {
  const cache = new Map<string, BetterSqlite3.Statement>();
  const prepare = raw.prepare.bind(raw);
  return new Proxy(raw, {
    get(target, prop, receiver) {
      if (prop === 'prepare') {
        return (source: string) => {
          let stmt = cache.get(source);
          if (!stmt) {
            stmt = prepare(source);
            if (cache.size > 2000) cache.clear();
            cache.set(source, stmt);
          }
          return stmt;
        };
      }
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

function connectSqlite(path: string, rebuildable: boolean): Store {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const raw = new BetterSqlite3(path);
  // A rebuildable store (a replay's) keeps its rollback journal in memory: no WAL to append every page to and copy
  // back at checkpoints (a replay to February: 15% less time). A crash mid-transaction may then corrupt the file, which
  // is rebuilt from its source; nothing else may read it while it is written.
  raw.pragma(`journal_mode = ${rebuildable ? 'MEMORY' : 'WAL'}`);
  // NORMAL in WAL mode survives any process crash; only a power loss may drop the last commits.
  // RAINCHECK_SQLITE_SYNC=full trades speed for surviving that too.
  raw.pragma(`synchronous = ${rebuildable ? 'OFF' : process.env.RAINCHECK_SQLITE_SYNC === 'full' ? 'FULL' : 'NORMAL'}`);
  raw.pragma('busy_timeout = 10000');
  // Checkpoint every ~40 MB of WAL instead of 4 MB: fewer, larger checkpoints on the request path.
  raw.pragma('wal_autocheckpoint = 10000');
  // 64 MB of page cache instead of 2 MB: a re-projection of many SKUs touches more pages than that.
  raw.pragma('cache_size = -65536');
  raw.pragma('foreign_keys = ON');
  const cached = withStatementCache(raw);
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: cached }) });
  const isBusy = (e: unknown) => (e as { code?: string }).code === 'SQLITE_BUSY';
  return {
    dialect: 'sqlite',
    db,
    writersSerialised: true,
    transaction: makeTransaction(db, isBusy),
    lockSkus: async (tx, skuIds) =>
      skuIds.length === 0 ? [] : tx.selectFrom('sku').selectAll().where('id', 'in', [...new Set(skuIds)]).execute(),
    insertAll: insertSequentially,
    readMany: readInTurn as Store['readMany'],
    insertRows: async (tx, into, rows) => {
      if (rows.length === 0) return;
      if (!tx.isTransaction) {
        // Outside a transaction the connection may be another's: go through Kysely, one statement per row.
        for (const row of rows) await tx.executeQuery(CompiledQuery.raw(bulkSql(into, 1, () => '?'), [...row]));
        return;
      }
      const stmt = cached.prepare(bulkSql(into, 1, () => '?'));
      for (const row of rows) stmt.run(...row);
    },
    selectArrays: async (tx, query) => {
      const compiled = query.compile();
      // Outside a transaction another one may hold the connection: go through Kysely's mutex then.
      if (!tx.isTransaction) return (await tx.executeQuery(compiled)).rows.map((r) => Object.values(r as object));
      const stmt = cached.prepare(compiled.sql);
      try {
        return stmt.raw(true).all(...(compiled.parameters as unknown[])) as unknown[][];
      } finally {
        stmt.raw(false); // the statement is cached and shared with Kysely, which expects objects
      }
    },
    close: () => db.destroy(),
  };
}

// --- PostgreSQL ---------------------------------------------------------------------------------------------

// pg returns int8 and numeric (count, sum) as strings; every quantity here fits in a double exactly.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

/** How many times lockSkus tries to take all its SKUs at once before it queues for them in order. */
const allAtOnceAttempts = 4;

/**
 * Row locks on the SKUs, taken all at once or not at all. Taking them one by one in id order (FOR UPDATE) never
 * deadlocks, but a transaction waiting for its 10th SKU holds the 9 before it, and everyone waiting for those waits
 * too: with many clients on popular SKUs these chains grow until throughput falls as clients are added. So: take
 * every row that is free (SKIP LOCKED); if one is busy, let go of all of them (back to a savepoint), wait for that
 * one alone, keep it and try again (three round trips a try: the take, the rollback, the wait). After a few tries
 * (a large order among busy SKUs) it queues in id order as before, so it cannot starve. The savepoint is taken
 * before any lock and never released: releasing it would cost a round trip while holding the locks. NO KEY UPDATE,
 * not UPDATE: every writer of a SKU takes this lock, so it excludes them all the same, but it does not wait for
 * transactions that merely insert rows referring to the SKU (their foreign-key check takes KEY SHARE, which UPDATE
 * would conflict with).
 */
async function lockSkusWithoutHoldAndWait(tx: Tx, skuIds: readonly string[]): Promise<SkuRow[]> {
  if (skuIds.length === 0) return [];
  const sorted = [...new Set(skuIds)].sort();
  const rows = () => tx.selectFrom('sku').selectAll().where('id', 'in', sorted).orderBy('id');
  // One SKU: waiting for it holds nothing else.
  if (sorted.length === 1) return rows().forNoKeyUpdate().execute();
  await sql`savepoint lock_skus`.execute(tx);
  for (let attempt = 0; attempt < allAtOnceAttempts; attempt++) {
    const { taken, busy } = await takeFreeSkus(tx, sorted);
    if (busy === undefined) return taken; // every one, or the others do not exist
    await sql`rollback to savepoint lock_skus`.execute(tx);
    // Wait for the busy one alone and keep it: the next attempt holds it while it waits for nothing (SKIP LOCKED).
    await tx.selectFrom('sku').select('id').where('id', '=', busy).forNoKeyUpdate().execute();
  }
  await sql`rollback to savepoint lock_skus`.execute(tx); // the one kept is out of id order
  return rows().forNoKeyUpdate().execute();
}

/**
 * One statement: locks every one of the SKUs that no one holds, and names the first that exists but was not taken
 * (busy), so a busy SKU is told from a missing one without another round trip.
 */
async function takeFreeSkus(tx: Tx, sorted: readonly string[]): Promise<{ taken: SkuRow[]; busy: string | undefined }> {
  const found = await tx
    .with(
      (cte) => cte('taken').materialized(),
      (db) => db.selectFrom('sku').selectAll().where('id', 'in', sorted).forNoKeyUpdate().skipLocked(),
    )
    .selectFrom('sku as existing')
    .leftJoin('taken', 'taken.id', 'existing.id')
    .select('existing.id as existing_id')
    .selectAll('taken')
    .where('existing.id', 'in', sorted)
    .orderBy('existing.id')
    .execute();
  const taken = found.filter((r) => r.id !== null).map(({ existing_id: _, ...sku }) => sku as SkuRow);
  return { taken, busy: found.find((r) => r.id === null)?.existing_id };
}

function connectPostgres(options: ConnectOptions): Store {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    // Bounds, so one stuck request cannot hold a connection (and its locks) forever: a statement may run 2 minutes
    // (a whole-catalogue allocation run is one statement per SKU, far below), a transaction may idle 1 minute, and a
    // new connection must open within 10 seconds.
    statement_timeout: 120_000,
    idle_in_transaction_session_timeout: 60_000,
    connectionTimeoutMillis: 10_000,
  });
  // A client that loses its server (a restart) must not crash the process. The pool listens only while a client is
  // idle; a client in use emits 'error' to no one, which Node turns into a crash. The query in flight still fails
  // (its request answers 500 and may be retried), and the pool drops the dead client when it is released.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  // serialization_failure, deadlock_detected: both mean "run the whole transaction again".
  const isTransient = (e: unknown) => ['40001', '40P01'].includes((e as { code?: string }).code ?? '');
  return {
    dialect: 'postgres',
    db,
    writersSerialised: false,
    transaction: makeTransaction(db, isTransient),
    lockSkus: lockSkusWithoutHoldAndWait,
    insertAll: insertInOneStatement,
    readMany: readInOneStatement as Store['readMany'],
    insertRows: async (tx, into, rows) => {
      const perStatement = Math.max(1, Math.floor(maxParametersPerStatement / into.columns.length));
      for (let at = 0; at < rows.length; at += perStatement) {
        const chunk = rows.slice(at, at + perStatement);
        await tx.executeQuery(CompiledQuery.raw(bulkSql(into, chunk.length, (i) => `$${i}`), chunk.flat()));
      }
    },
    selectArrays: async (tx, query) => (await tx.executeQuery(query.compile())).rows.map((r) => Object.values(r as object)),
    close: () => db.destroy(),
  };
}
