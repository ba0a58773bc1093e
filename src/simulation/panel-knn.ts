/**
 * A global (cross-series) law of protection-interval demand for the simulator: `knn/RS/exchange`.
 *
 * At each review of item i (history periods 0..t), the law of D_L (the lead time's demand) and D_{L+R} (lead time +
 * review) is a mixture of
 * - the empirical law of the outcomes of the k nearest (origin, series) pairs of the WHOLE panel, in a space of
 *   features of the past (two TSB levels, the mean of the last 24 periods, the mean demand size, the largest demand
 *   of the last 24, the share of non-zero periods, periods since the last demand and since the first), taken only
 *   from the `window` latest origins u <= t - L - R: every outcome u+1..u+L+R was already seen at t (no peeking), and
 * - the item's own TSB forecast with a normal law (demand-models.ts, the constants of the best smoother family),
 * weighted `mix` and 1 - mix. Pooling outcomes across series is what the M5 winners did instead of one model per
 * series: a part with 3 demands in 2 years borrows the fate of the many parts that looked like it before.
 * The order-up-to level then follows the exchange curve (policies.ts exchangeLevels: one rate lambda for all items).
 *
 * The defaults (k 100, window 8, mix 0.8, TSB a 0.3 b 0.2 v 0.35) were chosen on carparts' validation span
 * (policies from month 13, measured months 16-27, the data cut after month 27), never on the measured months.
 * Cost: every review compares each item with items x window pairs: about 30 s for carparts on one thread; large
 * weekly panels (MAN: 3,451 SKUs, ~100 reviews) take many minutes.
 */
import { demandModel, demandOver } from './demand-models.js';
import { exchangeScan } from './exchange.js';
import type { PlanItem } from './policies.js';

export interface PanelKnnSettings {
  /** Neighbours (pairs) pooled. */
  readonly k: number;
  /** Origins searched, back from the latest whose outcome is known. */
  readonly window: number;
  /** Weight of the pooled law in the mixture (1: pooled only, 0: TSB + normal only). */
  readonly mix: number;
  readonly alpha: number;
  readonly beta: number;
  readonly varianceFactor: number;
}

export const panelKnnDefaults: PanelKnnSettings = { k: 100, window: 8, mix: 0.8, alpha: 0.3, beta: 0.2, varianceFactor: 0.35 };

/** Feature weights (scaled features, squared Euclidean distance). */
const WEIGHTS = [3, 1, 1, 1, 1, 1, 1, 0.5];
const DIM = WEIGHTS.length;

/** Per item id: the order-up-to level of each setting at each history length from `from` on. */
export interface PanelLevels {
  readonly from: number;
  readonly levels: ReadonlyMap<string, readonly (readonly number[])[]>;
}

/** One pass of TSB (Teunter, Syntetos & Babai 2011) over y: the forecast after each period (0 before any demand). */
function tsbPath(y: Float64Array, alpha: number, beta: number): Float64Array {
  const out = new Float64Array(y.length);
  let p = NaN;
  let z = NaN;
  for (let t = 0; t < y.length; t++) {
    const v = y[t]! > 0 ? y[t]! : 0;
    if (p !== p) {
      if (v > 0) {
        p = 1 / (t + 1);
        z = v;
      }
    } else {
      p += beta * ((v > 0 ? 1 : 0) - p);
      if (v > 0) z += alpha * (v - z);
    }
    out[t] = p === p ? p * z : 0;
  }
  return out;
}

/** The scaled features of every origin of one series (row t: what periods 0..t show). */
export function panelFeatures(y: Float64Array): Float64Array {
  const n = y.length;
  const fast = tsbPath(y, 0.3, 0.2);
  const slow = tsbPath(y, 0.1, 0.1);
  const f = new Float64Array(n * DIM);
  let first = -1;
  let last = -1;
  let sum = 0;
  let nonZero = 0;
  for (let t = 0; t < n; t++) {
    const v = y[t]! > 0 ? y[t]! : 0;
    if (v > 0) {
      if (first < 0) first = t;
      last = t;
      sum += v;
      nonZero++;
    }
    let s24 = 0;
    let max = 0;
    let nz24 = 0;
    for (let u = Math.max(0, t - 23); u <= t; u++) {
      const w = y[u]! > 0 ? y[u]! : 0;
      s24 += w;
      if (w > 0) nz24++;
      if (w > max) max = w;
    }
    const row = [
      Math.log1p(2 * fast[t]!), Math.log1p(2 * slow[t]!), Math.log1p(s24 / 12), Math.log1p(nonZero ? sum / nonZero : 0),
      Math.log1p(max), nz24 / 12, Math.log1p(last < 0 ? 48 : t - last), Math.log1p(first < 0 ? 0 : t - first),
    ];
    for (let d = 0; d < DIM; d++) f[t * DIM + d] = row[d]! * WEIGHTS[d]!;
  }
  return f;
}

/** The k-th smallest value of a (reordered in place). */
function kthSmallest(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const x = a[i]!;
        a[i++] = a[j]!;
        a[j--] = x;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k]!;
  }
  return a[k]!;
}

/** Empirical cdf at 0..max of whole-unit outcomes (rounded), as a table. */
function cdfTable(outcomes: readonly number[]): Float64Array {
  let max = 0;
  for (const o of outcomes) max = Math.max(max, Math.round(o));
  const c = new Float64Array(max + 1);
  for (const o of outcomes) c[Math.max(0, Math.round(o))]! += 1 / outcomes.length;
  for (let s = 1; s <= max; s++) c[s]! += c[s - 1]!;
  return c;
}

const at = (table: Float64Array, S: number) => (S < table.length ? table[S]! : 1);

/**
 * The exchange-curve level of each lambda from the cdfs of D_L (null when L = 0: no demand) and D_{L+R}: S rises while
 * one more unit buys at least lambda units of fill per period and unit of value held (exchange.ts).
 */
export function exchangeFromCdfs(cdfL: ((S: number) => number) | null, cdfLR: (S: number) => number, review: number, limit: number, lambdas: readonly number[], unitValue = 1): number[] {
  return exchangeScan((S) => (cdfL ? cdfL(S) : 1) - cdfLR(S), cdfLR, review, limit, lambdas, unitValue);
}

/**
 * Every item's levels for every lambda at every history length start..n (the opening level and each review),
 * each from the panel's past only. Items must have distinct ids and demand series of one length. Null when the
 * clock passes `deadline` (performance.now() milliseconds) first: a benchmark's budget stops the fit too.
 */
export function panelKnnLevels(items: readonly PlanItem[], start: number, review: number, lambdas: readonly number[], s: PanelKnnSettings = panelKnnDefaults, deadline = Infinity): PanelLevels | null {
  const n = items[0]?.demand.length ?? 0;
  if (items.some((it) => it.demand.length !== n)) throw new RangeError('knn: every series must have the same number of periods');
  if (new Set(items.map((it) => it.id)).size !== items.length) throw new RangeError('knn: item ids must be distinct');
  const N = items.length;
  const feats = items.map((it) => panelFeatures(it.demand));
  const y = items.map((it) => it.demand);
  const val = (i: number, t: number) => (y[i]![t]! > 0 ? y[i]![t]! : 0);
  const levels = new Map<string, number[][]>(items.map((it) => [it.id, []]));
  const tsb = items.map((it) => demandModel('tsb', it.leadTime + review, 'normal', undefined, { alpha: s.alpha, beta: s.beta, varianceFactor: s.varianceFactor }));
  const dist = new Float64Array(N * Math.max(1, s.window));
  for (let h = start; h <= n; h++) {
    if (performance.now() > deadline) return null;
    const t = h - 1;
    for (let i = 0; i < N; i++) {
      const item = items[i]!;
      const L = Math.max(0, Math.round(item.leadTime));
      const H = L + review;
      const history = y[i]!.subarray(0, h);
      const view = tsb[i]!(history);
      let seen = false;
      for (let u = 0; u <= t && !seen; u++) seen = val(i, u) > 0;
      if (!seen || t < 0) {
        levels.get(item.id)!.push(lambdas.map(() => 0));
        continue;
      }
      // Pairs whose outcome periods u+1..u+H all lie in 0..t.
      const hi = t - H;
      const lo = Math.max(0, hi - s.window + 1);
      const pooled = hi >= lo && hi >= 0 ? neighbours(feats, i, t, lo, hi, s.k, dist) : [];
      const sumOver = (j: number, u: number, periods: number) => {
        let a = 0;
        for (let q = 1; q <= periods; q++) a += val(j, u + q);
        return a;
      };
      const knnL = L > 0 && pooled.length > 0 ? cdfTable(pooled.map(([j, u]) => sumOver(j, u, L))) : null;
      const knnLR = pooled.length > 0 ? cdfTable(pooled.map(([j, u]) => sumOver(j, u, H))) : null;
      const w = knnLR ? s.mix : 0;
      const own = view.perPeriod.mean > 0;
      const lawLR = own ? demandOver(view, H) : null;
      const lawL = own && L > 0 ? demandOver(view, L) : null;
      const cdfLR = (S: number) => w * (knnLR ? at(knnLR, S) : 1) + (1 - w) * (lawLR ? lawLR.cdf(S) : 1);
      const cdfL = L > 0 ? (S: number) => w * (knnL ? at(knnL, S) : 1) + (1 - w) * (lawL ? lawL.cdf(S) : 1) : null;
      const limit = Math.max(knnLR ? knnLR.length : 0, lawLR ? Math.ceil(lawLR.quantile(0.9999)) + 1 : 0);
      levels.get(item.id)!.push(exchangeFromCdfs(cdfL, cdfLR, review, limit, lambdas, item.unitCost));
    }
  }
  return { from: start, levels };
}

/** The k nearest (series, origin) pairs to item i at t among origins lo..hi of every series (ties all kept). */
function neighbours(feats: readonly Float64Array[], i: number, t: number, lo: number, hi: number, k: number, dist: Float64Array): [number, number][] {
  const q = feats[i]!;
  const qo = t * DIM;
  let m = 0;
  for (let u = lo; u <= hi; u++) {
    for (const f of feats) {
      let d2 = 0;
      for (let d = 0; d < DIM; d++) {
        const e = q[qo + d]! - f[u * DIM + d]!;
        d2 += e * e;
      }
      dist[m++] = d2;
    }
  }
  const kth = kthSmallest(dist.slice(0, m), Math.min(k, m) - 1);
  const out: [number, number][] = [];
  m = 0;
  for (let u = lo; u <= hi; u++) for (let j = 0; j < feats.length; j++) if (dist[m++]! <= kth) out.push([j, u]);
  return out;
}
