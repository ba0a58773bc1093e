// The cheap selection path agrees exactly with the models its parameters describe, and is close to the full fits.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { seededRandom } from '../shared/random.js';
import { croston, crostonFit, sba, sbaFit } from './croston.js';
import { quickFits, type QuickFit } from './quick.js';
import { ses, sesFit } from './ses.js';
import { naive } from './simple.js';
import { tsb, tsbFit } from './tsb.js';
import type { Model } from './types.js';

function modelOf(y: Float64Array, q: QuickFit): Model {
  const p = q.params;
  switch (q.method) {
    case 'naive':
      return naive(y);
    case 'ses':
      return ses(y, { alpha: p['alpha']!, level0: p['level0']! });
    case 'croston':
      return croston(y, { alphaSize: p['alphaSize']!, alphaInterval: p['alphaInterval']! });
    case 'sba':
      return sba(y, { alphaSize: p['alphaSize']!, alphaInterval: p['alphaInterval']! });
    case 'tsb':
      return tsb(y, { alpha: p['alpha']!, beta: p['beta']! });
  }
}

const same = (a: number, b: number): boolean =>
  (Number.isNaN(a) && Number.isNaN(b)) || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

describe('quickFits', () => {
  it("reports each method's MSE and forecast exactly as the fixed-parameter model has them", () => {
    const value = fc.oneof(
      { weight: 5, arbitrary: fc.constant(0) },
      { weight: 4, arbitrary: fc.integer({ min: 1, max: 50 }) },
      { weight: 1, arbitrary: fc.constantFrom(NaN, -3) },
    );
    fc.assert(
      fc.property(fc.array(value, { minLength: 0, maxLength: 80 }), (values) => {
        const y = Float64Array.from(values);
        const fits = quickFits(y);
        expect(fits.map((f) => f.method)).toEqual(['naive', 'ses', 'croston', 'sba', 'tsb']);
        for (const q of fits) {
          const m = modelOf(y, q);
          if (!same(q.mse, m.mse)) throw new Error(`${q.method} mse ${q.mse} vs ${m.mse}`);
          if (!same(q.level, m.forecast(1)[0]!)) throw new Error(`${q.method} level ${q.level} vs ${m.forecast(1)[0]}`);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('comes within a few percent of the full fits', () => {
    const uniform = seededRandom(5);
    for (let i = 0; i < 20; i++) {
      const y = Float64Array.from({ length: 104 }, () => (uniform() < 0.4 ? 1 + Math.floor(20 * uniform()) : 0));
      const quick = Object.fromEntries(quickFits(y).map((q) => [q.method, q.mse]));
      const full = { ses: sesFit(y).mse, croston: crostonFit(y).mse, sba: sbaFit(y).mse, tsb: tsbFit(y).mse };
      for (const [method, mse] of Object.entries(full)) expect(quick[method]!, method).toBeLessThanOrEqual(mse * 1.03);
    }
  });
});
