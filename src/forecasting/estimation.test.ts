// Parameter estimation and automatic model selection.
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../shared/random.js';
import { crostonFit } from './croston.js';
import { etsPass, minusTwoLogLik, type EtsSpec } from './ets-filter.js';
import { initialStates } from './ets-init.js';
import { etsAuto } from './ets-auto.js';
import { holtFit } from './holt.js';
import { holtWintersFit } from './holt-winters.js';
import { methodNames, methods } from './index.js';
import { minimiseInCube, minimiseScalar } from './optimise.js';
import { sesFit } from './ses.js';
import { tsbFit } from './tsb.js';

/** Standard normal draws from a seeded uniform generator (Box-Muller). */
function normals(seed: number): () => number {
  const uniform = seededRandom(seed);
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** y_t = l_{t-1} + e_t, l_t = l_{t-1} + alpha e_t: the ETS(A,N,N) model. */
function simulateSes(n: number, alpha: number, seed: number): Float64Array {
  const e = normals(seed);
  const y = new Float64Array(n);
  let level = 100;
  for (let t = 0; t < n; t++) {
    const err = 5 * e();
    y[t] = level + err;
    level += alpha * err;
  }
  return y;
}

/** A seasonal series with a trend; seasonal effects multiply the level when `multiplicative`. */
function seasonalSeries(n: number, m: number, multiplicative: boolean, seed: number): Float64Array {
  const e = normals(seed);
  return Float64Array.from({ length: n }, (_, t) => {
    const level = 200 + 2 * t;
    const s = Math.sin((2 * Math.PI * t) / m);
    return multiplicative ? level * (1 + 0.4 * s) * (1 + 0.01 * e()) : level + 40 * s + 2 * e();
  });
}

describe('optimisers', () => {
  it('Brent finds an interior minimum and one at the edge', () => {
    expect(minimiseScalar((x) => (x - 0.3) ** 2, 0, 1).x).toBeCloseTo(0.3, 6);
    expect(minimiseScalar((x) => x, 0.1, 0.9).x).toBeCloseTo(0.1, 5);
  });

  it('Nelder-Mead finds the minimum of a bowl in the cube, inside and on a face', () => {
    const bowl = (c: number[]) => (u: Float64Array) => c.reduce((s, ci, i) => s + (u[i]! - ci) ** 2 * (i + 1), 0);
    const inside = minimiseInCube(bowl([0.2, 0.7, 0.4]), [[0.5, 0.5, 0.5]]);
    [0.2, 0.7, 0.4].forEach((c, i) => expect(inside.u[i]).toBeCloseTo(c, 3));
    const face = minimiseInCube(bowl([-0.5, 0.5]), [[0.5, 0.5]]);
    expect(face.u[0]).toBe(0);
    expect(face.u[1]).toBeCloseTo(0.5, 3);
  });
});

describe('SES estimation', () => {
  it('recovers alpha = 0.3 from a simulated ETS(A,N,N) series', () => {
    for (const seed of [1, 2, 3]) {
      const fit = sesFit(simulateSes(2000, 0.3, seed));
      expect(Math.abs(fit.params['alpha']! - 0.3)).toBeLessThan(0.04);
      expect(fit.ets!.sigma2).toBeGreaterThan(20);
      expect(fit.ets!.sigma2).toBeLessThan(30);
    }
  });

  it('skips missing values in the loss and still recovers alpha', () => {
    const y = simulateSes(2000, 0.3, 7);
    for (let t = 5; t < y.length; t += 17) y[t] = NaN;
    expect(Math.abs(sesFit(y).params['alpha']! - 0.3)).toBeLessThan(0.05);
  });
});

describe('Holt and Holt-Winters estimation', () => {
  it('damped Holt stays within ets() bounds (beta <= alpha, phi in [0.8, 0.98])', () => {
    const y = Float64Array.from({ length: 40 }, (_, t) => 50 + 3 * t + 4 * Math.sin(t));
    const p = holtFit(y).params;
    expect(p['beta']).toBeLessThanOrEqual(p['alpha']!);
    expect(p['phi']).toBeGreaterThanOrEqual(0.8);
    expect(p['phi']).toBeLessThanOrEqual(0.98);
  });

  it('the estimated parameters fit at least as well as the true ones, from the same starting states', () => {
    const y = seasonalSeries(72, 12, false, 11);
    const spec: EtsSpec = { m: 12, trend: true, damped: false, season: 'additive', error: 'additive' };
    const init = initialStates(y, 12, true, 'additive');
    const truth = minusTwoLogLik(etsPass(y, spec, { alpha: 0.2, beta: 0.01, gamma: 0.1, phi: 1 }, init, new Float64Array(12), null), 'additive');
    const fit = holtWintersFit(y, 12, 'additive');
    expect(-2 * fit.ets!.loglik).toBeLessThanOrEqual(truth + 1e-6);
    expect(fit.params['gamma']).toBeLessThanOrEqual(1 - fit.params['alpha']!);
  });

  it('multiplicative seasonality refuses data with a zero or a negative value, as R hw() does', () => {
    const y = seasonalSeries(36, 4, true, 3);
    expect(holtWintersFit(y, 4, 'multiplicative').name).toBe('ETS(M,A,M)');
    for (const bad of [0, -1]) {
      const z = y.slice();
      z[5] = bad;
      expect(() => holtWintersFit(z, 4, 'multiplicative')).toThrow(/needs positive data/);
      expect(() => methods.hw_mul.fit(z, { seasonLength: 4 })).toThrow(RangeError);
    }
    // A gap (not observed) is not a zero.
    const gap = y.slice();
    gap[5] = NaN;
    expect(holtWintersFit(gap, 4, 'multiplicative').name).toBe('ETS(M,A,M)');
  });

  it('refuses Holt-Winters without a season length or two seasons of data', () => {
    expect(() => methods.hw_add.fit(new Float64Array(30).fill(1), {})).toThrow(RangeError);
    expect(() => methods.hw_mul.fit(new Float64Array(10).fill(1), { seasonLength: 12 })).toThrow(RangeError);
  });
});

describe('automatic ETS', () => {
  it('returns the candidate with the lowest AICc', () => {
    const y = seasonalSeries(60, 12, true, 5);
    const chosen = etsAuto(y, { seasonLength: 12 });
    const candidates = [
      sesFit(y),
      holtFit(y, { damped: false }),
      holtFit(y, { damped: true }),
      holtWintersFit(y, 12, 'additive'),
      holtWintersFit(y, 12, 'additive', { damped: true }),
      holtWintersFit(y, 12, 'multiplicative'),
      holtWintersFit(y, 12, 'multiplicative', { damped: true }),
    ];
    const best = Math.min(...candidates.map((c) => c.ets!.aicc));
    expect(chosen.ets!.aicc).toBe(best);
    expect(chosen.name).toMatch(/^ETS\(M,A/);
  });

  it('picks additive seasonality for additive data and a non-seasonal model without a season', () => {
    expect(etsAuto(seasonalSeries(60, 12, false, 9), { seasonLength: 12 }).name).toMatch(/^ETS\(A,A/);
    expect(etsAuto(simulateSes(60, 0.3, 4)).name).toMatch(/SES|Holt/);
  });

  it('falls back to SES when the series is too short for anything else', () => {
    expect(etsAuto(Float64Array.from([3, 4, 5, 4, 3])).name).toBe('SES');
  });
});

describe('Croston-family estimation', () => {
  it('keeps its smoothing constants within [0.05, 0.3]', () => {
    const uniform = seededRandom(21);
    const y = Float64Array.from({ length: 60 }, () => (uniform() < 0.3 ? 1 + Math.floor(10 * uniform()) : 0));
    for (const p of [crostonFit(y).params, tsbFit(y).params]) {
      for (const v of Object.values(p)) {
        expect(v).toBeGreaterThanOrEqual(0.05);
        expect(v).toBeLessThanOrEqual(0.3);
      }
    }
  });
});

describe('missing values', () => {
  it('every method fits a series with gaps and gives finite forecasts and a full-length fitted array', () => {
    const seasonal = seasonalSeries(60, 12, true, 13);
    const uniform = seededRandom(17);
    const intermittent = Float64Array.from({ length: 60 }, () => (uniform() < 0.35 ? 1 + Math.floor(8 * uniform()) : 0));
    for (const y of [seasonal, intermittent]) {
      for (const t of [3, 17, 18, 40, 59]) y[t] = NaN;
      for (const name of methodNames) {
        if (name === 'hw_mul' && y === intermittent) {
          expect(() => methods[name].fit(y, { seasonLength: 12 })).toThrow(/positive data/);
          continue;
        }
        const model = methods[name].fit(y, { seasonLength: 12 });
        expect(model.fitted.length, name).toBe(y.length);
        for (const v of model.forecast(12)) expect(Number.isFinite(v), `${name} forecast ${v}`).toBe(true);
        expect(Number.isFinite(model.mse), `${name} mse`).toBe(true);
      }
    }
  });
});
