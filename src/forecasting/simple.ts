/**
 * Benchmark methods of Hyndman & Athanasopoulos, Forecasting: Principles and Practice (3rd ed.), section 5.2
 * "Some simple forecasting methods": naive (yhat_{T+h} = y_T) and seasonal naive (yhat_{T+h} = y_{T+h-m(k+1)},
 * k = floor((h-1)/m)); and the simple moving-average forecast, the mean of the last k observations (the moving
 * average of FPP 3.3 used as a flat forecast, as in Silver, Pyke & Thomas, "Inventory and Production Management
 * in Supply Chains", ch. 4). With missing periods each uses the last OBSERVED value(s): naive carries the last
 * observation, seasonal naive the last observation of the same season, the moving average averages the observed
 * values in its window (carrying the previous mean over a window with none). Moving average's fit chooses k by
 * in-sample one-step MSE, compared on the same periods (t >= the largest k tried) for every k.
 */
import { checkHorizon, flatForecast, makeModel, type Model } from './types.js';

/** Naive: every forecast is the last observation. */
export function naive(y: Float64Array): Model {
  return seasonalNaiveModel(y, 1, 'Naive');
}

/** Seasonal naive with season length m (m = 1 is naive). */
export function seasonalNaive(y: Float64Array, m: number): Model {
  return seasonalNaiveModel(y, checkSeasonLength(m), m === 1 ? 'Naive' : 'Seasonal naive');
}

function seasonalNaiveModel(y: Float64Array, m: number, name: string): Model {
  const n = y.length;
  const last = new Float64Array(m).fill(NaN); // last observation of each season, by t mod m
  const fitted = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    fitted[t] = last[t % m]!;
    const v = y[t]!;
    if (v === v) last[t % m] = v;
  }
  const forecast = (h: number): Float64Array => {
    const out = new Float64Array(checkHorizon(h));
    for (let i = 0; i < h; i++) out[i] = last[(n + i) % m]!;
    return out;
  };
  return makeModel(name, { m }, y, fitted, forecast);
}

/** Mean of the last k periods' observations as the forecast of every horizon. */
export function movingAverage(y: Float64Array, k: number): Model {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`moving-average window must be a positive integer, got ${k}`);
  const means = windowMeans(y, k);
  const level = means[y.length]!;
  return makeModel('Moving average', { k }, y, means.slice(0, y.length), (h) => flatForecast(h, level));
}

/** Moving average with k in 1..maxWindow chosen by in-sample one-step MSE over the periods t >= maxWindow. */
export function movingAverageFit(y: Float64Array, opts: { maxWindow?: number } = {}): Model {
  const maxWindow = Math.max(1, Math.min(opts.maxWindow ?? 12, Math.floor(y.length / 2)));
  let bestK = 1;
  let bestLoss = Infinity;
  for (let k = 1; k <= maxWindow; k++) {
    const loss = windowLoss(y, k, maxWindow);
    if (loss < bestLoss) {
      bestLoss = loss;
      bestK = k;
    }
  }
  return movingAverage(y, bestK);
}

/**
 * out[t] = mean of the observed values among y[t-k..t-1] for t = 0..n (out[n] is the forecast); NaN while the
 * window is incomplete; a window with no observation carries the previous mean (the state carries over gaps).
 */
function windowMeans(y: Float64Array, k: number): Float64Array {
  const n = y.length;
  const out = new Float64Array(n + 1).fill(NaN);
  let sum = 0;
  let count = 0;
  for (let t = 0; t <= n; t++) {
    if (t >= k) out[t] = count > 0 ? sum / count : out[t - 1]!;
    if (t === n) break;
    const add = y[t]!;
    if (add === add) {
      sum += add;
      count++;
    }
    if (t >= k) {
      const drop = y[t - k]!;
      if (drop === drop) {
        sum -= drop;
        count--;
      }
    }
  }
  return out;
}

function windowLoss(y: Float64Array, k: number, from: number): number {
  const fitted = windowMeans(y, k);
  let sum = 0;
  let count = 0;
  for (let t = from; t < y.length; t++) {
    const e = y[t]! - fitted[t]!;
    if (e === e) {
      sum += e * e;
      count++;
    }
  }
  return count > 0 ? sum / count : Infinity;
}

function checkSeasonLength(m: number): number {
  if (!Number.isInteger(m) || m < 1) throw new RangeError(`season length must be a positive integer, got ${m}`);
  return m;
}
