/**
 * The cheap path for automatic selection over many series: naive, SES, Croston, SBA and TSB estimated together,
 * returning each method's parameters, in-sample one-step MSE and flat forecast, without building models. The definitions are those of simple.ts, ses.ts, croston.ts and tsb.ts; only the search is
 * coarser:
 * - SES: alpha on a grid of 16 values in [0.0001, 0.9999] (l0 solved exactly as in ses.ts), then the vertex of
 *   the parabola through the best grid point and its two neighbours if it does better.
 * - Croston, SBA, TSB: both smoothing constants on the 6 x 6 grid {0.05, 0.10, ..., 0.30}^2. The series is first
 *   reduced to its non-zero values and the runs of zeros between them; each cell then runs over those events only.
 *   A Croston forecast f is constant between demands, so a run adds f * (its sum) to sum(v f) and f^2 * (its length)
 *   to sum(f^2); a TSB forecast decays geometrically over zeros, p z q^j with q = 1 - beta, so a run of L zeros adds
 *   (p z)^2 (1 - q^(2L)) / (1 - q^2). Then sum (v - c f)^2 = sum v^2 - 2 c sum(v f) + c^2 sum(f^2), which also gives
 *   SBA (c = 1 - alpha_p / 2) from Croston's sums.
 * Each `mse` equals the `mse` of the model the fixed-parameter function builds from the returned `params`.
 */
import { firstObserved, sesProfileSse } from './ses.js';

export type QuickMethod = 'naive' | 'ses' | 'croston' | 'sba' | 'tsb';

export interface QuickFit {
  readonly method: QuickMethod;
  readonly params: Readonly<Record<string, number>>;
  readonly mse: number;
  /** The forecast for every horizon (all five methods forecast flat). */
  readonly level: number;
}

const GRID = [0.05, 0.1, 0.15, 0.2, 0.25, 0.3];
const SES_GRID = Float64Array.from({ length: 16 }, (_, i) => 0.0001 + (0.9998 * i) / 15);

/** Parameters, in-sample MSE and forecast of naive, SES, Croston, SBA and TSB for one series. */
export function quickFits(y: Float64Array): QuickFit[] {
  const events = demandEvents(y);
  return [quickNaive(y), quickSes(y), ...quickCroston(events), quickTsb(events)];
}

function quickNaive(y: Float64Array): QuickFit {
  let last = NaN;
  let sum = 0;
  let count = 0;
  for (let t = 0; t < y.length; t++) {
    const v = y[t]!;
    if (v !== v) continue;
    if (last === last) {
      sum += (v - last) * (v - last);
      count++;
    }
    last = v;
  }
  return { method: 'naive', params: { m: 1 }, mse: count > 0 ? sum / count : NaN, level: last };
}

function quickSes(y: Float64Array): QuickFit {
  const base = firstObserved(y);
  const sse = new Float64Array(SES_GRID.length);
  for (let i = 0; i < SES_GRID.length; i += 2) sesPairSse(y, base, i, sse);
  let best = 0;
  for (let i = 1; i < sse.length; i++) if (sse[i]! < sse[best]!) best = i;
  const alpha = refine(y, base, best, sse);
  const { level0, level, sse: s, count } = sesAt(y, base, alpha);
  return { method: 'ses', params: { alpha, level0 }, mse: count > 0 ? s / count : NaN, level };
}

/**
 * sesProfileSse (ses.ts) for grid alphas i and i + 1 in one loop: two independent dependency chains per period run
 * in about the time of one, which halves the grid's cost.
 */
function sesPairSse(y: Float64Array, base: number, i: number, out: Float64Array): void {
  const a1 = SES_GRID[i]!;
  const a2 = SES_GRID[i + 1]!;
  let l1 = base, c1 = 1, ee1 = 0, ec1 = 0, cc1 = 0;
  let l2 = base, c2 = 1, ee2 = 0, ec2 = 0, cc2 = 0;
  for (let t = 0; t < y.length; t++) {
    const v = y[t]!;
    if (v !== v) continue;
    const e1 = v - l1;
    const e2 = v - l2;
    ee1 += e1 * e1; ec1 += e1 * c1; cc1 += c1 * c1;
    ee2 += e2 * e2; ec2 += e2 * c2; cc2 += c2 * c2;
    l1 += a1 * e1;
    l2 += a2 * e2;
    c1 = c1 * (1 - a1) < 1e-100 ? 0 : c1 * (1 - a1); // no subnormals (see ses.ts)
    c2 = c2 * (1 - a2) < 1e-100 ? 0 : c2 * (1 - a2);
  }
  out[i] = Math.max(ee1 - (cc1 > 0 ? (ec1 * ec1) / cc1 : 0), 0);
  out[i + 1] = Math.max(ee2 - (cc2 > 0 ? (ec2 * ec2) / cc2 : 0), 0);
}

/** The vertex of the parabola through the best grid point and its neighbours, when it does better than the grid. */
function refine(y: Float64Array, base: number, best: number, sse: Float64Array): number {
  if (best === 0 || best === SES_GRID.length - 1) return SES_GRID[best]!;
  const [a, b, c] = [SES_GRID[best - 1]!, SES_GRID[best]!, SES_GRID[best + 1]!];
  const [fa, fb, fc] = [sse[best - 1]!, sse[best]!, sse[best + 1]!];
  const denominator = (b - a) * (fb - fc) - (b - c) * (fb - fa);
  if (!(Math.abs(denominator) > 0)) return b;
  const vertex = b - ((b - a) ** 2 * (fb - fc) - (b - c) ** 2 * (fb - fa)) / (2 * denominator);
  if (!(vertex > a && vertex < c)) return b;
  return sesProfileSse(y, vertex, base) < fb ? vertex : b;
}

/** SES at alpha from the least-squares l0: that l0, the final level, the SSE and the observed count. */
function sesAt(y: Float64Array, base: number, alpha: number): { level0: number; level: number; sse: number; count: number } {
  let ec = 0;
  let cc = 0;
  let level = base;
  let c = 1;
  for (let t = 0; t < y.length; t++) {
    const v = y[t]!;
    if (v !== v) continue;
    ec += (v - level) * c;
    cc += c * c;
    level += alpha * (v - level);
    c = c * (1 - alpha) < 1e-100 ? 0 : c * (1 - alpha);
  }
  const level0 = base + (cc > 0 ? ec / cc : 0);
  let sse = 0;
  let count = 0;
  level = level0;
  for (let t = 0; t < y.length; t++) {
    const v = y[t]!;
    if (v !== v) continue;
    sse += (v - level) * (v - level);
    count++;
    level += alpha * (v - level);
  }
  return { level0, level, sse, count };
}

/**
 * The observed series as Croston and TSB see it: from the first demand on, each non-zero value with the number of
 * observed zeros before it and, for demands, the interval since the previous demand. `squares` and `count` are
 * sum v^2 and the number of periods with a fitted value (every observed period after the first).
 */
interface DemandEvents {
  readonly values: Float64Array;
  readonly zerosBefore: Int32Array;
  readonly intervals: Float64Array;
  readonly length: number;
  readonly trailingZeros: number;
  readonly longestRun: number;
  readonly squares: number;
  readonly count: number;
  readonly seen: boolean;
}

function demandEvents(y: Float64Array): DemandEvents {
  const values = new Float64Array(y.length);
  const zerosBefore = new Int32Array(y.length);
  const intervals = new Float64Array(y.length);
  let length = 0;
  let squares = 0;
  let count = 0;
  let seen = false;
  let zeros = 0;
  let longestRun = 0;
  let since = 0;
  for (let t = 0; t < y.length; t++) {
    const v = y[t]!;
    if (v !== v) continue;
    if (seen) {
      squares += v * v;
      count++;
    }
    seen = true;
    since++;
    if (length === 0 ? !(v > 0) : v === 0) {
      zeros += length === 0 ? 0 : 1;
      continue;
    }
    values[length] = v;
    zerosBefore[length] = zeros;
    if (zeros > longestRun) longestRun = zeros;
    intervals[length] = since;
    length++;
    zeros = 0;
    if (v > 0) since = 0;
  }
  return { values, zerosBefore, intervals, length, trailingZeros: zeros, longestRun: Math.max(longestRun, zeros), squares, count, seen };
}

/** Croston and SBA: one run over the events per cell of the grid; both pick their best cell from the same sums. */
function quickCroston(ev: DemandEvents): [QuickFit, QuickFit] {
  const best = { croston: { sse: Infinity, aZ: GRID[0]!, aP: GRID[0]!, f: 0 }, sba: { sse: Infinity, aZ: GRID[0]!, aP: GRID[0]!, f: 0 } };
  for (const aZ of GRID) {
    for (const aP of GRID) {
      const { svf, sff, f } = crostonSums(ev, aZ, aP);
      for (const [key, c] of [['croston', 1], ['sba', 1 - aP / 2]] as const) {
        const sse = Math.max(ev.squares - 2 * c * svf + c * c * sff, 0);
        if (sse < best[key].sse) best[key] = { sse, aZ, aP, f: c * f };
      }
    }
  }
  const result = (method: 'croston' | 'sba'): QuickFit => {
    const b = best[method];
    const level = ev.seen ? b.f : NaN;
    return { method, params: { alphaSize: b.aZ, alphaInterval: b.aP }, mse: ev.count > 0 ? b.sse / ev.count : NaN, level };
  };
  return [result('croston'), result('sba')];
}

function crostonSums(ev: DemandEvents, aZ: number, aP: number): { svf: number; sff: number; f: number } {
  if (ev.length === 0) return { svf: 0, sff: 0, f: 0 };
  let size = ev.values[0]!;
  let interval = ev.intervals[0]!;
  let f = size / interval;
  let svf = 0;
  let sff = 0;
  let runSum = 0;
  let runLength = 0;
  for (let e = 1; e < ev.length; e++) {
    const v = ev.values[e]!;
    runSum += v;
    runLength += ev.zerosBefore[e]! + 1;
    if (!(v > 0)) continue;
    svf += f * runSum;
    sff += f * f * runLength;
    size += aZ * (v - size);
    interval += aP * (ev.intervals[e]! - interval);
    f = size / interval;
    runSum = 0;
    runLength = 0;
  }
  runLength += ev.trailingZeros;
  return { svf: svf + f * runSum, sff: sff + f * f * runLength, f };
}

/** TSB: one run over the events per cell of the grid (alpha for sizes, beta for the probability). */
function quickTsb(ev: DemandEvents): QuickFit {
  let best = { sse: Infinity, alpha: GRID[0]!, beta: GRID[0]!, f: 0 };
  const powers = { decay: new Float64Array(ev.longestRun + 1), squares: new Float64Array(ev.longestRun + 1) };
  for (const beta of GRID) {
    decayPowers(1 - beta, powers);
    for (const alpha of GRID) {
      const { sse, f } = tsbSse(ev, alpha, beta, powers);
      if (sse < best.sse) best = { sse, alpha, beta, f };
    }
  }
  const level = ev.seen ? best.f : NaN;
  return { method: 'tsb', params: { alpha: best.alpha, beta: best.beta }, mse: ev.count > 0 ? best.sse / ev.count : NaN, level };
}

function tsbSse(ev: DemandEvents, alpha: number, beta: number, powers: { decay: Float64Array; squares: Float64Array }): { sse: number; f: number } {
  if (ev.length === 0) return { sse: ev.squares, f: 0 };
  let size = ev.values[0]!;
  let probability = 1 / ev.intervals[0]!;
  let svf = 0;
  let sff = 0;
  for (let e = 1; e < ev.length; e++) {
    const zeros = ev.zerosBefore[e]!;
    const before = probability * size;
    sff += before * before * powers.squares[zeros]!;
    probability *= powers.decay[zeros]!;
    const v = ev.values[e]!;
    const f = probability * size;
    svf += v * f;
    sff += f * f;
    const d = v > 0 ? 1 : 0;
    probability += beta * (d - probability);
    if (d === 1) size += alpha * (v - size);
  }
  const last = probability * size;
  sff += last * last * powers.squares[ev.trailingZeros]!;
  const f = last * powers.decay[ev.trailingZeros]!;
  return { sse: Math.max(ev.squares - 2 * svf + sff, 0), f };
}

/** Fills q^L and (1 - q^(2L)) / (1 - q^2) = sum_{j<L} q^(2j) for every run length L: cheaper than a pow per run. */
function decayPowers(q: number, out: { decay: Float64Array; squares: Float64Array }): void {
  let power = 1;
  let sum = 0;
  for (let L = 0; L < out.decay.length; L++) {
    out.decay[L] = power;
    out.squares[L] = sum;
    sum += power * power;
    power *= q;
  }
}
