/**
 * The two ceilings intake is compared against:
 *  1. the bare driver doing the minimal work of a correct intake (per order, one transaction: one conditional
 *     reservation UPDATE per line, in a fixed order, plus one order row), on scratch copies of the tables;
 *  2. an HTTP route that does nothing, on a Fastify instance configured like buildApp's.
 */
import BetterSqlite3 from 'better-sqlite3';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import pg from 'pg';
import type { AddressInfo } from 'node:net';
import type { AppContext } from '../../src/main/context.js';
import { bodyLimitBytes } from '../../src/main/http.js';
import type { PreparedOrder } from './fixture.js';

export interface RawResult {
  transactionsPerSecond: number;
  transactions: number;
  p50Ms: number;
  p99Ms: number;
}

// The statement intake must run per line (GUIDE 4.4): reserve only if enough is available, in one statement.
const reserveSql = (q: string, sku: string, wh: string) =>
  `update bench_stock set allocated = allocated + ${q} where sku_id = ${sku} and warehouse_id = ${wh} and on_hand - allocated >= ${q}`;
const insertSql = (p: [string, string, string, string]) =>
  `insert into bench_order (id, customer_id, line_count, placed_at) values (${p.join(', ')})`;

/** Copies the opening stock into scratch tables, so the ceiling never touches the store's own rows. */
export async function createScratchTables(ctx: AppContext): Promise<void> {
  const db = ctx.store.db;
  await sql`create table bench_stock as select sku_id, warehouse_id, on_hand, allocated from stock_level`.execute(db);
  // SQLite cannot add a primary key to an existing table; a unique index gives it the same lookup path.
  if (ctx.store.dialect === 'postgres') await sql`alter table bench_stock add primary key (sku_id, warehouse_id)`.execute(db);
  else await sql`create unique index bench_stock_pk on bench_stock (sku_id, warehouse_id)`.execute(db);
  await sql`create table bench_order (id text primary key, customer_id text not null, line_count integer not null, placed_at text not null)`.execute(db);
}

/** Lines sorted by (SKU, warehouse): the same lock order for every transaction, as lockSkus does, so no deadlocks. */
function reservations(o: PreparedOrder): [string, string, number][] {
  return o.lines.map((l): [string, string, number] => [l.skuId, o.homeWarehouse, l.quantity]).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

function summarise(latencies: number[], durationMs: number): RawResult {
  latencies.sort((a, b) => a - b);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
  return { transactionsPerSecond: latencies.length / (durationMs / 1000), transactions: latencies.length, p50Ms: at(0.5), p99Ms: at(0.99) };
}

/** better-sqlite3 on the same file with the store's pragmas; one BEGIN IMMEDIATE transaction per order. */
export function rawSqlite(file: string, orders: readonly PreparedOrder[], warmupMs: number, durationMs: number): RawResult {
  const db = new BetterSqlite3(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 10000');
  const reserve = db.prepare(reserveSql('@q', '@sku', '@wh'));
  const insert = db.prepare(insertSql(['?', '?', '?', '?']));
  const prepared = orders.map(reservations);
  let n = 0;
  const intake = db.transaction((k: number) => {
    for (const [sku, wh, q] of prepared[k % prepared.length]!) reserve.run({ q, sku, wh });
    insert.run(`raw_${n}`, orders[k % orders.length]!.customerId, prepared[k % prepared.length]!.length, new Date().toISOString());
  });
  const latencies: number[] = [];
  const start = performance.now();
  const from = start + warmupMs;
  const to = from + durationMs;
  for (let t0 = start; t0 < to; t0 = performance.now()) {
    intake.immediate(n);
    n++;
    const t1 = performance.now();
    if (t0 >= from && t1 <= to) latencies.push(t1 - t0);
  }
  db.close();
  return summarise(latencies, durationMs);
}

/** A pg Pool of `concurrency` connections, each running order transactions back to back. */
export async function rawPostgres(url: string, orders: readonly PreparedOrder[], concurrency: number, warmupMs: number, durationMs: number): Promise<RawResult> {
  const pool = new pg.Pool({ connectionString: url, max: concurrency });
  pool.on('error', () => {});
  const reserve = reserveSql('$1', '$2', '$3');
  const insert = insertSql(['$1', '$2', '$3', '$4']);
  const prepared = orders.map(reservations);
  const latencies: number[] = [];
  const start = performance.now();
  const from = start + warmupMs;
  const to = from + durationMs;
  let n = 0;
  const worker = async () => {
    const client = await pool.connect();
    try {
      for (let t0 = performance.now(); t0 < to; t0 = performance.now()) {
        const k = n++;
        const lines = prepared[k % prepared.length]!;
        for (let attempt = 1; ; attempt++) {
          try {
            await client.query('begin');
            for (const [sku, wh, q] of lines) await client.query(reserve, [q, sku, wh]);
            await client.query(insert, [`raw_${k}`, orders[k % orders.length]!.customerId, lines.length, new Date().toISOString()]);
            await client.query('commit');
            break;
          } catch (e) {
            await client.query('rollback');
            if (attempt >= 5 || !['40001', '40P01'].includes((e as { code?: string }).code ?? '')) throw e;
          }
        }
        const t1 = performance.now();
        if (t0 >= from && t1 <= to) latencies.push(t1 - t0);
      }
    } finally {
      client.release();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  await pool.end();
  return summarise(latencies, durationMs);
}

/** A Fastify instance with buildApp's options and compilers and one route that does nothing. */
export async function startNoopServer(ctx: AppContext): Promise<{ app: FastifyInstance; port: number }> {
  const app = Fastify({
    loggerInstance: ctx.log as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: bodyLimitBytes,
    keepAliveTimeout: 65_000,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.post('/__noop', async () => ({}));
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, port: (app.server.address() as AddressInfo).port };
}

/** Drops the scratch tables. */
export async function dropScratchTables(ctx: AppContext): Promise<void> {
  await sql`drop table if exists bench_order`.execute(ctx.store.db);
  await sql`drop table if exists bench_stock`.execute(ctx.store.db);
}
