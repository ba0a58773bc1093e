/**
 * `raincheck replay`: a real order history fed through the real system in time order, on an accelerated (manual)
 * clock, in a store of its own. The file's world is built (world.ts); invoices before `from` are loaded as order
 * history (what forecasting and planning learn from); at `from` the policy's first review is delivered at once as
 * opening stock, so both policies start where they would aim to be; then the days run (days.ts). The playbook
 * writes its messages as it would live (none is delivered). At the end the KPIs and root causes of [from, to] are
 * read through the same reports the API serves.
 */
import type { AppContext } from '../main/context.js';
import { kpiReport } from '../kpis/service.js';
import { causeReport } from '../causes/service.js';
import { backordersBySkuAge, type BackordersBySkuAge } from './ages.js';
import { addDays } from '../promising/domain.js';
import { at, dayOf, must, replayDays, type DaysResult, type ManualClock, type Part } from './days.js';
import { orderEvents, ReplayInputError, scanOrders, type FileLayout } from './orders-file.js';
import type { PolicySettings } from './policies.js';
import { buildWorld, suppliers, type WarehouseRule } from './world.js';

export interface ReplayOptions extends Omit<PolicySettings, 'quotedLeadTimeDays'> {
  ordersFile: string;
  layout?: FileLayout;
  /** First day replayed (ISO day); earlier invoices are history. Default: four weeks after the file's first day. */
  from?: string | undefined;
  /** Last day replayed, inclusive. Default: the file's last day. */
  to?: string | undefined;
  warehouses: WarehouseRule;
  /** Days before its first order in the file that each SKU is listed (0: on that day). */
  listedDaysAhead?: number | undefined;
  /** The share of listed new products that never sell, added to the file's (world.ts Listing.unsoldShare). */
  unsoldShare?: number | undefined;
  seed: number;
  progress?: (p: { day: string; orders: number; lines: number }) => void;
}

export interface ReplaySummary extends Omit<DaysResult, 'seconds'> {
  policy: PolicySettings['policy'];
  /** The policy's knob, in words: `fill rate 0.95`, `backorder cost 2500 per line`, `k 4`. */
  setting: string;
  from: string;
  to: string;
  file: { rows: number; ignored: number; skus: number; customers: number };
  messages: number;
  kpis: {
    fillRate: number | null;
    backorderRate: number | null;
    promiseAccuracy: number | null;
    cycleTimeP50Hours: number | null;
    averageInventoryValue: number | null;
    turnover: number | null;
  };
  /** The lines' backorder rate split by SKU age (ages.ts): new SKUs' lines have a floor no policy can lower. */
  bySkuAge: BackordersBySkuAge;
  /** Backorders created in [from, to] by root cause, most units first. */
  causes: { cause: string; count: number; units: number; shareOfUnits: number }[];
  /** Seconds spent per part of the run (where a replay's time goes). */
  seconds: Record<'setup' | Part | 'report', number>;
}

/** Runs a whole replay on an empty store whose clock is `clock`. */
export async function runReplay(ctx: AppContext, clock: ManualClock, o: ReplayOptions): Promise<ReplaySummary> {
  const setupStarted = performance.now();
  const scan = await scanOrders(o.ordersFile, o.layout);
  if (scan.skus.size === 0) throw new ReplayInputError(`${o.ordersFile} has no usable order lines (${scan.rows} rows read)`);
  const from = o.from ?? addDays(dayOf(scan.first), 28);
  const to = o.to ?? dayOf(scan.last);
  if (from > to) throw new ReplayInputError(`--from ${from} is after --to ${to}`);
  clock.set(scan.first < at(from, 0) ? scan.first : at(from, 0));
  await buildWorld(ctx, scan, o.warehouses, { daysAhead: o.listedDaysAhead ?? 0, unsoldShare: o.unsoldShare ?? 0, seed: o.seed });
  const setupSeconds = (performance.now() - setupStarted) / 1000;

  const days = await replayDays(ctx, clock, orderEvents(o.ordersFile, o.layout), {
    from,
    to,
    settings: { ...o, quotedLeadTimeDays: new Map<string, number>(suppliers.map((s) => [s.id, s.leadTimeDays])) },
    maxLateDays: new Map<string, number>(suppliers.map((s) => [s.id, s.maxLateDays])),
    seed: o.seed,
    openingStock: true,
    progress: o.progress,
    history: true,
  });

  const t0 = performance.now();
  const kpis = must(await kpiReport(ctx, { from, to }), 'KPI report').totals[0];
  const causes = must(await causeReport(ctx, { from, to }), 'root causes').rows;
  const bySkuAge = await backordersBySkuAge(ctx, from, to);
  const reportSeconds = (performance.now() - t0) / 1000;
  const messages = await ctx.store.db.selectFrom('message').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return {
    policy: o.policy,
    setting: settingOf(o),
    from,
    to,
    file: { rows: scan.rows, ignored: scan.ignored, skus: scan.skus.size, customers: scan.customers.size },
    ...days,
    messages: Number(messages.n),
    kpis: {
      fillRate: kpis?.intake.fillRate.units ?? null,
      backorderRate: kpis?.intake.backorderRate.lines ?? null,
      promiseAccuracy: kpis?.backorders.promiseAccuracy.rate ?? null,
      cycleTimeP50Hours: kpis?.cycleTime.p50Hours ?? null,
      averageInventoryValue: kpis?.inventory ? kpis.inventory.averageValueMinor / 100 : null,
      turnover: kpis?.inventory?.turnover ?? null,
    },
    bySkuAge,
    seconds: { ...days.seconds, setup: setupSeconds, report: reportSeconds },
    causes: causes.slice(0, 8).map((c) => ({ cause: c.cause, count: c.count, units: c.units, shareOfUnits: c.shareOfUnits })),
  };
}

function settingOf(o: ReplayOptions): string {
  const listed = `${o.listedDaysAhead ? `, SKUs listed ${o.listedDaysAhead} days ahead` : ''}${o.unsoldShare ? `, ${Math.round(o.unsoldShare * 100)}% of new products never selling` : ''}`;
  if (o.policy === 'minmax') return `k ${o.minmaxFactor ?? 1}${listed}`;
  return `${o.backorderCostMinor === undefined ? `fill rate ${o.service}` : `backorder cost ${o.backorderCostMinor} per line`}${listed}`;
}
