import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fitDistribution, type Family } from './distributions.js';
import { planRS, planSQ, planSS, type PolicyInputs } from './policies.js';
import { fillRate, protectionDemand } from './safety-stock.js';

const fillRate98 = { measure: 'fill-rate', level: 0.98 } as const;
const csl95 = { measure: 'cycle-service-level', level: 0.95 } as const;
const item = (family: Family, extra: Partial<PolicyInputs> = {}): PolicyInputs => ({
  family,
  dailyDemand: { mean: 20, variance: 100 },
  leadTime: { meanDays: 10, sdDays: 2 },
  orderCost: 50,
  holdingCostPerUnitYear: 2,
  ...extra,
});

describe('(s, Q)', () => {
  it('for a cycle service level: s = mean + z sigma of lead-time demand, Q = EOQ', () => {
    const p = planSQ(item('normal'), csl95);
    const lead = protectionDemand({ mean: 20, variance: 100 }, { meanDays: 10, sdDays: 2 });
    expect(p.reorderPoint).toBeCloseTo(lead.mean + 1.6448536269514722 * Math.sqrt(lead.variance), 9);
    expect(p.orderQuantity).toBe(Math.ceil(Math.sqrt((2 * 20 * 365 * 50) / 2)));
    expect(p.expected.cycleServiceLevel).toBeCloseTo(0.95, 12);
    expect(p.safetyStock).toBeCloseTo(p.reorderPoint - 200, 12);
  });

  it('for a fill rate: exact for continuous demand, the smallest integer for discrete demand', () => {
    for (const family of ['normal', 'gamma'] as const) expect(planSQ(item(family), fillRate98).expected.fillRate).toBeCloseTo(0.98, 9);
    for (const family of ['poisson', 'negative-binomial'] as const) {
      const p = planSQ(item(family), fillRate98);
      const lead = protectionDemand({ mean: 20, variance: 100 }, { meanDays: 10, sdDays: 2 });
      const x = fitDistribution(family, lead.mean, lead.variance);
      const cycle = { end: x, start: x, raise: p.orderQuantity, demandPerCycle: p.orderQuantity };
      expect(p.expected.fillRate).toBeGreaterThanOrEqual(0.98);
      expect(fillRate(cycle, p.reorderPoint - 1)).toBeLessThan(0.98);
    }
  });

  it('reproduces continuous versus daily review (Tempelmeier: mu 100, sigma 40 a day, L = 1, q = 200, 95%: s = 114 and 190)', () => {
    const daily = item('normal', { dailyDemand: { mean: 100, variance: 1600 }, leadTime: { meanDays: 1, sdDays: 0 }, fixedOrderQuantity: 200 });
    const target = { measure: 'fill-rate', level: 0.95 } as const;
    expect(planSQ(daily, target).reorderPoint).toBeCloseTo(114, 0);
    expect(planSQ(daily, target, 1).reorderPoint).toBeCloseTo(190, 0);
  });

  it('respects MOQ and pack, and reports the fill rate of the rounded quantity', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 1, max: 144 }), fc.constantFrom<Family>('normal', 'negative-binomial'), (moq, pack, family) => {
        const p = planSQ(item(family, { minimumOrder: moq, packSize: pack }), csl95);
        expect(p.orderQuantity % pack).toBe(0);
        expect(p.orderQuantity).toBeGreaterThanOrEqual(moq);
        const lead = protectionDemand({ mean: 20, variance: 100 }, { meanDays: 10, sdDays: 2 });
        const x = fitDistribution(family, lead.mean, lead.variance);
        expect(p.expected.fillRate).toBeCloseTo(fillRate({ end: x, start: x, raise: p.orderQuantity, demandPerCycle: p.orderQuantity }, p.reorderPoint), 12);
      }),
      { numRuns: 40 },
    );
    // A larger forced lot needs a lower reorder point for the same fill rate.
    const big = planSQ(item('normal', { minimumOrder: 3000 }), fillRate98);
    expect(big.orderQuantity).toBe(3000);
    expect(big.reorderPoint).toBeLessThan(planSQ(item('normal'), fillRate98).reorderPoint);
    expect(big.expected.fillRate).toBeCloseTo(0.98, 9);
  });

  it('costs add up: h * average on hand + K * D / Q, average on hand ~ Q/2 + safety stock', () => {
    const p = planSQ(item('gamma'), csl95);
    const e = p.expected;
    expect(e.ordersPerYear).toBeCloseTo((20 * 365) / p.orderQuantity, 12);
    expect(e.costPerYear).toBeCloseTo(2 * e.averageOnHand + 50 * e.ordersPerYear, 9);
    expect(e.averageOnHand).toBeGreaterThan(p.orderQuantity / 2 + p.safetyStock);
    expect(e.averageOnHand).toBeLessThan(p.orderQuantity / 2 + p.safetyStock + 2);
  });

  it('without demand: no safety stock, full service, nothing ordered', () => {
    const p = planSQ(item('poisson', { dailyDemand: { mean: 0, variance: 0 } }), fillRate98);
    expect([p.reorderPoint, p.expected.fillRate, p.expected.ordersPerYear]).toEqual([0, 1, 0]);
  });
});

describe('(s, S) and (R, S)', () => {
  it('(s, S) reviewed continuously is (s, Q) with Q = S - s', () => {
    for (const family of ['normal', 'negative-binomial'] as const) {
      const ss = planSS(item(family), fillRate98, 0);
      const sq = planSQ(item(family), fillRate98);
      expect(ss.reorderPoint).toBeCloseTo(sq.reorderPoint, 9);
      expect(ss.orderUpTo - ss.reorderPoint).toBe(sq.orderQuantity);
      expect(ss.expected.fillRate).toBeCloseTo(sq.expected.fillRate, 12);
    }
  });

  it('(s, S) reviewed weekly needs more stock for the undershoot, and still meets the target', () => {
    const weekly = planSS(item('gamma'), fillRate98, 7);
    expect(weekly.reorderPoint).toBeGreaterThan(planSS(item('gamma'), fillRate98, 0).reorderPoint);
    expect(weekly.expected.fillRate).toBeCloseTo(0.98, 9);
  });

  it('(R, S): S meets the fill rate or is the quantile of demand over R + L', () => {
    const rs = planRS(item('normal'), fillRate98, 7);
    expect(rs.expected.fillRate).toBeCloseTo(0.98, 9);
    const csl = planRS(item('normal'), csl95, 7);
    const covered = protectionDemand({ mean: 20, variance: 100 }, { meanDays: 10, sdDays: 2 }, 7);
    expect(csl.orderUpTo).toBeCloseTo(covered.mean + 1.6448536269514722 * Math.sqrt(covered.variance), 9);
    expect(csl.expected.ordersPerYear).toBeCloseTo(365 / 7, 9);
    const discrete = planRS(item('poisson'), fillRate98, 7);
    expect(Number.isInteger(discrete.orderUpTo)).toBe(true);
    expect(discrete.expected.fillRate).toBeGreaterThanOrEqual(0.98);
  });

  it('(R, S): rounding orders up to packs only raises the achieved service', () => {
    const plain = planRS(item('normal'), fillRate98, 7);
    const packed = planRS(item('normal', { packSize: 48 }), fillRate98, 7);
    expect(packed.orderUpTo).toBeCloseTo(plain.orderUpTo, 9);
    expect(packed.expected.fillRate).toBeGreaterThan(plain.expected.fillRate);
    expect(packed.expected.averageOnHand).toBeGreaterThan(plain.expected.averageOnHand + 20);
  });

  it('rejects inputs out of range', () => {
    expect(() => planRS(item('normal'), fillRate98, 0)).toThrow(RangeError);
    expect(() => planSQ(item('normal'), { measure: 'fill-rate', level: 1 })).toThrow(RangeError);
    expect(() => planSQ(item('normal', { holdingCostPerUnitYear: 0 }), csl95)).toThrow(RangeError);
  });
});

describe('any valid inputs', () => {
  it('give finite levels >= 0 and a reported service at or above the target', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<Family>('normal', 'gamma', 'poisson', 'negative-binomial'),
        fc.constantFrom('sQ', 'sS', 'RS'),
        fc.constantFrom('fill-rate', 'cycle-service-level') as fc.Arbitrary<'fill-rate' | 'cycle-service-level'>,
        fc.record({
          mean: fc.oneof(fc.constant(0), fc.double({ min: 1e-3, max: 1e4, noNaN: true })),
          cv: fc.oneof(fc.constant(0), fc.double({ min: 0.01, max: 5, noNaN: true })),
          lead: fc.oneof(fc.constant(0), fc.double({ min: 0.1, max: 120, noNaN: true })),
          leadSd: fc.oneof(fc.constant(0), fc.double({ min: 0.1, max: 30, noNaN: true })),
          review: fc.integer({ min: 1, max: 30 }),
          moq: fc.integer({ min: 0, max: 1000 }),
          pack: fc.integer({ min: 1, max: 50 }),
          level: fc.double({ min: 0.5, max: 0.9999, noNaN: true }),
        }),
        (family, kind, measure, r) => {
          const input = item(family, {
            dailyDemand: { mean: r.mean, variance: (r.cv * r.mean) ** 2 },
            leadTime: { meanDays: r.lead, sdDays: r.leadSd },
            minimumOrder: r.moq,
            packSize: r.pack,
          });
          const target = { measure, level: r.level };
          const p = kind === 'sQ' ? planSQ(input, target) : kind === 'sS' ? planSS(input, target, r.review) : planRS(input, target, r.review);
          const level = p.kind === 'RS' ? p.orderUpTo : p.reorderPoint;
          expect(level).toBeGreaterThanOrEqual(0);
          expect(Number.isFinite(level)).toBe(true);
          const e = p.expected;
          for (const v of [e.fillRate, e.cycleServiceLevel]) expect(v >= 0 && v <= 1).toBe(true);
          expect(Number.isFinite(e.costPerYear) && e.averageOnHand >= 0).toBe(true);
          const reached = measure === 'fill-rate' ? e.fillRate : e.cycleServiceLevel;
          expect(reached).toBeGreaterThanOrEqual(r.level - 1e-6);
        },
      ),
      { numRuns: 300 },
    );
  });
});
