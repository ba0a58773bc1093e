/**
 * The demand rate and variability that policies and risk are computed from, behind one small signature so the
 * forecasting module (src/forecasting/) can replace the simple estimator without touching its callers.
 */

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
  /** Which estimator produced it, e.g. `trailing-mean(182d)`. */
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
