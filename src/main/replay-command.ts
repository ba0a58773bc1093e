/**
 * `raincheck replay --orders FILE`: runs a real order history through the real system (src/replay) in its own
 * store, an empty SQLite file: a temporary one by default, or `--store PATH` (kept, so `raincheck serve --database
 * PATH` shows the replayed year in the dashboard). Prints the year's KPIs and root causes; `--json` prints the
 * summary as JSON instead.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { InvalidArgumentError, type Command } from 'commander';
import pino from 'pino';
import { fieldMap, namedChoice, nonNegative, nonNegativeInteger, positive, shareBelowOne, positiveInteger, probability } from '../demand-files/options.js';
import { historyInstant } from '../imports/order-history-kind.js';
import { planningDefaults } from '../replenishment/service.js';
import { newSkuDays } from '../replay/ages.js';
import { replayPolicies, type ReplayPolicy } from '../replay/policies.js';
import { runReplay, type ReplaySummary } from '../replay/run.js';
import { checkLayout, ReplayInputError, replayColumns, type ReplayColumn } from '../replay/orders-file.js';
import { warehouseRules, type WarehouseRule } from '../replay/world.js';
import { manualClock } from '../shared/clock.js';
import { heapCapped, rerunUnderHeapCap } from './heap-cap.js';
import { createContext } from './context.js';

/** The replay's heap cap (a year of Online Retail: under 600 MB live); see heap-cap.ts. */
const replayHeapMb = 768;

interface ReplayFlags {
  orders: string;
  from?: string;
  to?: string;
  warehouses: WarehouseRule;
  listedDaysAhead: number;
  unsoldShare: number;
  policy: ReplayPolicy;
  service?: number;
  backorderCost?: number;
  orderCost: number;
  minmaxFactor: number;
  reviewDays: number;
  windowDays: number;
  map?: Record<string, string>;
  skuPattern?: RegExp;
  seed: number;
  shortageCheck: boolean;
  store?: string;
  json?: boolean;
}

function isoDay(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || historyInstant(value) === null) throw new InvalidArgumentError(`'${value}' is not a day (YYYY-MM-DD)`);
  return value;
}

function columnMap(value: string): Partial<Record<ReplayColumn, string>> {
  const map = fieldMap(value);
  const unknown = Object.keys(map).find((k) => !(replayColumns as readonly string[]).includes(k));
  if (unknown) throw new InvalidArgumentError(`'${unknown}' is not a replay field (fields: ${replayColumns.join(', ')})`);
  return map;
}

function pattern(value: string): RegExp {
  try {
    return new RegExp(value);
  } catch (e) {
    throw new InvalidArgumentError(`not a regular expression: ${(e as Error).message}`);
  }
}

const pct = (x: number | null) => (x === null ? 'n/a' : `${(100 * x).toFixed(1)}%`);

export function printSummary(s: ReplaySummary, wallS: number, peakRssMb: number, heapLimitMb: number): string {
  const k = s.kpis;
  return [
    `Replay ${s.from} .. ${s.to}, policy ${s.policy} (${s.setting}): ${s.orders.toLocaleString('en')} orders, ${s.lines.toLocaleString('en')} lines in ${wallS.toFixed(1)} s (peak memory ${peakRssMb} MB, heap limit ${heapLimitMb} MB)`,
    `  file: ${s.file.rows.toLocaleString('en')} rows (${s.file.ignored.toLocaleString('en')} not stock lines), ${s.file.skus.toLocaleString('en')} SKUs, ${s.file.customers.toLocaleString('en')} customers; ${s.historyLines.toLocaleString('en')} history lines before ${s.from}`,
    `  supply: ${s.purchaseOrders} purchase orders, ${s.receipts} receipts; cancelled ${s.cancelledUnits} units still waiting, ${s.returnedUnits} units returned after shipping; ${s.messages.toLocaleString('en')} messages written by the playbook`,
    `  fill rate ${pct(k.fillRate)}, backorder rate ${pct(k.backorderRate)} of lines, promise accuracy ${pct(k.promiseAccuracy)}, cycle time p50 ${k.cycleTimeP50Hours?.toFixed(1) ?? 'n/a'} h`,
    `  backorder rate by SKU age: first ${newSkuDays} days after a SKU's first order ${pct(s.bySkuAge.newSkus.rate)} of ${s.bySkuAge.newSkus.lines.toLocaleString('en')} lines, established SKUs ${pct(s.bySkuAge.established.rate)} of ${s.bySkuAge.established.lines.toLocaleString('en')}`,
    `  average inventory value ${k.averageInventoryValue?.toFixed(0) ?? 'n/a'}, turnover ${k.turnover?.toFixed(2) ?? 'n/a'}`,
    `  root causes: ${s.causes.map((c) => `${c.cause} ${pct(c.shareOfUnits)}`).join(', ') || 'none'}`,
  ].join('\n');
}

export function registerReplayCommand(program: Command): void {
  program
    .command('replay')
    .description('Run a real order history through the whole system on an accelerated clock and print the KPIs')
    .requiredOption('--orders <file>', 'order lines (CSV, .gz read as gzip), Online Retail layout unless --map says otherwise')
    .option('--from <day>', 'first day replayed; earlier orders are history (default: 4 weeks after the first)', isoDay)
    .option('--to <day>', 'last day replayed (default: the last in the file)', isoDay)
    .option('--warehouses <rule>', `${warehouseRules.join(' | ')}: UK customers from one warehouse and the rest from another, or one for all`, namedChoice('--warehouses', warehouseRules), 'uk-split')
    .option('--listed-days-ahead <n>', 'list each SKU this many days before its first order in the file (a company lists a product before it goes on sale)', nonNegativeInteger, 0)
    .option('--unsold-share <p>', 'add products that are listed (like a launch) but never sell, this share of all new products (the file holds only products that sold)', shareBelowOne, 0)
    .option('--policy <name>', `${replayPolicies.join(' | ')}: Raincheck's recommendations, or the min/max rule of thumb`, namedChoice('--policy', replayPolicies), 'raincheck')
    .option('--service <p>', `Raincheck's target fill rate (default ${planningDefaults.service})`, probability)
    .option('--backorder-cost <minor>', "price each backordered order line at this (minor units) instead: each SKU's service follows from it", positive)
    .option('--order-cost <minor>', 'what placing an order costs, in minor units (pence): sets lot sizes', nonNegative, planningDefaults.orderCostMinor)
    .option('--minmax-factor <k>', 'the rule of thumb\'s min as k x average demand x (lead time + review)', positive, 1)
    .option('--review-days <n>', 'days between reviews (purchase orders)', positiveInteger, planningDefaults.reviewDays)
    .option('--window-days <n>', 'trailing days of demand planning looks at', positiveInteger, planningDefaults.windowDays)
    .option('--map <field=column,...>', `which column holds each of ${replayColumns.join(', ')}`, columnMap)
    .option('--sku-pattern <regex>', 'stock codes that are stock (default: starting with a digit)', pattern)
    .option('--seed <n>', 'seed of the drawn supplier lateness', positiveInteger, 2010)
    .option('--no-shortage-check', 'order only at reviews: no morning check for backorders nothing on order covers')
    .option('--store <path>', 'SQLite file to replay into (must not exist or be empty; kept afterwards)')
    .option('--json', 'print the summary as JSON')
    .action(async (o: ReplayFlags) => {
      const refusal = !existsSync(o.orders)
        ? `--orders: ${o.orders} does not exist`
        : o.store && existsSync(o.store) && statSync(o.store).size > 0
          ? `--store ${o.store} is not empty: a replay builds its own company in an empty store`
          : o.from && o.to && o.from > o.to
            ? `--from ${o.from} is after --to ${o.to}`
            : o.service !== undefined && o.backorderCost !== undefined
              ? '--service and --backorder-cost both set the service: give one'
              : null;
      if (refusal) {
        process.stderr.write(`${refusal}\n`);
        process.exitCode = 2;
        return;
      }
      const layout = { ...(o.map ? { map: o.map } : {}), ...(o.skuPattern ? { skuPattern: o.skuPattern } : {}) };
      // A file that cannot be replayed is refused before a store is made for it.
      try {
        await checkLayout(o.orders, layout);
      } catch (e) {
        if (!(e instanceof ReplayInputError)) throw e;
        process.stderr.write(`replay: ${e.message}\n`);
        process.exitCode = 65;
        return;
      }
      if (!heapCapped()) {
        process.exitCode = await rerunUnderHeapCap(replayHeapMb, 'replay');
        return;
      }
      const scratch = o.store ? null : mkdtempSync(join(tmpdir(), 'raincheck-replay-'));
      const clock = manualClock('2000-01-01T00:00:00Z');
      const ctx = await createContext({ databaseUrl: o.store ?? join(scratch!, 'replay.sqlite'), rebuildable: true, clock, log: pino({ level: process.env.LOG_LEVEL ?? 'warn' }, pino.destination(2)) });
      const started = performance.now();
      try {
        const summary = await runReplay(ctx, clock, {
          ordersFile: o.orders,
          layout,
          from: o.from,
          to: o.to,
          warehouses: o.warehouses,
          listedDaysAhead: o.listedDaysAhead,
          unsoldShare: o.unsoldShare,
          policy: o.policy,
          service: o.service ?? planningDefaults.service,
          backorderCostMinor: o.backorderCost,
          orderCostMinor: o.orderCost,
          minmaxFactor: o.minmaxFactor,
          reviewDays: o.reviewDays,
          windowDays: o.windowDays,
          shortageCheck: o.shortageCheck,
          seed: o.seed,
          progress: (p) => process.stderr.write(`replay: ${p.day} ${p.orders.toLocaleString('en')} orders, ${p.lines.toLocaleString('en')} lines\n`),
        });
        const wallS = (performance.now() - started) / 1000;
        const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
        const heapLimitMb = Math.round(getHeapStatistics().heap_size_limit / 2 ** 20);
        process.stdout.write(o.json ? `${JSON.stringify({ ...summary, wallS, peakRssMb, heapLimitMb })}\n` : `${printSummary(summary, wallS, peakRssMb, heapLimitMb)}\n`);
      } catch (e) {
        if (!(e instanceof ReplayInputError)) throw e;
        process.stderr.write(`replay: ${e.message}\n`);
        process.exitCode = 65;
      } finally {
        await ctx.store.close();
        if (scratch) rmSync(scratch, { recursive: true, force: true });
      }
    });
}
