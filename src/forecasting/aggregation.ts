/**
 * Temporal aggregation for intermittent demand.
 * - ADIDA, Nikolopoulos, Syntetos, Boylan, Petropoulos & Assimakopoulos (2011), "An aggregate-disaggregate
 *   intermittent demand approach (ADIDA) to forecasting", JORS 62(3): sum the series into non-overlapping buckets
 *   of k periods, forecast the bucket series by SES, and split each bucket forecast equally over its k periods.
 *   Buckets end at the last period; the first n mod k periods are dropped (as R tsintermittent and Nixtla
 *   statsforecast do). A bucket with some periods missing is scaled up from its observed ones (k / observed); one
 *   with none is missing.
 * - IMAPA, Petropoulos & Kourentzes (2015), "Forecast combinations for intermittent demand", JORS 66(6): the mean
 *   of the ADIDA forecasts over aggregation levels 1..K. The paper also picks SES, Croston or SBA per level by a
 *   classification; here every level uses SES, so IMAPA with K = 1 is SES itself.
 * fitted[t] is the bucket's one-step forecast / k (NaN in the dropped periods); IMAPA averages the levels that
 * have one. SES is ses.ts: with fixed alpha it starts at the first bucket; fitted, alpha and l0 minimise the
 * bucket series' one-step SSE with alpha in [0.05, 0.3] (the intermittent-demand range) and l0 within the range
 * of the buckets (so non-negative demand never gets a negative forecast). Default levels: k and K
 * = round(ADI) (classify.ts; as statsforecast), at least 1 and at most n / 4 so at least four buckets remain.
 */
import { classifyDemand } from './classify.js';
import { ses, sesFit } from './ses.js';
import { checkHorizon, makeModel, type Model } from './types.js';
import type { IntermittentBounds } from './croston.js';

/** ADIDA with bucket size k and a fixed SES alpha on the bucket series. */
export function adida(y: Float64Array, params: { k: number; alpha: number }): Model {
  return adidaModel(y, checkLevel(params.k), (buckets) => ses(buckets, { alpha: params.alpha }));
}

/** ADIDA with SES alpha (and l0) estimated on the bucket series; k defaults to round(ADI). */
export function adidaFit(y: Float64Array, opts: { k?: number } & IntermittentBounds = {}): Model {
  const k = checkLevel(opts.k ?? defaultLevel(y));
  return adidaModel(y, k, (buckets) => sesFit(buckets, { lower: opts.lower ?? 0.05, upper: opts.upper ?? 0.3, levelWithinRange: true }));
}

/** IMAPA over levels 1..maxLevel with a fixed SES alpha at every level. */
export function imapa(y: Float64Array, params: { maxLevel: number; alpha: number }): Model {
  const levels = levelsUpTo(checkLevel(params.maxLevel)).map((k) => adida(y, { k, alpha: params.alpha }));
  return combine(y, levels, { maxLevel: params.maxLevel, alpha: params.alpha });
}

/** IMAPA with SES estimated at each level; maxLevel defaults to round(ADI). */
export function imapaFit(y: Float64Array, opts: { maxLevel?: number } & IntermittentBounds = {}): Model {
  const maxLevel = checkLevel(opts.maxLevel ?? defaultLevel(y));
  const levels = levelsUpTo(maxLevel).map((k) => adidaFit(y, { ...opts, k }));
  return combine(y, levels, { maxLevel });
}

/** Bucket sums of size k, ending at the last period. */
export function aggregate(y: Float64Array, k: number): Float64Array {
  const count = Math.floor(y.length / k);
  const head = y.length - count * k;
  const out = new Float64Array(count);
  for (let j = 0; j < count; j++) {
    let sum = 0;
    let observed = 0;
    for (let i = head + j * k; i < head + (j + 1) * k; i++) {
      const v = y[i]!;
      if (v === v) {
        sum += v;
        observed++;
      }
    }
    out[j] = observed === 0 ? NaN : observed === k ? sum : (sum * k) / observed;
  }
  return out;
}

function adidaModel(y: Float64Array, k: number, smooth: (buckets: Float64Array) => Model): Model {
  const buckets = aggregate(y, k);
  const inner = smooth(buckets);
  const head = y.length - buckets.length * k;
  const fitted = new Float64Array(y.length).fill(NaN);
  for (let t = head; t < y.length; t++) fitted[t] = inner.fitted[Math.floor((t - head) / k)]! / k;
  const level = inner.forecast(1)[0]! / k;
  const forecast = (h: number): Float64Array => new Float64Array(checkHorizon(h)).fill(level);
  return makeModel('ADIDA', { k, alpha: inner.params['alpha']! }, y, fitted, forecast);
}

function combine(y: Float64Array, levels: Model[], params: Record<string, number>): Model {
  const fitted = new Float64Array(y.length);
  for (let t = 0; t < y.length; t++) {
    let sum = 0;
    let count = 0;
    for (const m of levels) {
      const f = m.fitted[t]!;
      if (f === f) {
        sum += f;
        count++;
      }
    }
    fitted[t] = count > 0 ? sum / count : NaN;
  }
  let level = 0;
  for (const m of levels) level += m.forecast(1)[0]! / levels.length;
  const forecast = (h: number): Float64Array => new Float64Array(checkHorizon(h)).fill(level);
  return makeModel('IMAPA', params, y, fitted, forecast);
}

function defaultLevel(y: Float64Array): number {
  const adi = classifyDemand(y).adi;
  const cap = Math.max(1, Math.floor(y.length / 4));
  return Number.isFinite(adi) ? Math.max(1, Math.min(Math.round(adi), cap)) : 1;
}

function levelsUpTo(maxLevel: number): number[] {
  return Array.from({ length: maxLevel }, (_, i) => i + 1);
}

function checkLevel(k: number): number {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`aggregation level must be a positive integer, got ${k}`);
  return k;
}
