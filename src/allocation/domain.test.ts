import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { allocateSupply, isEligibleAt } from './domain.js';
import { strategies, strategyNames, type WaitingDemand } from './strategies.js';

const demand = (id: string, placedAt: string, waiting: number, extra: Partial<WaitingDemand> = {}): WaitingDemand => ({
  backorderId: id,
  orderId: `o-${id}`,
  placedAt,
  customerTier: 2,
  waiting,
  warehouseId: 'UK',
  flexible: true,
  ...extra,
});

describe('allocateSupply by hand', () => {
  it('FIFO fills the earliest order first, partially when stock runs out', () => {
    const d = allocateSupply(5, 'UK', [demand('b2', '2026-01-02', 4), demand('b1', '2026-01-01', 3), demand('b3', '2026-01-03', 2)], strategies.fifo);
    expect(d.map((x) => [x.backorderId, x.quantity, x.rank])).toEqual([['b1', 3, 1], ['b2', 2, 2]]);
    expect(d[0]!.reason).toContain('FIFO');
  });

  it('tier-then-fifo serves tier 1 before an earlier tier 2 order', () => {
    const d = allocateSupply(3, 'UK', [demand('early', '2026-01-01', 3, { customerTier: 2 }), demand('vip', '2026-01-05', 3, { customerTier: 1 })], strategies['tier-then-fifo']);
    expect(d.map((x) => x.backorderId)).toEqual(['vip']);
  });

  it('skips demand pinned to another warehouse', () => {
    const d = allocateSupply(3, 'EU', [demand('pinned', '2026-01-01', 2, { flexible: false, warehouseId: 'UK' }), demand('any', '2026-01-02', 2)], strategies.fifo);
    expect(d.map((x) => x.backorderId)).toEqual(['any']);
  });
});

const demandArb = fc.record({
  backorderId: fc.uuid(),
  orderId: fc.uuid(),
  placedAt: fc.date({ min: new Date('2026-01-01'), max: new Date('2026-12-31'), noInvalidDate: true }).map((d) => d.toISOString()),
  customerTier: fc.integer({ min: 1, max: 3 }),
  waiting: fc.integer({ min: 0, max: 20 }),
  warehouseId: fc.constantFrom('UK', 'EU'),
  flexible: fc.boolean(),
});

describe('allocateSupply properties', () => {
  it('conserves units, serves each at most what it waits for, and follows the strategy order', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100 }),
        fc.constantFrom('UK', 'EU'),
        fc.uniqueArray(demandArb, { selector: (d) => d.backorderId, maxLength: 15 }),
        fc.constantFrom(...strategyNames),
        (supply, wh, waiting, name) => {
          const strategy = strategies[name];
          const decisions = allocateSupply(supply, wh, waiting, strategy);
          const eligible = waiting.filter((d) => d.waiting > 0 && isEligibleAt(d, wh)).sort(strategy.compare);
          const total = decisions.reduce((s, d) => s + d.quantity, 0);
          expect(total).toBe(Math.min(supply, eligible.reduce((s, d) => s + d.waiting, 0)));
          // The decisions are a prefix of the queue; all but the last are served in full.
          decisions.forEach((d, i) => {
            expect(d.backorderId).toBe(eligible[i]!.backorderId);
            expect(d.quantity).toBeGreaterThan(0);
            expect(d.quantity).toBeLessThanOrEqual(eligible[i]!.waiting);
            if (i < decisions.length - 1) expect(d.quantity).toBe(eligible[i]!.waiting);
          });
        },
      ),
      { numRuns: 500 },
    );
  });
});
