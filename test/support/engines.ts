/**
 * The engines every store test runs on: SQLite always, PostgreSQL whenever it is reachable (required under CI).
 * Each PostgreSQL suite gets a database of its own, dropped afterwards, so runs never collide.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

export interface Engine {
  name: 'sqlite' | 'postgres';
  create(): Promise<TestDatabase>;
}

export const adminUrl = process.env.RAINCHECK_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

const sqlite: Engine = {
  name: 'sqlite',
  async create() {
    const dir = mkdtempSync(join(tmpdir(), 'raincheck-test-'));
    return { url: join(dir, 'store.sqlite'), drop: async () => rmSync(dir, { recursive: true, force: true }) };
  },
};

const postgres: Engine = {
  name: 'postgres',
  async create() {
    const name = `rc_test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      async drop() {
        const c = new pg.Client({ connectionString: adminUrl });
        await c.connect();
        await c.query(`drop database if exists ${name} with (force)`);
        await c.end();
      },
    };
  },
};

const pgUp = await postgresReachable();
if (!pgUp && process.env.CI) {
  throw new Error(`PostgreSQL is required under CI but ${adminUrl} is not reachable`);
}

/** SQLite, plus PostgreSQL when reachable. */
export const engines: Engine[] = pgUp ? [sqlite, postgres] : [sqlite];
export const postgresAvailable = pgUp;
