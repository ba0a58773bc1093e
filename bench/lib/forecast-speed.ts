/**
 * The forecast benchmark's speed runs:
 * 1. intermittent: 1,000 simulated intermittent series of 60 periods, h = 12, on this thread: Croston, SBA, TSB,
 *    ADIDA and IMAPA fitted and forecast, then automatic selection with quantiles and a fill-rate (s, Q) reorder
 *    point from the lead-time demand distribution (planning/policies.ts planSQ).
 * 2. seasonal ETS: ets_auto with season 12 on 1,000 simulated monthly series of 60 points, on this thread.
 * 3. throughput: automatic selection with quantiles (per step and lead-time totals) on N series of 104 periods
 *    (70% intermittent, 30% smooth with trend and season), on every core with worker_threads.
 * Each timed loop runs after a short warm-up on other data, so the JIT has compiled the code it times.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { forecastSeries, horizonDemandInputs, methods, type MethodName } from '../../src/forecasting/index.js';
import { planSQ } from '../../src/planning/policies.js';
import { simulateIntermittent, simulateSeasonal } from './forecast-data.js';
import type { ThroughputJob, ThroughputReport } from './forecast-worker.js';

const LEVELS = [0.5, 0.9, 0.95, 0.99];
const INTERMITTENT: MethodName[] = ['croston', 'sba', 'tsb', 'adida', 'imapa'];

export interface IntermittentTiming {
  readonly milliseconds: number;
  readonly methodsMs: number;
  readonly autoMs: number;
  readonly policyMs: number;
  readonly meanReorderPoint: number;
  readonly meanExpectedFillRate: number;
}

/** Run 1 (see above); lead time 3 periods, fill-rate target 0.95, K = 50, h = 2.5 a unit-year, 12 periods a year. */
export function intermittentRun(count = 1000): IntermittentTiming {
  const once = (panel: Float64Array[]) => {
    const time = { methods: 0, auto: 0, policy: 0, reorder: 0, fill: 0 };
    for (const y of panel) {
      let t = performance.now();
      for (const m of INTERMITTENT) methods[m].fit(y, {}).forecast(12);
      time.methods += performance.now() - t;
      t = performance.now();
      const f = forecastSeries(y, { horizon: 12, quantiles: LEVELS, method: 'auto' });
      time.auto += performance.now() - t;
      t = performance.now();
      const lead = horizonDemandInputs(f, 3);
      const policy = planSQ(
        { family: lead.family, dailyDemand: lead.perPeriod, leadTime: { meanDays: 3, sdDays: 0 }, orderCost: 50, holdingCostPerUnitYear: 2.5, daysPerYear: 12 },
        { measure: 'fill-rate', level: 0.95 },
      );
      time.policy += performance.now() - t;
      time.reorder += policy.reorderPoint / panel.length;
      time.fill += policy.expected.fillRate / panel.length;
    }
    return time;
  };
  once(simulateIntermittent(100, 60, 999));
  const t = once(simulateIntermittent(count, 60, 1));
  return {
    milliseconds: t.methods + t.auto + t.policy,
    methodsMs: t.methods,
    autoMs: t.auto,
    policyMs: t.policy,
    meanReorderPoint: t.reorder,
    meanExpectedFillRate: t.fill,
  };
}

/** Run 2 (see above): milliseconds for the whole panel, and how often each model won by AICc. */
export function seasonalEtsRun(count = 1000): { milliseconds: number; chosen: Map<string, number> } {
  for (const y of simulateSeasonal(20, 60, 998)) methods.ets_auto.fit(y, { seasonLength: 12 });
  const panel = simulateSeasonal(count, 60, 2);
  const chosen = new Map<string, number>();
  const started = performance.now();
  for (const y of panel) {
    const name = methods.ets_auto.fit(y, { seasonLength: 12 }).name;
    chosen.set(name, (chosen.get(name) ?? 0) + 1);
  }
  return { milliseconds: performance.now() - started, chosen };
}

/**
 * Worker threads do not inherit the tsx loader of the main thread on Node 20, so each worker registers it first
 * (tsx's ESM API) and then imports the TypeScript worker.
 */
const TSX_BOOT = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})
  .then((api) => { api.register(); return import(${JSON.stringify(new URL('./forecast-worker.ts', import.meta.url).href)}); })`;

export interface Throughput {
  readonly series: number;
  readonly workers: number;
  readonly seconds: number;
  readonly seriesPerSecond: number;
  /** Mean time per series inside one worker (its busy time / its series). */
  readonly microsecondsPerSeries: number;
}

/** Run 3 (see above) on `workers` threads (default: every core). */
export async function throughputRun(count = 100_000, workers = availableParallelism()): Promise<Throughput> {
  const share = Math.ceil(count / workers);
  const threads = Array.from({ length: workers }, (_, w) => {
    const job: ThroughputJob = { count: Math.min(share, count - w * share), length: 104, horizon: 12, levels: LEVELS, seed: 100 + 7 * w };
    return new Worker(TSX_BOOT, { eval: true, workerData: job });
  });
  try {
    await Promise.all(threads.map((t) => nextMessage(t)));
    const started = performance.now();
    const reports = await Promise.all(threads.map((t) => (t.postMessage('go'), nextMessage(t) as Promise<ThroughputReport>)));
    const seconds = (performance.now() - started) / 1000;
    const series = reports.reduce((s, r) => s + r.series, 0);
    const busy = reports.reduce((s, r) => s + r.milliseconds, 0);
    return { series, workers, seconds, seriesPerSecond: series / seconds, microsecondsPerSeries: (busy * 1000) / series };
  } finally {
    await Promise.all(threads.map((t) => t.terminate()));
  }
}

function nextMessage(worker: Worker): Promise<unknown> {
  return new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}
