/**
 * `raincheck forecast` for one chunk of series: each series' forecast over the horizon as CSV rows
 * `series_id,step,period,mean,q<q>...,method,demand_class[,actual]`. The forecasting function is passed in, so
 * worker threads and the main thread run the same code and write byte-identical rows.
 */
import { classifyDemand, forecastSeries, type MethodName, type OccurrenceModel, type SizeModel } from '../forecasting/index.js';
import { csvField, csvNumber } from './csv.js';
import { periodLabel, type PeriodKind } from './periods.js';
import type { ChunkResult } from './plan-rows.js';
import type { DemandSeries } from './types.js';

/** What this file needs of a forecast (src/forecasting/auto.ts returns more). */
export interface SeriesForecast {
  method: string;
  demandClass: string;
  mean: Float64Array;
  /** The point forecast for accuracy by RMSSE (auto.ts: differs from the mean for count series). */
  point: Float64Array;
  quantiles: readonly { q: number; values: Float64Array }[];
}

export interface ForecastOptions {
  horizon: number;
  quantiles: readonly number[];
  method: MethodName | 'auto';
  seasonLength?: number;
  /** Panel calibration of P(demand > 0) (`--calibrate`), fitted once on the whole file before the chunks run. */
  occurrence?: OccurrenceModel;
  /** With `occurrence`: panel calibration of the size of a demand, fitted likewise. */
  sizes?: SizeModel;
}

export type ForecastFn = (y: Float64Array, o: ForecastOptions) => SeriesForecast;

/** The project's forecaster (src/forecasting/auto.ts). */
export const projectForecaster: ForecastFn = forecastSeries;

export interface ForecastSettings extends ForecastOptions {
  /** Fit on the first `train` periods only and report the rest as `actual`. */
  train?: number;
  periodKind: PeriodKind;
  firstOrdinal: number;
}

/** The header row for these settings. */
export function forecastColumns(settings: ForecastSettings): string[] {
  const columns = ['series_id', 'step', 'period', 'mean', 'point', ...settings.quantiles.map((q) => `q${q}`), 'method', 'demand_class'];
  return settings.train === undefined ? columns : [...columns, 'actual'];
}

/** The CSV rows of one chunk; a series the method cannot fit gets empty numbers and a failure. */
export function forecastChunk(series: readonly DemandSeries[], settings: ForecastSettings, forecast: ForecastFn): ChunkResult {
  const failures: ChunkResult['failures'] = [];
  const tally: Record<string, number> = {};
  let text = '';
  for (const s of series) {
    const fitted = settings.train === undefined ? s.values : s.values.slice(0, settings.train);
    let result: SeriesForecast | null = null;
    try {
      result = forecast(fitted, forecastOptions(settings));
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      failures.push({ id: s.id, message: e.message });
    }
    const method = result?.method ?? 'failed';
    tally[method] = (tally[method] ?? 0) + 1;
    text += seriesRows(s, fitted, settings, result);
  }
  return { text, failures, tally };
}

function seriesRows(s: DemandSeries, fitted: Float64Array, settings: ForecastSettings, result: SeriesForecast | null): string {
  const id = csvField(s.id);
  const method = result === null ? '' : csvField(result.method);
  const demandClass = result?.demandClass ?? classifyDemand(fitted).demandClass;
  let text = '';
  for (let step = 1; step <= settings.horizon; step++) {
    const t = fitted.length + step - 1;
    const cells = [id, String(step), periodLabel(settings.periodKind, settings.firstOrdinal + t)];
    cells.push(csvNumber(result?.mean[step - 1] ?? NaN), csvNumber(result?.point[step - 1] ?? NaN));
    for (let k = 0; k < settings.quantiles.length; k++) cells.push(csvNumber(result?.quantiles[k]?.values[step - 1] ?? NaN));
    cells.push(method, demandClass);
    if (settings.train !== undefined) cells.push(csvNumber(s.values[t] ?? NaN));
    text += `${cells.join(',')}\n`;
  }
  return text;
}

function forecastOptions(settings: ForecastSettings): ForecastOptions {
  const { horizon, quantiles, method, seasonLength, occurrence, sizes } = settings;
  return {
    horizon,
    quantiles,
    method,
    ...(seasonLength === undefined ? {} : { seasonLength }),
    ...(occurrence === undefined ? {} : { occurrence }),
    ...(sizes === undefined ? {} : { sizes }),
  };
}
