/**
 * One call per series: a method (named, or chosen automatically), mean forecasts per step, quantiles per step, and
 * quantiles of the total demand over the next 1..h steps (lead time, or review period plus lead time).
 *
 * - method 'auto': rolling-origin selection (Hyndman & Athanasopoulos, FPP 3rd ed., section 5.10) over a pool of
 *   fixed-parameter candidates (select.ts), the intermittent pool when the Syntetos-Boylan-Croston class
 *   (classify.ts) is intermittent or lumpy. With a season length and a smooth series, the AICc choice of ets_auto
 *   joins the pool. A named method is fitted by the registry (index.ts).
 * - Predictive distribution (quantiles.ts). Intermittent and lumpy series: negative binomial for counts (Kolassa
 *   2016, IJF 32(3)), gamma for other non-negative quantities, with per-step variance level x dispersion, where
 *   the level is `upperLevel` below and the dispersion the smaller of the history's var / mean and that of the
 *   one-step errors around a slow level. Smooth and erratic series: the method's mean per step and its one-step
 *   residual variance, growing with the step as in the ETS state space models; NB for counts, gamma for other
 *   non-negative data, normal otherwise.
 * - `point`: for count series the point forecast that minimises the expected RMSSE (point.ts; Kolassa 2016 on
 *   matching the point to the error measure), lower than the mean for slow movers; the mean otherwise. Report
 *   RMSSE with `point`; plan with `mean`, the quantiles and `horizonDemand`.
 * - Optional panel calibration (`occurrence`, fitted by occurrence.ts's fitOccurrenceModel on the user's panel up
 *   to the forecast origin): intermittent and lumpy count series then get a zero-modified NB per step, P(0) from
 *   the panel's logistic model of P(demand > 0) and the NB's law above zero (quantiles.ts). Without it, the NB.
 *   With `sizes` too (fitted by fitSizeModel below, likewise), the law above zero has the panel's calibrated
 *   P(size >= k + 1 | size >= k) for k = 1..3 (sizes.ts) and the NB's tail above.
 * The rules (candidate pools, the level and dispersion of the quantiles, the RMSSE point) were chosen by
 * rolling-origin evaluation on the training months of carparts only (bench/forecast.ts).
 */
import { methods } from './index.js';
import { classifyDemand, type DemandClass } from './classify.js';
import { occurrenceProbability, type OccurrenceModel } from './occurrence.js';
import { fitSizeModel as fitSizes, sizeContinuation, type SizeFitOptions, type SizeModel } from './sizes.js';
import { rmsseOptimalPoint } from './point.js';
import {
  intermittentPredictive,
  smoothPredictive,
  stepQuantiles,
  totalDistribution,
  totalQuantiles,
  type Predictive,
  type QuantileForecast,
} from './quantiles.js';
import { candidatePool, defaultRollingOrigin, modelTrack, oneStepMse, selectByRollingOrigin } from './select.js';
import { holtTrack, sesTrack, type Growth, type Track } from './tracks.js';
import type { MethodName, Model } from './types.js';
import type { Distribution, Family, Moments } from '../planning/distributions.js';

export interface ForecastOptions {
  readonly horizon: number;
  /** Quantile levels in (0, 1), e.g. [0.5, 0.9, 0.95, 0.99]. */
  readonly quantiles: readonly number[];
  readonly method: MethodName | 'auto';
  readonly seasonLength?: number;
  /**
   * Panel calibration of P(demand > 0) for intermittent and lumpy count series (occurrence.ts's
   * fitOccurrenceModel, fitted on the panel's data up to the forecast origin). Absent: the uncalibrated NB.
   */
  readonly occurrence?: OccurrenceModel;
  /**
   * With `occurrence`: panel calibration of the size of a demand (sizes.ts, fitted by fitSizeModel below on the
   * panel's data up to the forecast origin). Absent: the NB conditioned on being positive.
   */
  readonly sizes?: SizeModel;
}

export interface SeriesForecast {
  /** The method used: a registry model's name (e.g. 'SES', 'ETS(A,Ad,A)') or an auto candidate's (e.g. 'tsb(0.1,0.3)'). */
  readonly method: string;
  readonly demandClass: DemandClass;
  /** Expected demand per step. */
  readonly mean: Float64Array;
  /** The point forecast minimising expected RMSSE per step (equal to `mean` for smooth, non-count demand). */
  readonly point: Float64Array;
  /** Per-step quantiles, one row per requested level. */
  readonly quantiles: QuantileForecast[];
  /** Quantiles of the total over the next H steps: values[H - 1], H = 1..horizon. */
  readonly cumulative: QuantileForecast[];
  /** The predictive distribution behind the quantiles (family, per-step and total moments). */
  readonly predictive: Predictive;
}

/** Forecasts one series (oldest first, NaN = not observed) h steps ahead with quantiles. */
export function forecastSeries(y: Float64Array, o: ForecastOptions): SeriesForecast {
  check(o);
  const h = o.horizon;
  const profile = classifyDemand(y);
  const stats = seriesStats(y);
  const intermittent = profile.demandClass === 'intermittent' || profile.demandClass === 'lumpy';
  if (stats.observed === 0 || (profile.demandClass === 'no_demand' && stats.nonNegative)) return flatZero(o, profile.demandClass);
  const fit = o.method === 'auto' ? autoFit(y, h, intermittent, o.seasonLength) : namedFit(y, h, o.method, o.seasonLength);
  const slow = fit.slow ?? sesTrack(y, 0.1);
  // Too short a series for a one-step error leaves only the mean (and, for counts, the NB's floor var = mean).
  const sigma2 = Number.isFinite(fit.sigma2) ? fit.sigma2 : 0;
  const family = stats.counts ? 'negative-binomial' : stats.nonNegative ? 'gamma' : 'normal';
  const occurrence = intermittent && stats.counts && o.occurrence !== undefined ? occurrenceProbability(o.occurrence, y) : undefined;
  let predictive: Predictive;
  if (intermittent) {
    const level = upperLevel(y, fit.mean[0]!, slow);
    const dispersion = Math.min(stats.dispersion, residualDispersion(y, slow));
    // The NB (level, level x dispersion) that intermittentPredictive conditions the size on (dispersion at least 1).
    const sizes = occurrence !== undefined && o.sizes !== undefined && level > 0 ? sizeContinuation(o.sizes, y, level, level * Math.max(1, dispersion)) : undefined;
    predictive = intermittentPredictive(level, dispersion, 0.1, h, family, occurrence, sizes === undefined ? undefined : [...sizes]);
  } else predictive = smoothPredictive(fit.mean, sigma2, fit.growth, family, Math.max(1, stats.dispersion));
  const mean = stats.nonNegative ? fit.mean.map((m) => Math.max(0, m)) : fit.mean;
  return {
    method: fit.name,
    demandClass: profile.demandClass,
    mean,
    point: stats.counts ? pointForecast(mean) : mean,
    quantiles: stepQuantiles(predictive, o.quantiles),
    cumulative: totalQuantiles(predictive, o.quantiles),
    predictive,
  };
}

/**
 * Fits sizes.ts's model of the size of a demand on a panel (each series up to the forecast origin), with the NB
 * the automatic method would condition each past window's sizes on: the uncalibrated law of intermittent and
 * lumpy count histories. Pass the result as `sizes`, with `occurrence`, to forecastSeries.
 */
export function fitSizeModel(panel: readonly Float64Array[], o: Omit<SizeFitOptions, 'baseLaw'> & { seasonLength?: number }): SizeModel | null {
  const options = { horizon: o.horizon, quantiles: [], method: 'auto' as const, ...(o.seasonLength === undefined ? {} : { seasonLength: o.seasonLength }) };
  return fitSizes(panel, {
    ...o,
    baseLaw: (history) => {
      const f = forecastSeries(history, options);
      if (!(f.demandClass === 'intermittent' || f.demandClass === 'lumpy') || f.predictive.family !== 'negative-binomial') return null;
      return f.predictive.mean[0]! > 0 ? { mean: f.predictive.mean[0]!, variance: f.predictive.variance[0]! } : null;
    },
  });
}

/** The distribution of total demand over the next H steps (1 <= H <= the forecast's horizon). */
export function horizonDemand(f: SeriesForecast, H: number): Distribution {
  return totalDistribution(f.predictive, H);
}

/** The q-quantile of total demand over the next H steps, e.g. lead-time demand for a reorder point. */
export function horizonDemandQuantile(f: SeriesForecast, H: number, q: number): number {
  return horizonDemand(f, H).quantile(q);
}

/**
 * Inputs for the planning module's policies (planning/policies.ts) over a lead time of H periods: the family and
 * per-period moments whose H-period total (mean H d, variance H var_d, as planning/safety-stock.ts's
 * protectionDemand computes it for a fixed lead time) has exactly the mean and variance of `horizonDemand(f, H)`.
 */
export function horizonDemandInputs(f: SeriesForecast, H: number): { family: Family; perPeriod: Moments } {
  const total = horizonDemand(f, H);
  return { family: f.predictive.family, perPeriod: { mean: total.mean / H, variance: total.variance / H } };
}

interface Fit {
  readonly name: string;
  readonly mean: Float64Array;
  readonly sigma2: number;
  readonly growth: Growth;
  /** SES(0.1) when the fit already ran it: the slow level under the count quantiles. */
  readonly slow?: Track;
}

function autoFit(y: Float64Array, h: number, intermittent: boolean, seasonLength: number | undefined): Fit {
  const pool = candidatePool(y, { intermittent, ...(seasonLength === undefined ? {} : { seasonLength }) });
  const ro = defaultRollingOrigin(y.length, h);
  if (!intermittent && seasonLength !== undefined && seasonLength >= 2 && y.length >= 2 * seasonLength + ro.origins) {
    const ets = modelTrack(y, methods.ets_auto.fit(y, { seasonLength }), seasonLength);
    if (ets !== null) pool.push(ets);
  }
  const best = selectByRollingOrigin(y, pool, ro).best;
  const slow = pool.find((track) => track.name === 'ses(0.1)');
  const fit = { name: best.name, mean: forecastFrom(best, y.length, h), sigma2: intermittent ? NaN : oneStepMse(y, best), growth: best.growth };
  return slow === undefined ? fit : { ...fit, slow };
}

function namedFit(y: Float64Array, h: number, method: MethodName, seasonLength: number | undefined): Fit {
  const model = methods[method].fit(y, seasonLength === undefined ? {} : { seasonLength });
  return { name: model.name, mean: model.forecast(h), sigma2: model.mse, growth: growthOf(model, seasonLength ?? 1) };
}

function forecastFrom(track: Track, origin: number, h: number): Float64Array {
  const out = new Float64Array(h);
  for (let j = 0; j < h; j++) out[j] = track.forecastAt(origin, j + 1);
  return out;
}

/** The innovations-form constants of a registry model, for the spread of its multi-step forecasts. */
function growthOf(model: Model, m: number): Growth {
  const p = model.params;
  const alpha = p['alpha'] ?? (p['k'] !== undefined ? 1 / p['k'] : undefined) ?? p['alphaInterval'] ?? 0.1;
  return { alpha: model.name === 'Naive' ? 1 : alpha, beta: p['beta'] ?? 0, phi: p['phi'] ?? 1, gamma: p['gamma'] ?? (model.name === 'Seasonal naive' ? 1 : 0), m };
}

function pointForecast(mean: Float64Array): Float64Array {
  let average = 0;
  for (const m of mean) average += m / mean.length;
  const factor = average > 0 ? rmsseOptimalPoint(average, mean.length) / average : 0;
  return mean.map((m) => m * factor);
}

/**
 * The level under intermittent quantiles: the highest of the method's forecast, a slow level (SES 0.1) and a slow
 * damped trend (Holt 0.1 / 0.02 / 0.95), so that neither a recent lull nor a rising trend makes the upper
 * quantiles optimistic. Chosen over the method's forecast alone and over the first two alone by rolling-origin
 * scaled pinball loss on carparts' training months (fits on months 1-33 and 1-39, six months ahead each).
 */
function upperLevel(y: Float64Array, forecast: number, slow: Track): number {
  const trend = holtTrack(y, 0.1, 0.02, 0.95).forecastAt(y.length, 1);
  return Math.max(0, forecast, slow.forecastAt(y.length, 1), Number.isFinite(trend) ? trend : 0);
}

/**
 * var / mean of the one-step errors of the slow level, from period 12 on: the dispersion of demand around a moving
 * level. The history's own var / mean also counts the level's movements; the smaller of the two is used.
 */
function residualDispersion(y: Float64Array, slow: Track): number {
  let squares = 0;
  let level = 0;
  for (let t = 12; t < y.length; t++) {
    const f = slow.forecastAt(t, 1);
    const e = y[t]! - f;
    if (e !== e) continue;
    squares += e * e;
    level += f;
  }
  return level > 0 ? squares / level : Infinity;
}

interface SeriesStats {
  readonly observed: number;
  readonly counts: boolean;
  readonly nonNegative: boolean;
  /** var(y) / mean(y) over the observed periods (1 without demand). */
  readonly dispersion: number;
}

function seriesStats(y: Float64Array): SeriesStats {
  let observed = 0;
  let sum = 0;
  let squares = 0;
  let counts = true;
  let nonNegative = true;
  for (let t = 0; t < y.length; t++) {
    const v = y[t]!;
    if (v !== v) continue;
    observed++;
    sum += v;
    squares += v * v;
    if (v < 0) nonNegative = false;
    if (!Number.isInteger(v) || v < 0) counts = false;
  }
  const mean = observed > 0 ? sum / observed : 0;
  const variance = observed > 0 ? squares / observed - mean * mean : 0;
  return { observed, counts, nonNegative, dispersion: mean > 0 ? Math.max(0, variance / mean) : 1 };
}

function flatZero(o: ForecastOptions, demandClass: DemandClass): SeriesForecast {
  const h = o.horizon;
  const predictive = intermittentPredictive(0, 1, 0.1, h, 'negative-binomial');
  const zeros = new Float64Array(h);
  return {
    method: 'none',
    demandClass,
    mean: zeros,
    point: zeros,
    quantiles: stepQuantiles(predictive, o.quantiles),
    cumulative: totalQuantiles(predictive, o.quantiles),
    predictive,
  };
}

function check(o: ForecastOptions): void {
  if (!Number.isInteger(o.horizon) || o.horizon < 1) throw new RangeError(`horizon must be a positive integer, got ${o.horizon}`);
  for (const q of o.quantiles) if (!(q > 0 && q < 1)) throw new RangeError(`quantile levels must be in (0, 1), got ${q}`);
  if (o.method !== 'auto' && !Object.hasOwn(methods, o.method)) throw new RangeError(`unknown method '${String(o.method)}'`);
}
