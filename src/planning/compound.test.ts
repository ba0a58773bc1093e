import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { empiricalSizes, geometricSizes, leadTimeCompound, sizesFromWeights, type Sizes } from './compound.js';
import { NegativeBinomial } from './discrete.js';

/** P(X = 0 .. top) by brute force: sum over n of P(N = n) times the n-fold convolution of the sizes. */
function bruteForce(count: (n: number) => number, sizes: Sizes, top: number, maxOccasions: number): number[] {
  const out = new Array<number>(top + 1).fill(0);
  let power = new Array<number>(top + 1).fill(0);
  power[0] = 1; // zero-fold convolution
  for (let n = 0; n <= maxOccasions; n++) {
    for (let k = 0; k <= top; k++) out[k]! += count(n) * power[k]!;
    const next = new Array<number>(top + 1).fill(0);
    for (let k = 0; k <= top; k++)
      for (let j = 1; j < sizes.mass.length && j <= k; j++) next[k]! += power[k - j]! * sizes.mass[j]!;
    power = next;
  }
  return out;
}

const poisson = (lambda: number) => (n: number) => {
  let p = Math.exp(-lambda);
  for (let i = 1; i <= n; i++) p *= lambda / i;
  return p;
};

describe('compound lead-time demand (Panjer)', () => {
  it('equals the brute-force compound Poisson', () => {
    const sizes = empiricalSizes([1, 1, 1, 1, 1, 2, 2, 2, 5, 5]);
    const d = leadTimeCompound({ occasionsPerDay: 0.25, sizes, leadTimeMeanDays: 12, leadTimeSdDays: 0 });
    const exact = bruteForce(poisson(3), sizes, 60, 80);
    for (let k = 0; k <= 60; k++) expect(d.density(k)).toBeCloseTo(exact[k]!, 14);
    expect(d.mean).toBeCloseTo(3 * 2.1, 12);
    expect(d.variance).toBeCloseTo(3 * (0.5 + 0.3 * 4 + 0.2 * 25), 12);
  });

  it('with a varying lead time counts occasions as NB, and matches the brute-force compound NB', () => {
    const sizes = geometricSizes(2.5);
    const d = leadTimeCompound({ occasionsPerDay: 0.4, sizes, leadTimeMeanDays: 10, leadTimeSdDays: 4 });
    const count = NegativeBinomial.fromMoments(4, 4 + 0.16 * 16);
    const exact = bruteForce((n) => count.density(n), sizes, 80, 150);
    for (let k = 0; k <= 80; k++) expect(d.density(k)).toBeCloseTo(exact[k]!, 13);
    expect(d.mean).toBeCloseTo(4 * sizes.mean, 12);
    expect(d.variance).toBeCloseTo(4 * (sizes.secondMoment - sizes.mean ** 2) + count.variance * sizes.mean ** 2, 10);
  });

  it('Poisson occasions with logarithmic sizes give exactly the NB (the classic identity behind the NB approximation)', () => {
    const theta = 0.6;
    const weights = [0];
    for (let j = 1; j < 120; j++) weights.push(theta ** j / j);
    const lambda = 5;
    const d = leadTimeCompound({ occasionsPerDay: lambda / 10, sizes: sizesFromWeights(weights), leadTimeMeanDays: 10, leadTimeSdDays: 0 });
    const nb = new NegativeBinomial(-lambda / Math.log(1 - theta), 1 - theta, theta);
    for (let k = 0; k < 60; k++) expect(d.density(k)).toBeCloseTo(nb.density(k), 13);
    expect(d.loss(7)).toBeCloseTo(nb.loss(7), 10);
  });

  it('quantiles are the smallest k with cdf(k) >= q, and the loss is the sum of (k - x)+ P(X = k)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 20 }),
        fc.double({ min: 0.005, max: 2, noNaN: true }),
        fc.double({ min: 1, max: 40, noNaN: true }),
        fc.double({ min: 0.01, max: 0.999, noNaN: true }),
        fc.double({ min: -2, max: 100, noNaN: true }),
        (observed, rate, lead, q, x) => {
          const d = leadTimeCompound({ occasionsPerDay: rate, sizes: empiricalSizes(observed), leadTimeMeanDays: lead, leadTimeSdDays: lead / 4 });
          const k = d.quantile(q);
          expect(d.cdf(k)).toBeGreaterThanOrEqual(q - 1e-14);
          if (k > 0) expect(d.cdf(k - 1)).toBeLessThan(q);
          let sum = 0;
          for (let j = Math.max(0, Math.ceil(x)); j < 20_000; j++) sum += (j - x) * d.density(j);
          expect(Math.abs(d.loss(x) - sum)).toBeLessThan(1e-9 * (1 + d.mean));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('falls back to the two-moment NB once demand is no longer intermittent', () => {
    const d = leadTimeCompound({ occasionsPerDay: 80, sizes: geometricSizes(3), leadTimeMeanDays: 10, leadTimeSdDays: 2 });
    expect(d.kind).toBe('negative-binomial');
    expect(d.mean).toBeCloseTo(2400, 6);
    expect(leadTimeCompound({ occasionsPerDay: 0, sizes: geometricSizes(3), leadTimeMeanDays: 10, leadTimeSdDays: 2 }).quantile(0.99)).toBe(0);
  });
});
