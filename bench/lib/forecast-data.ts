/**
 * The forecast benchmark's data: the carparts monthly panel (Hyndman et al., R package expsmooth) and the MAN
 * weekly spare-parts panel (de Haan 2021), read from ../shared/data (see its README; never copied), plus seeded
 * synthetic panels for the speed runs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { seededRandom } from '../../src/shared/random.js';

export interface Panel {
  readonly name: string;
  readonly ids: string[];
  readonly series: Float64Array[];
  /** Per series, in periods, when the data has them (MAN's lead_time_weeks). */
  readonly leadTimes?: number[];
}

/** carparts.csv: `series_id` then 51 months; only the series without an empty cell (2,509 of 2,674). Null if absent. */
export function readCarparts(path: string): Panel | null {
  if (!existsSync(path)) return null;
  const ids: string[] = [];
  const series: Float64Array[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n').slice(1)) {
    if (line.trim() === '') continue;
    const [id, ...cells] = line.split(',');
    if (cells.some((c) => c.trim() === '')) continue;
    ids.push(id!);
    series.push(Float64Array.from(cells, Number));
  }
  return { name: 'carparts', ids, series };
}

/** man_weekly.csv: seven attribute columns (sku, costs, lead time, MOQ) then the weekly quantities. Null if absent. */
export function readMan(path: string): Panel | null {
  if (!existsSync(path)) return null;
  const ids: string[] = [];
  const series: Float64Array[] = [];
  const leadTimes: number[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n').slice(1)) {
    if (line.trim() === '') continue;
    const cells = line.split(',');
    ids.push(cells[0]!);
    leadTimes.push(Number(cells[5]));
    series.push(Float64Array.from(cells.slice(7), (c) => (c.trim() === '' ? NaN : Number(c))));
  }
  return { name: 'man', ids, series, leadTimes };
}

/** A Poisson draw by inversion (small means only). */
function poisson(uniform: () => number, mean: number): number {
  let k = 0;
  let p = Math.exp(-mean);
  let cdf = p;
  const u = uniform();
  while (u > cdf && k < 1000) {
    k++;
    p *= mean / k;
    cdf += p;
  }
  return k;
}

/**
 * `count` intermittent series of `length` periods: demand occurs with probability 0.05-0.5 a period, sizes 1 + a
 * Poisson of mean 0-4; a fifth of the series stop selling part-way (obsolescence). Seeded, so every run is the same.
 */
export function simulateIntermittent(count: number, length: number, seed: number): Float64Array[] {
  const uniform = seededRandom(seed);
  return Array.from({ length: count }, () => {
    const p = 0.05 + 0.45 * uniform();
    const size = 4 * uniform();
    const end = uniform() < 0.2 ? Math.floor(length * (0.5 + 0.5 * uniform())) : length;
    return Float64Array.from({ length }, (_, t) => (t < end && uniform() < p ? 1 + poisson(uniform, size) : 0));
  });
}

/** `count` monthly series of `length` points with level, trend, a 12-month season and noise (all positive). */
export function simulateSeasonal(count: number, length: number, seed: number): Float64Array[] {
  const uniform = seededRandom(seed);
  return Array.from({ length: count }, () => {
    const level = 50 + 450 * uniform();
    const slope = (uniform() - 0.3) * 0.01 * level;
    const amplitude = 0.1 + 0.3 * uniform();
    const phase = 12 * uniform();
    const noise = 0.03 + 0.1 * uniform();
    return Float64Array.from({ length }, (_, t) => {
      const seasonal = 1 + amplitude * Math.sin((2 * Math.PI * (t + phase)) / 12);
      return Math.max(1, (level + slope * t) * seasonal * (1 + noise * (2 * uniform() - 1)));
    });
  });
}

/** A mixed panel for throughput: 70% intermittent counts, 30% smooth series with trend and season. */
export function simulateMixed(count: number, length: number, seed: number): Float64Array[] {
  const intermittent = Math.round(count * 0.7);
  return [...simulateIntermittent(intermittent, length, seed), ...simulateSeasonal(count - intermittent, length, seed + 1)];
}
