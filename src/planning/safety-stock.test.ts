import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fitDistribution, type Family } from './distributions.js';
import { normalLoss } from './normal.js';
import {
  cycleServiceLevel,
  economicOrderQuantity,
  fillRate,
  levelForCycleService,
  levelForFillRate,
  protectionDemand,
  roundOrderQuantity,
  shortagePerCycle,
  undershoot,
  type Cycle,
} from './safety-stock.js';

/** An (s, Q) cycle: the same lead-time demand at both ends, raised by Q. */
const sq = (family: Family, mean: number, variance: number, q: number): Cycle => {
  const x = fitDistribution(family, mean, variance);
  return { end: x, start: x, raise: q, demandPerCycle: q };
};

describe('demand over the protection interval', () => {
  it('has mean d (R + L) and variance (R + L) var_d + d^2 var_L', () => {
    expect(protectionDemand({ mean: 20, variance: 100 }, { meanDays: 10, sdDays: 2 }, 5)).toEqual({ mean: 300, variance: 3100 });
    expect(protectionDemand({ mean: 20, variance: 100 }, { meanDays: 10, sdDays: 0 })).toEqual({ mean: 200, variance: 1000 });
  });
});

describe('EOQ and rounding', () => {
  it('EOQ = sqrt(2 D K / h) on textbook numbers', () => {
    expect(economicOrderQuantity(1000, 10, 0.5)).toBeCloseTo(200, 12);
    // D = 2,400 a year, A = $3.20 an order, v = $0.40, r = 0.24 a year: h = r v = 0.096.
    expect(economicOrderQuantity(2400, 3.2, 0.24 * 0.4)).toBeCloseTo(400, 10);
    expect(economicOrderQuantity(0, 10, 1)).toBe(0);
  });

  it('rounds up to whole packs and to at least the MOQ', () => {
    expect(roundOrderQuantity(37, 50, 12)).toBe(60);
    expect(roundOrderQuantity(61, 0, 12)).toBe(72);
    expect(roundOrderQuantity(48, 0, 12)).toBe(48);
    expect(roundOrderQuantity(0.1 + 0.2, 0, 0.1)).toBeCloseTo(0.3, 12);
    expect(roundOrderQuantity(5.2)).toBe(6);
    expect(roundOrderQuantity(0, 50, 12)).toBe(0);
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 1e5, noNaN: true }), fc.integer({ min: 0, max: 500 }), fc.integer({ min: 1, max: 100 }), (q, moq, pack) => {
        const r = roundOrderQuantity(q, moq, pack);
        expect(r % pack).toBe(0);
        expect(r).toBeGreaterThanOrEqual(Math.max(q, moq) - 1e-6);
        expect(r - pack).toBeLessThan(Math.max(q, moq, 1));
      }),
    );
  });
});

describe('levels for a fill rate', () => {
  it('continuous demand: the computed fill rate matches the target within 1e-6', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<Family>('normal', 'gamma'),
        fc.double({ min: 5, max: 5000, noNaN: true }),
        fc.double({ min: 0.1, max: 3, noNaN: true }),
        fc.double({ min: 0.05, max: 20, noNaN: true }),
        fc.double({ min: 0.8, max: 0.9999, noNaN: true }),
        (family, mean, cv, qOverMean, p2) => {
          const c = sq(family, mean, (cv * mean) ** 2, qOverMean * mean);
          const s = levelForFillRate(c, p2);
          if (s > 0) expect(Math.abs(fillRate(c, s) - p2)).toBeLessThan(1e-6);
          else expect(fillRate(c, 0)).toBeGreaterThanOrEqual(p2);
        },
      ),
    );
  });

  it('discrete demand: the smallest integer reaching the target', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<Family>('poisson', 'negative-binomial'),
        fc.double({ min: 0.2, max: 2000, noNaN: true }),
        fc.double({ min: 1, max: 10, noNaN: true }),
        fc.integer({ min: 1, max: 500 }),
        fc.double({ min: 0.5, max: 0.9999, noNaN: true }),
        (family, mean, dispersion, q, p2) => {
          const c = sq(family, mean, mean * dispersion, q);
          const s = levelForFillRate(c, p2);
          expect(Number.isInteger(s)).toBe(true);
          expect(fillRate(c, s)).toBeGreaterThanOrEqual(p2);
          if (s > 0) expect(fillRate(c, s - 1)).toBeLessThan(p2);
        },
      ),
    );
  });

  it('(s, Q) with normal demand is SPT\'s rule with the exact shortage: sigma [G(k) - G(k + Q / sigma)] = (1 - P2) Q', () => {
    const c = sq('normal', 500, 100 ** 2, 300);
    const s = levelForFillRate(c, 0.99);
    const k = (s - 500) / 100;
    expect(100 * (normalLoss(k) - normalLoss(k + 3))).toBeCloseTo(0.01 * 300, 9);
  });

  it('for (R, S) uses E[(X_{R+L} - S)+] - E[(X_L - S)+] per review', () => {
    const end = fitDistribution('gamma', 400, 3600);
    const start = fitDistribution('gamma', 300, 2700);
    const c: Cycle = { end, start, raise: 0, demandPerCycle: 100 };
    const level = levelForFillRate(c, 0.97);
    expect(end.loss(level) - start.loss(level)).toBeCloseTo(3, 9);
  });
});

describe('cycle service level versus fill rate', () => {
  it('the level for a cycle service level is the quantile, and reaches it', () => {
    const c = sq('normal', 200, 400, 100);
    expect(levelForCycleService(c, 0.95)).toBeCloseTo(200 + 20 * 1.6448536269514722, 10);
    const d = sq('poisson', 12.3, 12.3, 30);
    const s = levelForCycleService(d, 0.9);
    expect(cycleServiceLevel(d, s)).toBeGreaterThanOrEqual(0.9);
    expect(cycleServiceLevel(d, s - 1)).toBeLessThan(0.9);
  });

  it('with a large Q the fill rate is well above the cycle service level at the same s', () => {
    const c = sq('normal', 100, 900, 1000);
    const s = 110;
    expect(cycleServiceLevel(c, s)).toBeCloseTo(0.6306, 4);
    expect(fillRate(c, s)).toBeGreaterThan(0.99);
    // ESC = integral of P(X > y) over (s, s + Q] <= Q P(X > s): the fill rate of (s, Q) is never below its cycle
    // service level, and tends to it as Q shrinks.
    expect(fillRate(sq('normal', 100, 900, 1e-3), s)).toBeCloseTo(cycleServiceLevel(c, s), 4);
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 1e4, noNaN: true }), fc.double({ min: 0, max: 300, noNaN: true }), (q, level) => {
        const d = sq('gamma', 100, 900, q);
        expect(fillRate(d, level)).toBeGreaterThanOrEqual(cycleServiceLevel(d, level) - 1e-12);
      }),
    );
  });

  it('the exact shortage per cycle matters when Q is small next to sigma', () => {
    const c = sq('normal', 0, 50 ** 2, 10);
    const approx = 1 - (50 * normalLoss(0)) / 10; // SPT's approximation 1 - sigma G(k) / Q: negative here
    expect(approx).toBeLessThan(0);
    expect(shortagePerCycle(c, 0)).toBeLessThan(10);
    expect(fillRate(c, 0)).toBeGreaterThan(0);
  });
});

describe('undershoot at a periodic review', () => {
  it('is uniform on (0, D) for constant continuous demand: mean D/2, variance D^2/12', () => {
    const u = undershoot('normal', { mean: 30, variance: 0 });
    expect(u.mean).toBeCloseTo(15, 12);
    expect(u.variance).toBeCloseTo(75, 10);
  });

  it('matches the renewal sum P(U = j) = P(D > j) / E[D] for integer demand', () => {
    for (const [family, mean, variance] of [['poisson', 3.7, 3.7], ['negative-binomial', 6, 20]] as const) {
      const d = fitDistribution(family, mean, variance);
      let m1 = 0;
      let m2 = 0;
      for (let j = 0; j < 2000; j++) {
        m1 += (j * d.survival(j)) / mean;
        m2 += (j * j * d.survival(j)) / mean;
      }
      const u = undershoot(family, { mean, variance });
      expect(u.mean).toBeCloseTo(m1, 10);
      expect(u.variance).toBeCloseTo(m2 - m1 * m1, 9);
    }
  });
});
