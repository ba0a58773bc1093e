/**
 * The demand rate and variability that policies and risk are computed from, behind one small signature: the
 * forecasting module's automatic method on weekly buckets (`weeklyForecast`, the default) or the plain trailing
 * mean and variance (`trailingMoments`, also the fallback for histories too short to forecast).
 */
import { forecastSeries, horizonDemandInputs } from '../forecasting/index.js';

/** One SKU x warehouse's unconstrained demand per day, oldest first, 0 on days without orders. */
export interface DemandHistory {
  skuId: string;
  warehouseId: string;
  /** ISO day of `daily[0]`. */
  from: string;
  daily: readonly number[];
}

export interface DemandEstimate {
  dailyMean: number;
  dailyVariance: number;
  /** Which estimator produced it, e.g. `weekly-forecast(tsb(0.1,0.3), 26w)` or `trailing-mean(20d)`. */
  method: string;
}

export type DemandEstimator = (history: DemandHistory) => DemandEstimate;

/**
 * Mean and sample variance (n - 1) of the daily demand over the whole history given. With fewer than two days
 * there is no spread to measure, and the variance is taken equal to the mean (Poisson demand), so a new item is
 * neither treated as certain nor as wildly erratic.
 */
export const trailingMoments: DemandEstimator = (history) => {
  const n = history.daily.length;
  const method = `trailing-mean(${n}d)`;
  if (n === 0) return { dailyMean: 0, dailyVariance: 0, method };
  const mean = history.daily.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { dailyMean: mean, dailyVariance: mean, method };
  const squares = history.daily.reduce((s, x) => s + (x - mean) * (x - mean), 0);
  return { dailyMean: mean, dailyVariance: squares / (n - 1), method };
};

/** Fewer whole weeks than this and the forecaster has too little to choose a method by: the trailing moments are used. */
export const minForecastWeeks = 4;

/**
 * The next week's demand law from the automatic forecaster (src/forecasting/auto.ts: a method chosen per series by
 * rolling-origin error, intermittent methods and a negative binomial for lumpy demand), spread evenly over its 7
 * days: daily mean = weekly mean / 7 and daily variance = weekly variance / 7, so that any lead time's total has the
 * week's dispersion. Weeks, not days: daily series of slow movers are almost all zeros, and a method chosen on them
 * would forecast the day of the week, not the rate. The whole weeks that end on the history's last day are used;
 * days before the first of them are left out.
 */
export const weeklyForecast: DemandEstimator = (history) => {
  const weeks = Math.floor(history.daily.length / 7);
  if (weeks < minForecastWeeks) return trailingMoments(history);
  const skip = history.daily.length - 7 * weeks;
  const weekly = new Float64Array(weeks);
  for (let d = 0; d < 7 * weeks; d++) weekly[Math.floor(d / 7)]! += history.daily[skip + d]!;
  const forecast = forecastSeries(weekly, { horizon: 1, quantiles: [], method: 'auto' });
  const { perPeriod } = horizonDemandInputs(forecast, 1);
  return { dailyMean: perPeriod.mean / 7, dailyVariance: perPeriod.variance / 7, method: `weekly-forecast(${forecast.method}, ${weeks}w)` };
};
