/**
 * The forecasting core's public surface: a registry of every method's fit (parameters estimated from the data),
 * plus the fixed-parameter functions, the classification and the types. Pure: no I/O, no clock, no randomness.
 * Each method's source, equations and initialisation are cited at the top of its own file.
 */
import { adidaFit, imapaFit } from './aggregation.js';
import { crostonFit, sbaFit } from './croston.js';
import { etsAuto } from './ets-auto.js';
import { holtFit } from './holt.js';
import { holtWintersFit } from './holt-winters.js';
import { sesFit } from './ses.js';
import { movingAverageFit, naive, seasonalNaive } from './simple.js';
import { tsbFit } from './tsb.js';
import type { MethodEntry, MethodName } from './types.js';

/**
 * Every method by name. `seasonLength` is used by snaive (default 1), hw_add and hw_mul (required, >= 2, and at
 * least two seasons of data, else RangeError) and ets_auto (seasonal candidates only when given); others ignore it.
 */
export const methods: Record<MethodName, MethodEntry> = {
  naive: { fit: (y) => naive(y) },
  snaive: { fit: (y, o) => seasonalNaive(y, o.seasonLength ?? 1) },
  ma: { fit: (y) => movingAverageFit(y) },
  ses: { fit: (y) => sesFit(y) },
  holt: { fit: (y) => holtFit(y, { damped: true }) },
  hw_add: { fit: (y, o) => holtWintersFit(y, o.seasonLength ?? 0, 'additive') },
  hw_mul: { fit: (y, o) => holtWintersFit(y, o.seasonLength ?? 0, 'multiplicative') },
  ets_auto: { fit: (y, o) => etsAuto(y, o.seasonLength === undefined ? {} : { seasonLength: o.seasonLength }) },
  croston: { fit: (y) => crostonFit(y) },
  sba: { fit: (y) => sbaFit(y) },
  tsb: { fit: (y) => tsbFit(y) },
  adida: { fit: (y) => adidaFit(y) },
  imapa: { fit: (y) => imapaFit(y) },
};

export const methodNames = Object.keys(methods) as MethodName[];

export { adida, adidaFit, aggregate, imapa, imapaFit } from './aggregation.js';
export { fitSizeModel, forecastSeries, horizonDemand, horizonDemandInputs, horizonDemandQuantile, type ForecastOptions, type SeriesForecast } from './auto.js';
export { coverageOf, inSampleScale, mase, pinballLoss, rmsse, scaledPinball, Scoreboard, type ScoreSummary, type SeriesEvaluation } from './metrics.js';
export { rmsseOptimalPoint } from './point.js';
export { fitOccurrenceModel, occurrenceProbability, type OccurrenceModel } from './occurrence.js';
export { sizeContinuation, type SizeModel } from './sizes.js';
export {
  intermittentPredictive,
  quantilesOf,
  smoothPredictive,
  stepDistribution,
  stepQuantiles,
  totalDistribution,
  totalQuantiles,
  type Predictive,
  type QuantileForecast,
} from './quantiles.js';
export { candidatePool, defaultRollingOrigin, modelTrack, oneStepMse, rollingOriginMse, selectByRollingOrigin, type RollingOriginOptions, type Selection } from './select.js';
export type { Growth, Track } from './tracks.js';
export { classifyDemand, classOf, ADI_CUTOFF, CV2_CUTOFF, type DemandClass, type DemandProfile } from './classify.js';
export { croston, crostonFit, sba, sbaFit, type CrostonParams, type IntermittentBounds } from './croston.js';
export { etsAuto } from './ets-auto.js';
export { initialStates } from './ets-init.js';
export { holt, holtFit, type HoltParams } from './holt.js';
export { holtWinters, holtWintersFit, type HoltWintersParams, type Seasonality } from './holt-winters.js';
export { ses, sesFit, type SesBounds, type SesParams } from './ses.js';
export { movingAverage, movingAverageFit, naive, seasonalNaive } from './simple.js';
export { quickFits, type QuickFit, type QuickMethod } from './quick.js';
export { tsb, tsbFit, type TsbParams } from './tsb.js';
export type { EtsInfo, EtsState, FitOptions, MethodEntry, MethodName, Model } from './types.js';
