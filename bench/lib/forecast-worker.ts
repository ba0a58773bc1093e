/**
 * A worker thread of the forecast throughput run (bench/lib/forecast-speed.ts): builds its share of the synthetic
 * panel, says 'ready', and on 'go' forecasts every series (automatic selection with quantiles and lead-time
 * totals), then reports how long that took and a checksum of the results.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { forecastSeries } from '../../src/forecasting/index.js';
import { simulateMixed } from './forecast-data.js';

export interface ThroughputJob {
  readonly count: number;
  readonly length: number;
  readonly horizon: number;
  readonly levels: readonly number[];
  readonly seed: number;
}

export interface ThroughputReport {
  readonly series: number;
  readonly milliseconds: number;
  readonly checksum: number;
}

const job = workerData as ThroughputJob;
const panel = simulateMixed(job.count, job.length, job.seed);
// Warm-up on other series, so the timed loop runs compiled code.
for (const y of simulateMixed(300, job.length, job.seed + 1)) forecastSeries(y, { horizon: job.horizon, quantiles: job.levels, method: 'auto' });
parentPort!.on('message', (message: string) => {
  if (message !== 'go') return;
  const started = performance.now();
  let checksum = 0;
  for (const y of panel) {
    const f = forecastSeries(y, { horizon: job.horizon, quantiles: job.levels, method: 'auto' });
    checksum += f.point[0]! + f.quantiles[f.quantiles.length - 1]!.values[0]! + f.cumulative[0]!.values[job.horizon - 1]!;
  }
  const report: ThroughputReport = { series: panel.length, milliseconds: performance.now() - started, checksum };
  parentPort!.postMessage(report);
});
parentPort!.postMessage('ready');
