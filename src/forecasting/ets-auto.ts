/**
 * Automatic exponential smoothing: fit each candidate ETS model and keep the one with the lowest AICc, as R
 * forecast's ets() does (Hyndman et al. 2002, "A state space framework for automatic forecasting using exponential
 * smoothing methods", IJF 18(3); FPP 3rd ed., section 8.6). AICc = -2 log L + 2k + 2k(k + 1) / (n - k - 1), with
 * k counting the smoothing parameters, phi, the initial states and sigma, exactly as ets(); log L is the Gaussian
 * likelihood of the one-step errors (ets-filter.ts). ets() reports its AICc without the constant
 * n (log(2 pi / n) + 1); that shifts every candidate equally, so the choice is the same.
 *
 * Candidates: SES, Holt and damped Holt (additive errors, initial states by least squares, ses.ts / holt.ts), and
 * with a season length m >= 2 the Holt-Winters models ETS(A,A,A), ETS(A,Ad,A), and, for positive data,
 * ETS(M,A,M), ETS(M,Ad,M) (holt-winters.ts). As in ets(), a model is only tried when the series has more than
 * k + 4 observations (k without sigma), and multiplicative errors only for positive data. ets() also tries
 * ETS(A,N,A), ETS(M,N,M), multiplicative-error non-seasonal models and others: they are not among the candidates.
 */
import { etsParamCount, type EtsSpec } from './ets-filter.js';
import { initialStates } from './ets-init.js';
import { holtFit } from './holt.js';
import { allPositive, buildModel, countObserved, estimate } from './holt-winters.js';
import { sesFit } from './ses.js';
import type { Model } from './types.js';

/** The candidate with the lowest AICc; falls back to SES when the series is too short for anything else. */
export function etsAuto(y: Float64Array, opts: { seasonLength?: number } = {}): Model {
  const n = countObserved(y);
  const m = opts.seasonLength ?? 1;
  const candidates: Model[] = [sesFit(y)];
  const fits = (spec: EtsSpec): boolean => n > etsParamCount(spec) + 4;
  const nonSeasonal = { m: 1, trend: true, season: 'none', error: 'additive' } as const;
  if (fits({ ...nonSeasonal, damped: false })) candidates.push(holtFit(y, { damped: false }));
  if (fits({ ...nonSeasonal, damped: true })) candidates.push(holtFit(y, { damped: true }));
  if (Number.isInteger(m) && m >= 2 && n >= 2 * m) candidates.push(...seasonalCandidates(y, m, fits));
  let best = candidates[0]!;
  for (const c of candidates) if (c.ets!.aicc < best.ets!.aicc) best = c;
  return best;
}

function seasonalCandidates(y: Float64Array, m: number, fits: (spec: EtsSpec) => boolean): Model[] {
  const out: Model[] = [];
  const additive = initialStates(y, m, true, 'additive');
  const positive = allPositive(y);
  const multiplicative = positive ? initialStates(y, m, true, 'multiplicative') : null;
  for (const damped of [false, true]) {
    const a: EtsSpec = { m, trend: true, damped, season: 'additive', error: 'additive' };
    if (fits(a)) out.push(buildModel(y, a, estimate(y, a, additive), additive));
    if (multiplicative === null) continue;
    const mm: EtsSpec = { m, trend: true, damped, season: 'multiplicative', error: 'multiplicative' };
    if (fits(mm)) out.push(buildModel(y, mm, estimate(y, mm, multiplicative), multiplicative));
  }
  return out;
}
