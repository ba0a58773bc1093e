import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Family } from './distributions.js';
import { backorderRisk, inventoryPosition, leadTimeDemand, type RiskInputs } from './risk.js';

const base = (family: Family, stock: Partial<RiskInputs> = {}): RiskInputs => ({
  onHand: 120,
  allocated: 30,
  backordered: 10,
  onOrder: 100,
  family,
  dailyDemand: { mean: 8, variance: 30 },
  leadTime: { meanDays: 14, sdDays: 3 },
  ...stock,
});

describe('backorder risk', () => {
  it('inventory position = on hand - allocated - backordered + on order', () => {
    expect(inventoryPosition({ onHand: 120, allocated: 30, backordered: 10, onOrder: 100 })).toBe(180);
  });

  it('is P(lead-time demand > position), with the expected shortage and days of cover', () => {
    const r = backorderRisk(base('normal'));
    const x = leadTimeDemand('normal', { mean: 8, variance: 30 }, { meanDays: 14, sdDays: 3 });
    expect(x.mean).toBe(112);
    expect(x.variance).toBeCloseTo(14 * 30 + 64 * 9, 9);
    expect(r.stockoutProbability).toBeCloseTo(x.survival(180), 15);
    expect(r.expectedShortage).toBeCloseTo(x.loss(180), 15);
    expect(r.daysUntilStockout).toBeCloseTo(80 / 8, 12);
  });

  it('never rises when the inventory position rises', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<Family>('normal', 'gamma', 'poisson', 'negative-binomial'),
        fc.integer({ min: -200, max: 2000 }),
        fc.integer({ min: 0, max: 200 }),
        (family, onHand, extra) => {
          const low = backorderRisk(base(family, { onHand, allocated: 0 }));
          const high = backorderRisk(base(family, { onHand: onHand + extra, allocated: 0 }));
          expect(high.stockoutProbability).toBeLessThanOrEqual(low.stockoutProbability);
          expect(high.expectedShortage).toBeLessThanOrEqual(low.expectedShortage + 1e-12);
          expect(low.stockoutProbability).toBeGreaterThanOrEqual(0);
          expect(low.stockoutProbability).toBeLessThanOrEqual(1);
        },
      ),
    );
  });

  it('is certain with backorders and nothing coming, nil without demand', () => {
    const out = backorderRisk(base('poisson', { onHand: 0, allocated: 0, backordered: 5, onOrder: 0 }));
    expect([out.stockoutProbability, out.daysUntilStockout]).toEqual([1, 0]);
    const idle = backorderRisk(base('gamma', { dailyDemand: { mean: 0, variance: 0 } }));
    expect([idle.stockoutProbability, idle.daysUntilStockout]).toEqual([0, Infinity]);
  });
});
