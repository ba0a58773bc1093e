/** The composition root: one place that builds what every transport (HTTP, CLI, worker, tests) shares. */
import { randomBytes } from 'node:crypto';
import pino, { type Logger } from 'pino';
import { connect, type Store } from '../db/connect.js';
import { migrateToLatest } from '../db/migrate.js';
import { systemClock, type Clock } from '../shared/clock.js';
import { createIdGenerator, type IdGenerator } from '../shared/ids.js';

export interface AppContext {
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  log: Logger;
}

export interface ContextOptions {
  databaseUrl?: string;
  clock?: Clock;
  log?: Logger;
  poolSize?: number;
}

/** Where the store lives: DATABASE_URL (PostgreSQL) if set, else the embedded SQLite file under ./data/. */
export const defaultDatabaseUrl = (): string => process.env.DATABASE_URL ?? process.env.RAINCHECK_DB ?? 'data/raincheck.sqlite';

/** Connects, migrates and wires the shared services. */
export async function createContext(options: ContextOptions = {}): Promise<AppContext> {
  const clock = options.clock ?? systemClock;
  const connectOptions = { url: options.databaseUrl ?? defaultDatabaseUrl() };
  const store = connect(options.poolSize === undefined ? connectOptions : { ...connectOptions, poolSize: options.poolSize });
  await migrateToLatest(store);
  return {
    store,
    clock,
    ids: createIdGenerator(() => clock.now().getTime(), (n) => randomBytes(n)),
    log: options.log ?? pino({ level: process.env.LOG_LEVEL ?? 'info' }),
  };
}
