/**
 * `npm run bench -- outbox [--webhooks 20000] [--emails 5000] [--database sqlite|postgres|postgres://admin-url]
 *   [--batch N] [--concurrency N] [--data PATH] [--profile DIR]`  (batch and concurrency: the worker's per-channel defaults)
 *
 * Outbox delivery throughput per channel. Fills a scratch store through real intake (Online Retail order shapes
 * when the file is there, else synthetic; customers in en/de/fr) with a webhook subscription active, so every
 * message is a row recordFacts wrote: customer confirmations (email) and backorder.created/promised events
 * (webhooks). Then drains each channel on its own with dispatchOnce and the production channels (pooled SMTP,
 * node:http keep-alive) against a local SMTP server and a webhook receiver in a child process that reads every message and
 * verifies every signature. Progress goes to stderr; the last line of stdout is one JSON object.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import pino from 'pino';
import { createContext, type AppContext } from '../src/main/context.js';
import { placeOrder } from '../src/orders/service.js';
import { catalogService } from '../src/catalog/service.js';
import { supplierDef } from '../src/catalog/entities.js';
import { putSupplierItem } from '../src/purchasing/service.js';
import { createSubscription } from '../src/communication/webhooks.js';
import { dispatchOnce, type DispatchOptions } from '../src/communication/delivery.js';
import { realChannels } from '../src/communication/channels.js';
import { loadShapes, onlineRetailFile } from './lib/data.js';
import { buildFixture, seedFixture, type Fixture } from './lib/fixture.js';
import { createScratchStore, postgresUnreachable, type ScratchStore } from './lib/stores.js';
import { startProfile } from './lib/profile.js';
import type { ReceiverStats } from './lib/outbox-receivers.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const progress = (msg: string) => process.stderr.write(`[bench outbox] ${msg}\n`);

interface Options {
  webhooks: number;
  emails: number;
  database: string;
  batchSize: number | undefined;
  concurrency: number | undefined;
  data: string;
  profileDir: string | null;
}

function options(args: string[]): Options {
  const { values: v } = parseArgs({
    args,
    options: {
      webhooks: { type: 'string', default: '20000' },
      emails: { type: 'string', default: '5000' },
      database: { type: 'string', default: 'sqlite' },
      batch: { type: 'string' },
      concurrency: { type: 'string' },
      data: { type: 'string', default: onlineRetailFile },
      profile: { type: 'string' },
    },
  });
  const num = (name: string, s: string) => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, got '${s}'`);
    return n;
  };
  return {
    webhooks: num('webhooks', v.webhooks),
    emails: num('emails', v.emails),
    database: v.database,
    batchSize: v.batch === undefined ? undefined : Math.max(1, num('batch', v.batch)),
    concurrency: v.concurrency === undefined ? undefined : Math.max(1, num('concurrency', v.concurrency)),
    data: resolve(v.data),
    profileDir: v.profile === undefined ? null : resolve(v.profile),
  };
}

// ----- the receivers' process ------------------------------------------------------------------------------------

interface Receivers {
  smtpUrl: string;
  webhookUrl: string;
  setSecret(secret: string): void;
  stats(): Promise<ReceiverStats>;
  close(): void;
}

async function startReceivers(): Promise<Receivers> {
  const child: ChildProcess = fork(resolve(root, 'bench/lib/outbox-receivers.ts'), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await new Promise<{ smtpPort: number; httpPort: number }>((res, rej) => {
    child.once('message', (m) => res(m as { smtpPort: number; httpPort: number }));
    child.once('exit', (code) => rej(new Error(`receivers exited early (code ${code})`)));
  });
  return {
    smtpUrl: `smtp://127.0.0.1:${ready.smtpPort}?tls=off`,
    webhookUrl: `http://127.0.0.1:${ready.httpPort}/raincheck-events`,
    setSecret: (secret) => child.send({ type: 'secret', secret }),
    stats: () =>
      new Promise((res) => {
        child.once('message', (m) => res((m as { stats: ReceiverStats }).stats));
        child.send({ type: 'stats' });
      }),
    close: () => child.kill('SIGTERM'),
  };
}

// ----- the store -------------------------------------------------------------------------------------------------

/** A scratch store: SQLite (default), PostgreSQL at RAINCHECK_TEST_PG, or a new database on the server of a URL. */
async function scratchStore(database: string): Promise<ScratchStore> {
  if (database === 'sqlite' || database === 'postgres') {
    if (database === 'postgres') {
      const down = await postgresUnreachable();
      if (down) throw new Error(`PostgreSQL is unreachable: ${down}`);
    }
    return createScratchStore(database);
  }
  if (!/^postgres(ql)?:\/\//.test(database)) throw new Error(`--database must be sqlite, postgres or a postgres:// URL, got '${database}'`);
  const name = `rc_bench_${randomBytes(6).toString('hex')}`;
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: database });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await admin(`create database ${name}`);
  const url = new URL(database);
  url.pathname = `/${name}`;
  return { engine: 'postgres', url: url.toString(), drop: () => admin(`drop database if exists ${name} with (force)`) };
}

const languageOf = (region: string) => (region === 'DE' || region === 'AT' || region === 'CH' ? 'de' : region === 'FR' || region === 'BE' ? 'fr' : 'en');

async function countByChannel(ctx: AppContext): Promise<{ email: number; webhook: number }> {
  const rows = await ctx.store.db.selectFrom('message').select(['channel', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('channel').execute();
  const of = (c: string) => Number(rows.find((r) => r.channel === c)?.n ?? 0);
  return { email: of('email'), webhook: of('webhook') };
}

/** Runs `fn` over items with at most `n` in flight. */
async function inPool<T>(items: readonly T[], n: number, fn: (item: T) => Promise<void>, stop: () => boolean): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length && !stop()) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: n }, lane));
}

/** Places orders through intake until the outbox holds at least the wanted messages of each channel. */
async function fill(ctx: AppContext, fixture: Fixture, o: Options): Promise<{ orders: number; seconds: number }> {
  const t0 = performance.now();
  let placed = 0;
  let counts = { email: 0, webhook: 0 };
  const enough = () => counts.email >= o.emails && counts.webhook >= o.webhooks;
  const parallel = ctx.store.dialect === 'postgres' ? 8 : 1;
  const orders = fixture.orders.length > 0 ? fixture.orders : [];
  for (let pass = 0; !enough() && pass < 20; pass++) {
    await inPool(
      orders,
      parallel,
      async (order) => {
        const r = await placeOrder(ctx, { customerId: order.customerId, lines: order.lines, reference: `B${pass}-${placed}` });
        if (!r.ok && r.error.code !== 'validation_failed') throw new Error(`intake failed: ${r.error.code}: ${r.error.message}`);
        placed++;
        if (placed % 250 === 0) {
          counts = await countByChannel(ctx);
          progress(`fill: ${placed} orders, ${counts.email} emails, ${counts.webhook} webhooks (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
        }
      },
      enough,
    );
    counts = await countByChannel(ctx);
  }
  if (!enough()) throw new Error(`could not make ${o.emails} emails and ${o.webhooks} webhooks from the order shapes (got ${counts.email} and ${counts.webhook})`);
  return { orders: placed, seconds: (performance.now() - t0) / 1000 };
}

/** Drops the newest messages of a channel beyond `keep`, so each channel measures exactly what was asked. */
async function trim(ctx: AppContext, channel: 'email' | 'webhook', keep: number): Promise<void> {
  const extra = await ctx.store.db.selectFrom('message').select('id').where('channel', '=', channel).orderBy('id', 'desc').execute();
  const drop = extra.slice(0, Math.max(0, extra.length - keep)).map((r) => r.id);
  for (let i = 0; i < drop.length; i += 500) await ctx.store.db.deleteFrom('message').where('id', 'in', drop.slice(i, i + 500)).execute();
}

// ----- measuring ---------------------------------------------------------------------------------------------------

interface Phase {
  channel: 'email' | 'webhook';
  messages: number;
  seconds: number;
  perSecond: number;
  rounds: number;
  roundP50Ms: number;
  roundMaxMs: number;
  retried: number;
  dead: number;
  senderCpuPct: number;
  receiverCpuPct: number;
}

async function drainChannel(ctx: AppContext, receivers: Receivers, channel: 'email' | 'webhook', o: Options): Promise<Phase> {
  const channels = realChannels(receivers.smtpUrl);
  const dispatch: DispatchOptions = { ...(o.batchSize ? { batchSize: o.batchSize } : {}), ...(o.concurrency ? { concurrency: o.concurrency } : {}), channel };
  const before = await receivers.stats();
  const cpu0 = process.cpuUsage();
  const profiler = o.profileDir ? await startProfile(o.profileDir) : null;
  const t0 = performance.now();
  const rounds: number[] = [];
  let delivered = 0;
  let retried = 0;
  let dead = 0;
  for (;;) {
    const r0 = performance.now();
    const s = await dispatchOnce(ctx, channels, dispatch);
    if (s.claimed === 0) break;
    rounds.push(performance.now() - r0);
    delivered += s.delivered;
    retried += s.retried;
    dead += s.dead;
    if (retried + dead > 1000) throw new Error(`${channel}: ${retried} retried and ${dead} dead: the receivers are failing`);
  }
  const seconds = (performance.now() - t0) / 1000;
  if (profiler) progress(`${channel}: CPU profile written to ${await profiler.stop(`outbox-${channel}`)}`);
  const cpu = process.cpuUsage(cpu0);
  await channels.close();
  const after = await receivers.stats();
  rounds.sort((a, b) => a - b);
  const receiverCpuMs = after.cpuUserMs + after.cpuSystemMs - before.cpuUserMs - before.cpuSystemMs;
  return {
    channel,
    messages: delivered,
    seconds,
    perSecond: delivered / seconds,
    rounds: rounds.length,
    roundP50Ms: rounds[Math.floor(rounds.length / 2)] ?? 0,
    roundMaxMs: rounds.at(-1) ?? 0,
    retried,
    dead,
    senderCpuPct: (100 * (cpu.user + cpu.system)) / 1000 / (seconds * 1000),
    receiverCpuPct: (100 * receiverCpuMs) / (seconds * 1000),
  };
}

const f1 = (n: number) => n.toFixed(1);

function table(phases: Phase[]): string[] {
  const head = ['channel', 'messages', 'seconds', 'msg/s', 'rounds', 'round p50 ms', 'round max ms', 'retried', 'dead', 'sender CPU %', 'receiver CPU %'];
  const rows = phases.map((p) => [p.channel, String(p.messages), f1(p.seconds), f1(p.perSecond), String(p.rounds), f1(p.roundP50Ms), f1(p.roundMaxMs), String(p.retried), String(p.dead), f1(p.senderCpuPct), f1(p.receiverCpuPct)]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(head), ...rows.map(line)];
}

export async function main(args: string[]): Promise<void> {
  const o = options(args);
  const receivers = await startReceivers();
  const store = await scratchStore(o.database);
  progress(`store: ${store.engine} (${store.engine === 'sqlite' ? store.url : 'scratch database'}); receivers: ${receivers.smtpUrl}, ${receivers.webhookUrl}`);
  const ctx = await createContext({
    databaseUrl: store.url,
    log: pino({ level: 'silent' }),
    poolSize: 8,
    comms: { smtpUrl: receivers.smtpUrl, publicUrl: 'https://shop.example.com', linkSecret: 'bench-link-secret' },
  });
  try {
    const shapes = await loadShapes(o.data, { skuCount: 2000, maxQuantity: 48, maxLines: 6 });
    progress(`order shapes: ${shapes.source}, ${shapes.orders.length} orders`);
    // Little opening stock: most orders backorder something, as the orders this module writes to are.
    const fixture = buildFixture(shapes.orders, { skuCount: 2000, customerCount: 1000, stockHorizonOrders: 200 });
    fixture.customers = fixture.customers.map((c) => ({ ...c, language: languageOf(c.region) }));
    const t0 = performance.now();
    await seedFixture(ctx, fixture);
    const supplier = await catalogService(supplierDef).create(ctx, { id: 'SUP-1', name: 'Bench Supplies', defaultLeadTimeDays: 21 });
    if (!supplier.ok) throw new Error(supplier.error.message);
    for (const s of fixture.skus) {
      const r = await putSupplierItem(ctx, 'SUP-1', s.id, { packSize: 1, minOrderQty: 1, unitCostMinor: s.unitCostMinor });
      if (!r.ok) throw new Error(r.error.message);
    }
    progress(`seeded ${fixture.skus.length} SKUs, ${fixture.customers.length} customers in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const sub = await createSubscription(ctx, { url: receivers.webhookUrl, eventTypes: ['backorder.created', 'backorder.promised'] });
    if (!sub.ok) throw new Error(sub.error.message);
    receivers.setSecret(sub.value.secret);

    const filled = await fill(ctx, fixture, o);
    await trim(ctx, 'email', o.emails);
    await trim(ctx, 'webhook', o.webhooks);
    const counts = await countByChannel(ctx);
    progress(`filled: ${filled.orders} orders in ${f1(filled.seconds)} s; measuring ${counts.webhook} webhooks, then ${counts.email} emails (batch ${o.batchSize ?? 'default'}, concurrency ${o.concurrency ?? 'default'})`);

    const webhook = await drainChannel(ctx, receivers, 'webhook', o);
    progress(`webhook: ${f1(webhook.perSecond)}/s`);
    const email = await drainChannel(ctx, receivers, 'email', o);
    progress(`email: ${f1(email.perSecond)}/s`);

    const undelivered = Number(
      (await ctx.store.db.selectFrom('message').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '!=', 'delivered').executeTakeFirstOrThrow()).n,
    );
    const r = await receivers.stats();
    const problems = [
      r.emails !== counts.email ? `SMTP server got ${r.emails} emails, outbox had ${counts.email}` : null,
      r.webhooks !== counts.webhook ? `receiver accepted ${r.webhooks} webhooks, outbox had ${counts.webhook}` : null,
      r.emailDuplicates + r.webhookDuplicates > 0 ? `${r.emailDuplicates} email and ${r.webhookDuplicates} webhook duplicates` : null,
      r.badSignatures > 0 ? `${r.badSignatures} bad signatures (first: ${r.firstBadSignature})` : null,
      r.emailsWithoutId > 0 ? `${r.emailsWithoutId} emails without a Message-ID` : null,
      undelivered > 0 ? `${undelivered} messages not delivered` : null,
    ].filter((p): p is string => p !== null);

    const out = [
      `outbox benchmark on ${store.engine}: ${counts.webhook} webhooks and ${counts.email} emails written by intake of ${filled.orders} orders (${shapes.source.split(' ')[0]} shapes)`,
      `dispatchOnce batch ${o.batchSize ?? 'per-channel default'}, concurrency ${o.concurrency ?? 'per-channel default'}; SMTP server and webhook receiver (reads every body, verifies every signature) in a child process; 2-core machine shared by both`,
      ...table([webhook, email]),
      `received: ${r.emails} emails (${(r.emailBytes / r.emails / 1024).toFixed(1)} KiB average), ${r.webhooks} webhooks; duplicates ${r.emailDuplicates + r.webhookDuplicates}, bad signatures ${r.badSignatures}, undelivered ${undelivered}`,
      `targets: webhooks >= 500/s ${webhook.perSecond >= 500 ? 'met' : 'MISSED'}, emails >= 200/s ${email.perSecond >= 200 ? 'met' : 'MISSED'}`,
      ...problems.map((p) => `PROBLEM: ${p}`),
    ];
    const json = {
      email_per_s: Number(email.perSecond.toFixed(1)),
      webhook_per_s: Number(webhook.perSecond.toFixed(1)),
      engine: store.engine,
      emails: counts.email,
      webhooks: counts.webhook,
      email_seconds: Number(email.seconds.toFixed(2)),
      webhook_seconds: Number(webhook.seconds.toFixed(2)),
      email_round_p50_ms: Number(email.roundP50Ms.toFixed(1)),
      webhook_round_p50_ms: Number(webhook.roundP50Ms.toFixed(1)),
      sender_cpu_pct_email: Number(email.senderCpuPct.toFixed(1)),
      sender_cpu_pct_webhook: Number(webhook.senderCpuPct.toFixed(1)),
      receiver_cpu_pct_email: Number(email.receiverCpuPct.toFixed(1)),
      receiver_cpu_pct_webhook: Number(webhook.receiverCpuPct.toFixed(1)),
      batch_size: o.batchSize ?? null,
      concurrency: o.concurrency ?? null,
      orders: filled.orders,
      fill_seconds: Number(filled.seconds.toFixed(1)),
      duplicates: r.emailDuplicates + r.webhookDuplicates,
      bad_signatures: r.badSignatures,
      undelivered,
      retried: email.retried + webhook.retried,
      dead: email.dead + webhook.dead,
      targets_met: webhook.perSecond >= 500 && email.perSecond >= 200,
      problems: problems.length,
    };
    process.stdout.write(`${out.join('\n')}\n${JSON.stringify(json)}\n`);
    if (problems.length > 0) process.exitCode = 1;
  } finally {
    await ctx.store.close();
    await store.drop();
    receivers.close();
  }
}
