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
  comms: CommsConfig;
}

/** What messages need to reach people: where links point, the key that signs them, and the mail server. */
export interface CommsConfig {
  /** Base of links in messages; RAINCHECK_PUBLIC_URL, else set by the server once it listens. */
  publicUrl: string;
  /** HMAC key for customer links; RAINCHECK_LINK_SECRET, else generated once and kept in the settings table. */
  linkSecret: string;
  /** SMTP server (smtp://user:pass@host:port); SMTP_URL. Without it, email waits in the outbox. */
  smtpUrl: string | undefined;
}

export interface ContextOptions {
  databaseUrl?: string;
  clock?: Clock;
  log?: Logger;
  poolSize?: number;
  /** See ConnectOptions.rebuildable: a replay's store, rebuilt from its file when lost. */
  rebuildable?: boolean;
  comms?: Partial<CommsConfig>;
}

/** Where credentials could sit in a logged object: never written out, whatever is logged with them. */
export const secretLogPaths = ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]', 'headers.authorization', 'headers.cookie', 'res.headers["set-cookie"]'];

/** Where the store lives: DATABASE_URL (PostgreSQL) if set, else the embedded SQLite file under ./data/. */
export const defaultDatabaseUrl = (): string => process.env.DATABASE_URL ?? process.env.RAINCHECK_DB ?? 'data/raincheck.sqlite';

/** Connects, migrates and wires the shared services. */
export async function createContext(options: ContextOptions = {}): Promise<AppContext> {
  const clock = options.clock ?? systemClock;
  const connectOptions = { url: options.databaseUrl ?? defaultDatabaseUrl(), rebuildable: options.rebuildable ?? false };
  // RAINCHECK_PG_POOL: connections per process (default 10); with several processes, their sum is what PostgreSQL sees.
  const poolSize = options.poolSize ?? (process.env.RAINCHECK_PG_POOL ? Number(process.env.RAINCHECK_PG_POOL) : undefined);
  const store = connect(poolSize === undefined ? connectOptions : { ...connectOptions, poolSize });
  await migrateToLatest(store);
  const comms: CommsConfig = {
    publicUrl: options.comms?.publicUrl ?? process.env.RAINCHECK_PUBLIC_URL ?? 'http://localhost:3000',
    linkSecret: options.comms?.linkSecret ?? process.env.RAINCHECK_LINK_SECRET ?? (await storedLinkSecret(store, clock)),
    smtpUrl: options.comms?.smtpUrl ?? process.env.SMTP_URL,
  };
  return {
    store,
    clock,
    ids: createIdGenerator(() => clock.now().getTime(), (n) => randomBytes(n)),
    log: options.log ?? pino({ level: process.env.LOG_LEVEL ?? 'info', redact: secretLogPaths }),
    comms,
  };
}

/** One secret for every process sharing the store: the first to start writes it, the rest read it. */
async function storedLinkSecret(store: Store, clock: Clock): Promise<string> {
  const key = 'links.secret';
  await store.db
    .insertInto('setting')
    .values({ key, value: JSON.stringify(randomBytes(32).toString('base64url')), updated_at: clock.now().toISOString() })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const row = await store.db.selectFrom('setting').select('value').where('key', '=', key).executeTakeFirstOrThrow();
  return JSON.parse(row.value) as string;
}
