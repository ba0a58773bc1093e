/**
 * What a forecast-driven policy knows about demand at a review: the law of demand per period, re-estimated from
 * the history seen so far (and nothing later). Two kinds:
 *
 * - `auto`: the product's forecaster (src/forecasting/auto.ts, `forecastSeries` + `horizonDemandInputs`), run on
 *   the history at every review: method chosen per series by rolling origins, negative binomial or gamma laws
 *   for intermittent demand, ETS variances for smooth demand. The per-period moments are those whose H-period
 *   total has the forecast's mean and variance over the protection interval H (lead time + review).
 * - fixed-constant smoothers updated one period at a time (`ses`, `tsb`, `sba`, `ma`): the classical baselines.
 *   The mean is the method's forecast (SES: Brown; TSB: Teunter, Syntetos & Babai 2011; SBA: Syntetos & Boylan
 *   2005; moving average of 12), the variance the exponentially smoothed squared one-step error (Silver, Pyke &
 *   Thomas 2017, section 4.7: smoothed MSE as the forecast-error variance); normal law, or (law 'count') negative
 *   binomial / Poisson with that mean and variance.
 *
 * Each model is fed the growing history prefix the simulator hands the policy and keeps its state between calls,
 * so a whole run costs one pass for the smoothers.
 */
import { forecastSeries, horizonDemandInputs } from '../forecasting/index.js';
import { empiricalSizes, leadTimeCompound, type Sizes } from '../planning/compound.js';
import { fitDistribution, type Distribution, type Family, type Moments } from '../planning/distributions.js';

export interface DemandView {
  readonly family: Family;
  /** Per period; the protection interval's total has mean H x mean and variance H x variance. */
  readonly perPeriod: Moments;
  /** Law 'compound': demand occasions per period and the observed sizes of past demands. */
  readonly compound?: { readonly occasionsPerPeriod: number; readonly sizes: Sizes };
}

/** The law of demand over `periods` periods. */
export function demandOver(v: DemandView, periods: number): Distribution {
  if (v.compound) return leadTimeCompound({ occasionsPerDay: v.compound.occasionsPerPeriod, sizes: v.compound.sizes, leadTimeMeanDays: periods, leadTimeSdDays: 0 });
  return fitDistribution(v.family, v.perPeriod.mean * periods, v.perPeriod.variance * periods);
}

export type SmootherName = 'ses' | 'tsb' | 'sba' | 'ma';
export type DemandModelName = 'auto' | SmootherName;
export const demandModelNames: readonly DemandModelName[] = ['auto', 'ses', 'tsb', 'sba', 'ma'];
/**
 * The law a smoother's forecast is given: normal (the classical textbook choice), a count law (negative binomial
 * or Poisson), or a compound law: Poisson demand occasions at the rate the smoother implies (TSB's demand
 * probability; else the forecast / the mean size) with the sizes seen so far (planning/compound.ts).
 */
export type LawName = 'normal' | 'count' | 'compound';

/** A model for one item: call with the history seen so far (each call's history extends the previous one). */
export type DemandModel = (history: Float64Array) => DemandView;

/**
 * A smoother's constants instead of the textbook 0.1s: `alpha` smooths the level (SES), the demand size (TSB) or
 * size and interval (SBA); `beta` TSB's demand probability; `varianceFactor` multiplies the smoothed squared error
 * before the law is fitted (1: the error variance as it is). Meant to be chosen on a span before the one measured:
 * on carparts, chosen on months 16-27 (policies from month 13), TSB with alpha 0.3, beta 0.2 and a variance
 * factor of 0.35 (RS/exchange, rates down to 0.0001) needs 4.53 units per series for a 95% fill rate on months
 * 28-51 where the 0.1s need 4.71.
 */
export interface SmootherSettings {
  readonly alpha?: number;
  readonly beta?: number;
  readonly varianceFactor?: number;
}

/**
 * `series` (optional) names the whole series the histories are prefixes of: auto's views are then kept per series,
 * so two families on the same item in one run (e.g. auto/RS/fill and auto/RS/fill-avg) forecast once.
 */
export function demandModel(name: DemandModelName, protectionPeriods: number, law: LawName = 'normal', series?: object, smoothing: SmootherSettings = {}): DemandModel {
  return name === 'auto' ? autoModel(protectionPeriods, series) : smootherModel(name, law, smoothing);
}

const autoViews = new WeakMap<object, Map<string, DemandView>>();

function autoModel(H: number, series: object | undefined): DemandModel {
  const horizon = Math.max(1, Math.round(H));
  const shared = series === undefined ? new Map<string, DemandView>() : (autoViews.get(series) ?? autoViews.set(series, new Map()).get(series)!);
  return (history) => {
    const key = `${history.length}|${horizon}`;
    let view = shared.get(key);
    if (view === undefined) {
      view = horizonDemandInputs(forecastSeries(history, { horizon, quantiles: [], method: 'auto' }), horizon);
      shared.set(key, view);
    }
    return view;
  };
}

/** Smoothing constant of the squared errors: about the last 20 periods. */
const MSE_ALPHA = 0.1;

function smootherModel(name: SmootherName, law: LawName, smoothing: SmootherSettings): DemandModel {
  const step = stepper(name, smoothing);
  const factor = smoothing.varianceFactor ?? 1;
  let seen = 0;
  let forecast = NaN;
  let mse = NaN;
  let squares = 0;
  let errors = 0;
  const sizes: number[] = [];
  let whole = true;
  return (history) => {
    for (; seen < history.length; seen++) {
      const v = history[seen]!;
      if (v !== v) continue;
      if (v > 0) sizes.push(v);
      if (!Number.isInteger(v)) whole = false;
      if (forecast === forecast) {
        const e = v - forecast;
        // The first errors are averaged, then smoothed: a single early error would otherwise set the spread.
        if (errors < 1 / MSE_ALPHA) mse = (squares += e * e) / ++errors;
        else mse += MSE_ALPHA * (e * e - mse);
      }
      forecast = step(v);
    }
    const mean = forecast === forecast ? Math.max(0, forecast) : 0;
    const variance = mse === mse ? mse * factor : mean;
    if (law === 'normal') return { family: 'normal', perPeriod: { mean, variance } };
    // The compound law counts whole units; quantities like 0.4 (metres, kilograms) keep the count law's moments.
    if (law === 'compound' && whole && sizes.length > 0 && mean > 0) {
      const law = empiricalSizes(sizes);
      return { family: 'negative-binomial', perPeriod: { mean, variance }, compound: { occasionsPerPeriod: mean / law.mean, sizes: law } };
    }
    // Counts: negative binomial when the errors are over-dispersed, else Poisson (Kolassa 2016, IJF 32(3)).
    return variance > mean ? { family: 'negative-binomial', perPeriod: { mean, variance } } : { family: 'poisson', perPeriod: { mean, variance: mean } };
  };
}

/** One period's update of each smoother; returns the forecast for the next period (NaN until it has one). */
function stepper(name: SmootherName, s: SmootherSettings): (v: number) => number {
  switch (name) {
    case 'ses': {
      const alpha = s.alpha ?? 0.1;
      let level = NaN;
      return (v) => (level = level === level ? level + alpha * (v - level) : v);
    }
    case 'tsb': {
      // Teunter, Syntetos & Babai (2011): probability smoothed every period, size at demands; started at the first demand.
      const alpha = s.alpha ?? 0.1;
      const beta = s.beta ?? 0.1;
      let p = NaN;
      let z = NaN;
      let since = 0;
      return (v) => {
        since++;
        if (p !== p) {
          if (v > 0) {
            p = 1 / since;
            z = v;
          }
          return p === p ? p * z : 0;
        }
        p += beta * ((v > 0 ? 1 : 0) - p);
        if (v > 0) z += alpha * (v - z);
        return p * z;
      };
    }
    case 'sba': {
      const alpha = s.alpha ?? 0.1;
      let z = NaN;
      let interval = NaN;
      let since = 0;
      return (v) => {
        since++;
        if (v > 0) {
          if (z !== z) {
            z = v;
            interval = since;
          } else {
            z += alpha * (v - z);
            interval += alpha * (since - interval);
          }
          since = 0;
        }
        return z === z ? ((1 - alpha / 2) * z) / interval : 0;
      };
    }
    case 'ma': {
      const k = 12;
      const window: number[] = [];
      let sum = 0;
      return (v) => {
        window.push(v);
        sum += v;
        if (window.length > k) sum -= window.shift()!;
        return sum / window.length;
      };
    }
  }
}
