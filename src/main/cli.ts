/** The `raincheck` command: serve, migrate, seed. Data goes to stdout, logs to stderr. */
import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import pino from 'pino';
import { createContext, defaultDatabaseUrl, secretLogPaths } from './context.js';
import { serve } from './server.js';
import { seedDemo, storeIsEmpty } from '../demo/seed.js';
import { findViolations } from '../audit/invariants.js';
import { supplierPerformance } from '../purchasing/service.js';
import { exitCodeOf } from '../shared/errors.js';
import { startBackground } from './worker.js';
import { loadPlaybookFile } from '../communication/playbook/load.js';
import { activePlaybook, storePlaybook } from '../communication/playbook/active.js';
import type { AppContext } from './context.js';
import { registerForecastCommands } from './forecast-commands.js';
import { registerSimulateCommand } from './simulate-command.js';
import { registerReportCommand } from './report-command.js';
import { registerKeysCommand, startupKeys } from './keys-command.js';
import { registerApiCommand } from './api-command.js';
import { registerExportCommand } from './export-command.js';
import { registerImportCommand } from './import-command.js';
import { registerReplayCommand } from './replay-command.js';

const log = pino({ level: process.env.LOG_LEVEL ?? 'info', redact: secretLogPaths }, pino.destination(2));

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be a port number 0-65535');
  return n;
}

const program = new Command()
  .name('raincheck')
  .description('Backorder management across warehouses')
  .option('--database <url>', 'postgres://... or a SQLite file path (default: $DATABASE_URL or data/raincheck.sqlite)');

const databaseUrl = () => (program.opts().database as string | undefined) ?? defaultDatabaseUrl();

program
  .command('serve')
  .description('Start the HTTP API (and its docs) on the store')
  .option('-p, --port <port>', 'port to listen on', port, Number(process.env.PORT ?? 3000))
  .option('--host <host>', 'address to listen on', process.env.HOST ?? '127.0.0.1')
  .option('--demo', 'load the demo catalog and orders if the store is empty')
  .option('--playbook <file>', 'put this communication playbook (YAML or JSON) in force, as a new version if it changed')
  .option('--no-worker', 'do not deliver messages or run scheduled rules in this process (run `raincheck worker`)')
  .action(async (opts: { port: number; host: string; demo?: boolean; playbook?: string; worker: boolean }) => {
    const ctx = await createContext({ databaseUrl: databaseUrl(), log });
    if (opts.playbook) await usePlaybook(ctx, opts.playbook);
    if (opts.demo && (await storeIsEmpty(ctx))) {
      const summary = await seedDemo(ctx);
      log.info(summary, 'demo data loaded');
    }
    const { demoKey } = await startupKeys(ctx, Boolean(opts.demo));
    const server = await serve(ctx, { port: opts.port, host: opts.host });
    if (opts.worker) {
      const background = startBackground(ctx);
      process.once('SIGTERM', () => void background.stop());
    }
    process.stdout.write(
      `Raincheck is running on ${ctx.store.dialect === 'sqlite' ? `SQLite (${databaseUrl()})` : 'PostgreSQL'}\n` +
        `  Dashboard:    ${server.url}/\n` +
        `  API:          ${server.url}/\n` +
        `  API docs:     ${server.url}/docs\n` +
        `  OpenAPI:      ${server.url}/openapi.json\n` +
        `  Backorders:   ${server.url}/backorders?status=open\n` +
        (demoKey ? `  Admin key:    ${demoKey}\n                (sign in to the dashboard with it; API: Authorization: Bearer <key>)\n` : ''),
    );
  });

program
  .command('worker')
  .description('Deliver outbox messages (email, webhooks) and run the playbook\'s scheduled rules until stopped')
  .option('--no-schedule', 'only deliver messages')
  .option('--poll-ms <ms>', 'how often an idle worker looks for due messages', (v) => Number(v), 500)
  .action(async (opts: { schedule: boolean; pollMs: number }) => {
    const ctx = await createContext({ databaseUrl: databaseUrl(), log });
    const background = startBackground(ctx, { schedule: opts.schedule, pollMs: opts.pollMs });
    log.info({ smtp: Boolean(ctx.comms.smtpUrl) }, 'worker started');
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        void background.stop().then(() => ctx.store.close()).then(() => process.exit(0));
      });
    }
  });

const playbook = program.command('playbook').description('The communication playbook: who is told what, and when');
playbook
  .command('validate <file>')
  .description('Check a playbook file; prints each problem with its line')
  .action((file: string) => {
    const result = loadPlaybookFile(file);
    if (result.ok) {
      process.stdout.write(`${file}: valid (${result.value.rules.length} rules)\n`);
      return;
    }
    const problems = (result.error.details?.problems as { line: number; column: number; path: string; message: string }[] | undefined) ?? [];
    process.stderr.write(`${result.error.message}\n`);
    for (const p of problems) process.stderr.write(`  ${file}:${p.line}:${p.column} ${p.path} ${p.message}\n`);
    process.exitCode = exitCodeOf(result.error.code);
  });
playbook
  .command('show')
  .description('Print the playbook in force')
  .action(async () => {
    const ctx = await createContext({ databaseUrl: databaseUrl(), log });
    const active = await activePlaybook(ctx, ctx.store.db);
    process.stdout.write(`# version ${active.version}\n${active.source}`);
    await ctx.store.close();
  });

/** Puts a playbook file in force, storing it as a new version only when it differs from the one in force. */
async function usePlaybook(ctx: AppContext, file: string): Promise<void> {
  const parsed = loadPlaybookFile(file);
  if (!parsed.ok) {
    process.stderr.write(`${parsed.error.message}\n`);
    process.exit(exitCodeOf(parsed.error.code));
  }
  const source = readFileSync(file, 'utf8');
  if ((await activePlaybook(ctx, ctx.store.db)).source === source) return;
  const stored = await ctx.store.transaction((tx) => storePlaybook(ctx, tx, source, `loaded from ${file}`));
  if (stored.ok) log.info({ version: stored.value.version, file }, 'playbook in force');
}

program
  .command('migrate')
  .description('Bring the store schema up to date')
  .action(async () => {
    const ctx = await createContext({ databaseUrl: databaseUrl(), log });
    process.stdout.write(`schema up to date on ${ctx.store.dialect}\n`);
    await ctx.store.close();
  });

program
  .command('seed')
  .description('Load data into the store')
  .requiredOption('--demo', 'the demo catalog, stock and orders')
  .action(async () => {
    const ctx = await createContext({ databaseUrl: databaseUrl(), log });
    if (!(await storeIsEmpty(ctx))) {
      process.stderr.write('the store already holds a catalog; the demo only loads into an empty store\n');
      await ctx.store.close();
      process.exitCode = 73;
      return;
    }
    process.stdout.write(`${JSON.stringify(await seedDemo(ctx))}\n`);
    await ctx.store.close();
  });

program
  .command('check')
  .description('Audit the store: ledger = on-hand, allocations = allocated, every ordered unit accounted for')
  .option('--json', 'print the result as JSON')
  .action(async (opts: { json?: boolean }) => {
    const ctx = await createContext({ databaseUrl: databaseUrl(), log });
    const violations = await findViolations(ctx.store.db);
    await ctx.store.close();
    if (opts.json) process.stdout.write(`${JSON.stringify({ violations })}\n`);
    else process.stdout.write(violations.length === 0 ? 'all invariants hold\n' : `${violations.join('\n')}\n`);
    if (violations.length > 0) process.exitCode = 1;
  });

program
  .command('supplier-performance')
  .description("A supplier's lead time, lateness, on-time rate and quantity fill rate, from its receipt history")
  .argument('<supplierId>')
  .option('--sku <skuId>', 'only this SKU')
  .option('--json', 'print JSON')
  .action(async (supplierId: string, opts: { sku?: string; json?: boolean }) => {
    const ctx = await createContext({ databaseUrl: databaseUrl(), log });
    const result = await supplierPerformance(ctx, supplierId, opts.sku);
    await ctx.store.close();
    if (!result.ok) {
      process.stderr.write(`${result.error.message}\n`);
      process.exitCode = exitCodeOf(result.error.code);
      return;
    }
    const p = result.value;
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(p)}\n`);
      return;
    }
    const dist = (d: typeof p.leadTimeDays) => (d ? `mean ${d.mean.toFixed(1)}, p50 ${d.p50.toFixed(1)}, p80 ${d.p80.toFixed(1)}, p95 ${d.p95.toFixed(1)}` : 'no history');
    const pct = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`);
    process.stdout.write(
      `${p.supplierId}${p.skuId ? ` x ${p.skuId}` : ''}: ${p.receipts} receipt(s)\n` +
        `  lead time (days):  ${dist(p.leadTimeDays)}\n` +
        `  lateness (days):   ${dist(p.latenessDays)}\n` +
        `  on-time rate:      ${pct(p.onTimeRate)}\n` +
        `  quantity fill:     ${pct(p.quantityFillRate)}\n`,
    );
  });

registerForecastCommands(program);
registerSimulateCommand(program);
registerReportCommand(program);
registerKeysCommand(program);
registerApiCommand(program);
registerExportCommand(program);
registerImportCommand(program);
registerReplayCommand(program);

await program.parseAsync(process.argv);
