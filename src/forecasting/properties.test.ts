// Properties of the forecasting core over generated series (fast-check).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { imapa, imapaFit } from './aggregation.js';
import { ADI_CUTOFF, CV2_CUTOFF, classOf, classifyDemand } from './classify.js';
import { croston, crostonFit, sba, sbaFit } from './croston.js';
import { methodNames, methods } from './index.js';
import { ses, sesFit } from './ses.js';
import { tsb, tsbFit } from './tsb.js';

const f64 = (a: readonly number[]): Float64Array => Float64Array.from(a);
/** The next double above x (x > 0). */
const nextUp = (x: number): number => {
  const bits = new BigInt64Array(new Float64Array([x]).buffer);
  bits[0] = bits[0]! + 1n;
  return new Float64Array(bits.buffer)[0]!;
};
const relativelyClose = (a: number, b: number, tol = 1e-9): boolean => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));

/** Intermittent demand: mostly zeros, small integer sizes. */
const demand = fc.array(fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 2, arbitrary: fc.integer({ min: 1, max: 40 }) }), {
  minLength: 1,
  maxLength: 60,
});
const alpha = fc.double({ min: 0.01, max: 0.99, noNaN: true });

describe('a constant series is forecast as that constant', () => {
  it('by every method in the registry (SBA: by its definition, (1 - alpha / 2) times it)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.5, max: 1e4, noNaN: true }), fc.integer({ min: 16, max: 40 }), (c, n) => {
        const y = new Float64Array(n).fill(c);
        for (const name of methodNames) {
          const model = methods[name].fit(y, { seasonLength: 4 });
          const expected = name === 'sba' ? (1 - model.params['alphaInterval']! / 2) * c : c;
          for (const v of model.forecast(6)) {
            if (!relativelyClose(v, expected)) throw new Error(`${name} forecast ${v} for constant ${c}`);
          }
        }
      }),
      { numRuns: 40 },
    );
  });

  it('including zero demand', () => {
    const y = new Float64Array(24);
    expect(() => methods.hw_mul.fit(y, { seasonLength: 4 })).toThrow(/positive data/);
    for (const name of methodNames.filter((m) => m !== 'hw_mul')) {
      const v = methods[name].fit(y, { seasonLength: 4 }).forecast(3);
      expect(Array.from(v), name).toEqual([0, 0, 0]);
    }
  });
});

describe('the Croston family on non-negative demand', () => {
  it('gives finite, non-negative forecasts and fitted values, fixed or fitted', () => {
    fc.assert(
      fc.property(demand, alpha, alpha, (values, a, b) => {
        const y = f64(values);
        const models = [
          croston(y, { alphaSize: a, alphaInterval: b }),
          sba(y, { alphaSize: a, alphaInterval: b }),
          tsb(y, { alpha: a, beta: b }),
          crostonFit(y),
          sbaFit(y),
          tsbFit(y),
          methods.adida.fit(y, {}),
          methods.imapa.fit(y, {}),
        ];
        for (const m of models) {
          for (const v of m.forecast(12)) if (!(Number.isFinite(v) && v >= 0)) throw new Error(`${m.name} forecast ${v}`);
          for (const v of m.fitted) if (!Number.isNaN(v) && v < 0) throw new Error(`${m.name} fitted ${v}`);
        }
      }),
    );
  });

  it('SBA is (1 - alphaInterval / 2) times Croston, forecasts and fitted values', () => {
    fc.assert(
      fc.property(demand, alpha, alpha, (values, a, b) => {
        const y = f64(values);
        const c = croston(y, { alphaSize: a, alphaInterval: b });
        const s = sba(y, { alphaSize: a, alphaInterval: b });
        const k = 1 - b / 2;
        expect(relativelyClose(s.forecast(1)[0]!, k * c.forecast(1)[0]!)).toBe(true);
        c.fitted.forEach((v, t) => {
          if (Number.isNaN(v)) expect(s.fitted[t]).toBeNaN();
          else expect(relativelyClose(s.fitted[t]!, k * v)).toBe(true);
        });
      }),
    );
  });

  it('a missing period changes nothing but its own fitted value', () => {
    fc.assert(
      fc.property(demand, fc.nat(), alpha, alpha, (values, at, a, b) => {
        const y = f64(values);
        const gap = f64([...values.slice(0, at % (values.length + 1)), NaN, ...values.slice(at % (values.length + 1))]);
        const pairs = [
          [croston(y, { alphaSize: a, alphaInterval: b }), croston(gap, { alphaSize: a, alphaInterval: b })],
          [tsb(y, { alpha: a, beta: b }), tsb(gap, { alpha: a, beta: b })],
          [ses(y, { alpha: a }), ses(gap, { alpha: a })],
        ] as const;
        for (const [plain, withGap] of pairs) expect(withGap.forecast(1)[0]).toBeCloseTo(plain.forecast(1)[0]!, 9);
      }),
    );
  });
});

describe('IMAPA with one aggregation level is SES', () => {
  const series = fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { minLength: 2, maxLength: 50 });

  it('with a fixed alpha', () => {
    fc.assert(
      fc.property(series, alpha, (values, a) => {
        const y = f64(values);
        const i = imapa(y, { maxLevel: 1, alpha: a });
        const s = ses(y, { alpha: a });
        expect(Array.from(i.fitted)).toEqual(Array.from(s.fitted));
        expect(Array.from(i.forecast(4))).toEqual(Array.from(s.forecast(4)));
      }),
    );
  });

  it('with alpha estimated (over the same range)', () => {
    fc.assert(
      fc.property(series, (values) => {
        const y = f64(values);
        const i = imapaFit(y, { maxLevel: 1 });
        const s = sesFit(y, { lower: 0.05, upper: 0.3, levelWithinRange: true });
        expect(Array.from(i.forecast(4))).toEqual(Array.from(s.forecast(4)));
      }),
    );
  });
});

describe('classification boundaries', () => {
  it('a value on a cut-off counts as below it', () => {
    expect(classOf(ADI_CUTOFF, CV2_CUTOFF)).toBe('smooth');
    expect(classOf(ADI_CUTOFF, nextUp(CV2_CUTOFF))).toBe('erratic');
    expect(classOf(nextUp(ADI_CUTOFF), CV2_CUTOFF)).toBe('intermittent');
    expect(classOf(nextUp(ADI_CUTOFF), nextUp(CV2_CUTOFF))).toBe('lumpy');
  });

  it('every (ADI, CV^2) falls in the quadrant its comparisons name', () => {
    fc.assert(
      fc.property(fc.double({ min: 1, max: 10, noNaN: true }), fc.double({ min: 0, max: 5, noNaN: true }), (adi, cv2) => {
        const expected = adi > ADI_CUTOFF ? (cv2 > CV2_CUTOFF ? 'lumpy' : 'intermittent') : cv2 > CV2_CUTOFF ? 'erratic' : 'smooth';
        expect(classOf(adi, cv2)).toBe(expected);
      }),
    );
  });

  it('ADI is at least 1 and CV^2 at least 0 for any demand', () => {
    fc.assert(
      fc.property(demand, (values) => {
        const p = classifyDemand(f64(values));
        if (p.demands === 0) expect(p.demandClass).toBe('no_demand');
        else {
          expect(p.adi).toBeGreaterThanOrEqual(1);
          expect(p.cv2).toBeGreaterThanOrEqual(0);
        }
      }),
    );
  });
});
