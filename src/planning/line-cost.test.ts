import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fitDistribution } from './distributions.js';
import { cycleServiceForLineCost, lineCostServiceBounds } from './line-cost.js';
import { planRS, planSQ, type PolicyInputs } from './policies.js';
import { fillRate, protectionDemand } from './safety-stock.js';

describe('cycleServiceForLineCost', () => {
  it('is 1 - h x line size x cycle demand / (annual demand x B), by hand', () => {
    // 2 x 12 x 100 / (3650 x 50) = 2400 / 182500
    expect(cycleServiceForLineCost({ holdingCostPerUnitYear: 2, demandPerCycle: 100, annualDemand: 3650 }, { costPerLine: 50, meanLineSize: 12 })).toBeCloseTo(1 - 2400 / 182500, 12);
  });

  it('keeps within its bounds, and is the lower bound without demand', () => {
    expect(cycleServiceForLineCost({ holdingCostPerUnitYear: 500, demandPerCycle: 100, annualDemand: 200 }, { costPerLine: 1, meanLineSize: 48 })).toBe(lineCostServiceBounds.min);
    expect(cycleServiceForLineCost({ holdingCostPerUnitYear: 0.01, demandPerCycle: 1, annualDemand: 1e6 }, { costPerLine: 1e6, meanLineSize: 1 })).toBe(lineCostServiceBounds.max);
    expect(cycleServiceForLineCost({ holdingCostPerUnitYear: 1, demandPerCycle: 0, annualDemand: 0 }, { costPerLine: 10, meanLineSize: 1 })).toBe(lineCostServiceBounds.min);
  });

  const positive = fc.double({ min: 1e-3, max: 1e4, noNaN: true });
  it('rises with the cost of a backordered line and falls with holding cost, line size and cycle length', () => {
    fc.assert(
      fc.property(positive, positive, positive, positive, positive, fc.double({ min: 1, max: 10, noNaN: true }), (h, size, cycle, annual, cost, factor) => {
        const p = (o: { h?: number; size?: number; cycle?: number; cost?: number }) =>
          cycleServiceForLineCost({ holdingCostPerUnitYear: o.h ?? h, demandPerCycle: o.cycle ?? cycle, annualDemand: annual }, { costPerLine: o.cost ?? cost, meanLineSize: o.size ?? size });
        const base = p({});
        expect(base).toBeGreaterThanOrEqual(lineCostServiceBounds.min);
        expect(base).toBeLessThanOrEqual(lineCostServiceBounds.max);
        expect(p({ cost: cost * factor })).toBeGreaterThanOrEqual(base);
        expect(p({ h: h * factor })).toBeLessThanOrEqual(base);
        expect(p({ size: size * factor })).toBeLessThanOrEqual(base);
        expect(p({ cycle: cycle * factor })).toBeLessThanOrEqual(base);
      }),
    );
  });
});

describe('a policy planned for a line shortage cost', () => {
  const input: PolicyInputs = { family: 'normal', dailyDemand: { mean: 20, variance: 400 }, leadTime: { meanDays: 10, sdDays: 2 }, orderCost: 50, holdingCostPerUnitYear: 2 };

  it('(s, Q): its reorder point minimises holding plus B per line short (one unit either way costs more)', () => {
    const target = { measure: 'line-shortage-cost', costPerLine: 40, meanLineSize: 6 } as const;
    const p = planSQ(input, target);
    const lead = protectionDemand(input.dailyDemand, input.leadTime);
    const x = fitDistribution('normal', lead.mean, lead.variance);
    const cycle = { end: x, start: x, raise: p.orderQuantity, demandPerCycle: p.orderQuantity };
    const annual = 20 * 365;
    // Yearly cost that depends on s: holding the safety stock, and B for each line short (units short / line size).
    const cost = (s: number) => input.holdingCostPerUnitYear * s + (annual / p.orderQuantity) * (1 - fillRate(cycle, s)) * p.orderQuantity * (target.costPerLine / target.meanLineSize);
    expect(p.expected.cycleServiceLevel).toBeGreaterThan(lineCostServiceBounds.min);
    expect(p.expected.cycleServiceLevel).toBeLessThan(lineCostServiceBounds.max);
    expect(cost(p.reorderPoint)).toBeLessThan(cost(p.reorderPoint - 1));
    expect(cost(p.reorderPoint)).toBeLessThan(cost(p.reorderPoint + 1));
  });

  it('gives a dear item in large lines less cover than a cheap one in small lines, with the same demand', () => {
    const cheapSmall = planRS({ ...input, holdingCostPerUnitYear: 0.5 }, { measure: 'line-shortage-cost', costPerLine: 40, meanLineSize: 1 }, 7);
    const dearLarge = planRS({ ...input, holdingCostPerUnitYear: 20 }, { measure: 'line-shortage-cost', costPerLine: 40, meanLineSize: 24 }, 7);
    expect(cheapSmall.expected.cycleServiceLevel).toBeGreaterThan(dearLarge.expected.cycleServiceLevel);
    expect(cheapSmall.safetyStock).toBeGreaterThan(dearLarge.safetyStock);
  });

  it('refuses a cost or line size that is not a positive number', () => {
    expect(() => planSQ(input, { measure: 'line-shortage-cost', costPerLine: 0, meanLineSize: 1 })).toThrow(RangeError);
    expect(() => planSQ(input, { measure: 'line-shortage-cost', costPerLine: 10, meanLineSize: Number.NaN })).toThrow(RangeError);
  });
});
