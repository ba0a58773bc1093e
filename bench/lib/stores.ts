/** Fresh, throw-away stores for one benchmark run: a temp SQLite file, or a new PostgreSQL database (dropped after). */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export type EngineName = 'sqlite' | 'postgres';

export interface ScratchStore {
  engine: EngineName;
  /** What createContext takes as databaseUrl: a file path or a postgres:// URL. */
  url: string;
  drop(): Promise<void>;
}

/** The server that gets a scratch database, as the tests use it. */
export const pgAdminUrl = process.env.RAINCHECK_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Null when reachable, else why not. */
export async function postgresUnreachable(): Promise<string | null> {
  const client = new pg.Client({ connectionString: pgAdminUrl, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (e) {
    return (e as Error).message || String(e);
  } finally {
    await client.end().catch(() => {});
  }
}

async function adminQuery(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: pgAdminUrl });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

export async function createScratchStore(engine: EngineName): Promise<ScratchStore> {
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'raincheck-bench-'));
    return { engine, url: join(dir, 'store.sqlite'), drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `rc_bench_${randomBytes(6).toString('hex')}`;
  await adminQuery(`create database ${name}`);
  const url = new URL(pgAdminUrl);
  url.pathname = `/${name}`;
  return { engine, url: url.toString(), drop: () => adminQuery(`drop database if exists ${name} with (force)`) };
}
