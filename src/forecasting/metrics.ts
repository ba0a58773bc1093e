/**
 * Forecast accuracy measures, per series and pooled over many series.
 *
 * - MASE (Hyndman & Koehler 2006; Hyndman & Athanasopoulos, FPP 3rd ed., section 5.8): mean |y - f| over the
 *   horizon divided by the in-sample mean absolute first difference (lag m, default 1) of the training series.
 * - RMSSE (Makridakis, Spiliotis & Assimakopoulos 2022, "M5 accuracy competition: results, findings, and
 *   conclusions", IJF 38(4); FPP3 5.8): sqrt(mean (y - f)^2 / mean of squared in-sample first differences).
 * - Scaled pinball loss (M5 uncertainty competition, Makridakis et al. 2022, IJF 38(4)): the pinball loss
 *   q (y - Q)+ + (1 - q) (Q - y)+ averaged over the horizon, divided by the in-sample mean ABSOLUTE first difference.
 * - Pooled bias: sum(f - y) / sum(y) over every series and step (a share: -1 is an all-zero forecast).
 * - Coverage of a quantile: the share of actuals at or below it, pooled over every series and step.
 *
 * Scales use every consecutive pair of observed training periods, t = 2..n (unlike the M5, which starts at the
 * first non-zero demand); a missing period or actual is skipped. A series whose scale is zero (constant in the
 * training window) has no scaled measure and is left out of the averages, as in FPP3 and the M5.
 */

/** Mean |y_t - y_{t-lag}|^power over observed training pairs (NaN when there is no pair). */
export function inSampleScale(train: Float64Array, power: 1 | 2, lag = 1): number {
  let sum = 0;
  let count = 0;
  for (let t = lag; t < train.length; t++) {
    const d = train[t]! - train[t - lag]!;
    if (d !== d) continue;
    sum += power === 1 ? Math.abs(d) : d * d;
    count++;
  }
  return count > 0 ? sum / count : NaN;
}

/** Mean of |y - f|^power over the observed actuals (NaN when none). */
function meanError(actual: Float64Array, forecast: Float64Array, power: 1 | 2): number {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < actual.length; i++) {
    const e = actual[i]! - forecast[i]!;
    if (e !== e) continue;
    sum += power === 1 ? Math.abs(e) : e * e;
    count++;
  }
  return count > 0 ? sum / count : NaN;
}

/** Mean absolute scaled error of one series' forecast (NaN when the scale is zero). */
export function mase(train: Float64Array, actual: Float64Array, forecast: Float64Array, lag = 1): number {
  const scale = inSampleScale(train, 1, lag);
  return scale > 0 ? meanError(actual, forecast, 1) / scale : NaN;
}

/** Root mean squared scaled error of one series' forecast (NaN when the scale is zero). */
export function rmsse(train: Float64Array, actual: Float64Array, forecast: Float64Array): number {
  const scale = inSampleScale(train, 2);
  return scale > 0 ? Math.sqrt(meanError(actual, forecast, 2) / scale) : NaN;
}

/** Pinball (quantile) loss of the q-quantile forecast, averaged over the observed actuals. */
export function pinballLoss(actual: Float64Array, quantile: Float64Array, q: number): number {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < actual.length; i++) {
    const e = actual[i]! - quantile[i]!;
    if (e !== e) continue;
    sum += e >= 0 ? q * e : (q - 1) * e;
    count++;
  }
  return count > 0 ? sum / count : NaN;
}

/** Pinball loss scaled by the in-sample mean absolute first difference (NaN when that is zero). */
export function scaledPinball(train: Float64Array, actual: Float64Array, quantile: Float64Array, q: number): number {
  const scale = inSampleScale(train, 1);
  return scale > 0 ? pinballLoss(actual, quantile, q) / scale : NaN;
}

/** One series' evaluation: its training window, the actuals, the mean forecast and quantile forecasts. */
export interface SeriesEvaluation {
  readonly train: Float64Array;
  readonly actual: Float64Array;
  readonly mean: Float64Array;
  readonly quantiles?: readonly { readonly q: number; readonly values: Float64Array }[];
}

export interface ScoreSummary {
  readonly series: number;
  /** Series with a non-zero scale: the ones MASE, RMSSE and SPL average over. */
  readonly scaled: number;
  readonly mase: number;
  readonly rmsse: number;
  readonly bias: number;
  /** Per quantile level: mean scaled pinball loss and pooled coverage. */
  readonly quantiles: readonly { readonly q: number; readonly spl: number; readonly coverage: number }[];
}

/** Accumulates many series' evaluations into the pooled measures above. */
export class Scoreboard {
  private series = 0;
  private scaled = 0;
  private maseSum = 0;
  private rmsseSum = 0;
  private errorSum = 0;
  private actualSum = 0;
  private readonly spl: number[];
  private readonly covered: number[];
  private observed = 0;

  constructor(readonly levels: readonly number[]) {
    this.spl = levels.map(() => 0);
    this.covered = levels.map(() => 0);
  }

  /** Adds one series; its quantiles must be given in the order of `levels` (or left out). */
  add(e: SeriesEvaluation): void {
    this.series++;
    for (let i = 0; i < e.actual.length; i++) {
      const y = e.actual[i]!;
      if (y !== y) continue;
      this.errorSum += e.mean[i]! - y;
      this.actualSum += y;
      this.observed++;
      e.quantiles?.forEach((quantile, k) => {
        if (y <= quantile.values[i]!) this.covered[k]! += 1;
      });
    }
    const absScale = inSampleScale(e.train, 1);
    const squaredScale = inSampleScale(e.train, 2);
    if (!(absScale > 0 && squaredScale > 0)) return;
    this.scaled++;
    this.maseSum += meanError(e.actual, e.mean, 1) / absScale;
    this.rmsseSum += Math.sqrt(meanError(e.actual, e.mean, 2) / squaredScale);
    e.quantiles?.forEach((quantile, k) => {
      this.spl[k]! += pinballLoss(e.actual, quantile.values, quantile.q) / absScale;
    });
  }

  summary(): ScoreSummary {
    return {
      series: this.series,
      scaled: this.scaled,
      mase: this.maseSum / this.scaled,
      rmsse: this.rmsseSum / this.scaled,
      bias: this.errorSum / this.actualSum,
      quantiles: this.levels.map((q, k) => ({ q, spl: this.spl[k]! / this.scaled, coverage: this.covered[k]! / this.observed })),
    };
  }
}

/** Share of the observed actuals at or below the quantile forecast (NaN when none is observed). */
export function coverageOf(actual: Float64Array, quantile: Float64Array): number {
  let covered = 0;
  let count = 0;
  for (let i = 0; i < actual.length; i++) {
    const y = actual[i]!;
    if (y !== y) continue;
    count++;
    if (y <= quantile[i]!) covered++;
  }
  return count > 0 ? covered / count : NaN;
}
