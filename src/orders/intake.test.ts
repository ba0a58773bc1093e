import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { planIntake, type IntakeInput, type IntakeSku } from './intake.js';

const warehouses = [
  { id: 'UK', regions: ['GB'], priority: 1 },
  { id: 'EU', regions: ['NL', 'DE'], priority: 2 },
  { id: 'US', regions: ['US'], priority: 3 },
];

const skus = (...list: IntakeSku[]) => new Map(list.map((s) => [s.id, s]));
const allow = (id: string): IntakeSku => ({ id, backorderPolicy: 'allow' });
const stockOf = (entries: Record<string, Record<string, number>>) =>
  new Map(Object.entries(entries).map(([sku, byWh]) => [sku, new Map(Object.entries(byWh))]));

function input(partial: Partial<IntakeInput>): IntakeInput {
  return {
    customer: { region: 'GB', acceptsPartial: true },
    lines: [],
    skus: skus(allow('A')),
    warehouses,
    available: new Map(),
    backorderRoom: new Map(),
    ...partial,
  };
}

describe('planIntake by hand', () => {
  it('sources from the warehouse serving the region first, then by priority, splitting for partial customers', () => {
    const [line] = planIntake(
      input({ customer: { region: 'DE', acceptsPartial: true }, lines: [{ skuId: 'A', quantity: 10 }], available: stockOf({ A: { UK: 4, EU: 3, US: 9 } }) }),
    );
    expect(line!.allocations).toEqual([
      { warehouseId: 'EU', quantity: 3 },
      { warehouseId: 'UK', quantity: 4 },
      { warehouseId: 'US', quantity: 3 },
    ]);
    expect(line!.backordered).toBe(0);
  });

  it('backorders what no warehouse holds, waiting at the preferred warehouse and fillable from any', () => {
    const [line] = planIntake(input({ lines: [{ skuId: 'A', quantity: 7 }], available: stockOf({ A: { EU: 2 } }) }));
    expect(line).toMatchObject({ allocations: [{ warehouseId: 'EU', quantity: 2 }], backordered: 5, backorderWarehouseId: 'UK', flexible: true, rejected: 0 });
  });

  it('serves a customer who refuses partial shipments from one warehouse: the first that can fill the line whole', () => {
    const [line] = planIntake(
      input({ customer: { region: 'GB', acceptsPartial: false }, lines: [{ skuId: 'A', quantity: 5 }], available: stockOf({ A: { UK: 4, EU: 5 } }) }),
    );
    expect(line!.allocations).toEqual([{ warehouseId: 'EU', quantity: 5 }]);
  });

  it('else from the warehouse holding the most, backordering the rest there only', () => {
    const [line] = planIntake(
      input({ customer: { region: 'GB', acceptsPartial: false }, lines: [{ skuId: 'A', quantity: 9 }], available: stockOf({ A: { UK: 2, EU: 6, US: 6 } }) }),
    );
    expect(line).toMatchObject({ allocations: [{ warehouseId: 'EU', quantity: 6 }], backordered: 3, backorderWarehouseId: 'EU', flexible: false });
  });

  it('refuses the unfilled part of deny and discontinued SKUs as a stockout, and sells what is on hand', () => {
    const plans = planIntake(
      input({
        skus: skus({ id: 'D', backorderPolicy: 'deny' }, { id: 'X', backorderPolicy: 'discontinued' }),
        lines: [{ skuId: 'D', quantity: 3 }, { skuId: 'X', quantity: 4 }],
        available: stockOf({ X: { UK: 1 } }),
      }),
    );
    expect(plans[0]).toMatchObject({ backordered: 0, rejected: 3, rejectReason: 'backorders_denied' });
    expect(plans[1]).toMatchObject({ allocations: [{ warehouseId: 'UK', quantity: 1 }], backordered: 0, rejected: 3, rejectReason: 'discontinued' });
  });

  it('backorders only up to the room left under the cap, earlier lines of the same order using it first', () => {
    const plans = planIntake(
      input({ skus: skus(allow('C')), lines: [{ skuId: 'C', quantity: 4 }, { skuId: 'C', quantity: 5 }], backorderRoom: new Map([['C', 7]]) }),
    );
    expect(plans[0]).toMatchObject({ backordered: 4, rejected: 0 });
    expect(plans[1]).toMatchObject({ backordered: 3, rejected: 2, rejectReason: 'backorder_cap_reached' });
  });

  it('under allow-up-to-inbound refuses what no confirmed inbound covers', () => {
    const [line] = planIntake(
      input({ skus: skus({ id: 'I', backorderPolicy: 'allow-up-to-inbound' }), lines: [{ skuId: 'I', quantity: 5 }], backorderRoom: new Map([['I', 2]]) }),
    );
    expect(line).toMatchObject({ backordered: 2, rejected: 3, rejectReason: 'beyond_inbound_supply' });
  });

  it('lets an earlier line consume stock before a later line of the same SKU', () => {
    const plans = planIntake(input({ lines: [{ skuId: 'A', quantity: 3 }, { skuId: 'A', quantity: 3 }], available: stockOf({ A: { UK: 4 } }) }));
    expect(plans.map((p) => p.allocations)).toEqual([[{ warehouseId: 'UK', quantity: 3 }], [{ warehouseId: 'UK', quantity: 1 }]]);
    expect(plans[1]!.backordered).toBe(2);
  });
});

const skuArb = fc.record({
  id: fc.constantFrom('A', 'B', 'C'),
  backorderPolicy: fc.constantFrom('allow', 'allow-up-to-inbound', 'deny', 'discontinued') as fc.Arbitrary<IntakeSku['backorderPolicy']>,
});

const scenario = fc.record({
  skuList: fc.uniqueArray(skuArb, { selector: (s) => s.id, minLength: 3, maxLength: 3 }),
  region: fc.constantFrom('GB', 'NL', 'US', 'FR'),
  acceptsPartial: fc.boolean(),
  lines: fc.array(fc.record({ skuId: fc.constantFrom('A', 'B', 'C'), quantity: fc.integer({ min: 1, max: 40 }) }), { minLength: 1, maxLength: 8 }),
  stock: fc.dictionary(fc.constantFrom('A', 'B', 'C'), fc.dictionary(fc.constantFrom('UK', 'EU', 'US'), fc.integer({ min: 0, max: 30 }))),
  room: fc.dictionary(fc.constantFrom('A', 'B', 'C'), fc.integer({ min: 0, max: 20 })),
});

describe('planIntake properties', () => {
  it('conserves units, never takes more than is available, and keeps every policy', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const available = stockOf(s.stock);
        const room = new Map(Object.entries(s.room));
        const skuMap = skus(...s.skuList);
        const plans = planIntake(input({ customer: { region: s.region, acceptsPartial: s.acceptsPartial }, lines: s.lines, skus: skuMap, available, backorderRoom: room }));
        const taken = new Map<string, number>();
        const backordered = new Map<string, number>();
        for (const p of plans) {
          const allocated = p.allocations.reduce((sum, a) => sum + a.quantity, 0);
          expect(allocated + p.backordered + p.rejected).toBe(p.quantity);
          expect(p.allocations.every((a) => a.quantity > 0)).toBe(true);
          if (!s.acceptsPartial) expect(p.allocations.length).toBeLessThanOrEqual(1);
          for (const a of p.allocations) taken.set(`${p.skuId}@${a.warehouseId}`, (taken.get(`${p.skuId}@${a.warehouseId}`) ?? 0) + a.quantity);
          backordered.set(p.skuId, (backordered.get(p.skuId) ?? 0) + p.backordered);
          const sku = skuMap.get(p.skuId)!;
          if (sku.backorderPolicy === 'deny' || sku.backorderPolicy === 'discontinued') expect(p.backordered).toBe(0);
          if (p.rejected > 0) expect(p.rejectReason).not.toBeNull();
        }
        for (const [key, q] of taken) {
          const [skuId, wh] = key.split('@') as [string, string];
          expect(q).toBeLessThanOrEqual(available.get(skuId)?.get(wh) ?? 0);
        }
        for (const [skuId, q] of backordered) {
          if (room.has(skuId)) expect(q).toBeLessThanOrEqual(room.get(skuId)!);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('for partial customers, backorders only what the whole network cannot supply', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const available = stockOf(s.stock);
        const plans = planIntake(input({ customer: { region: s.region, acceptsPartial: true }, lines: s.lines, skus: skus(allow('A'), allow('B'), allow('C')), available }));
        const left = new Map([...available].map(([k, v]) => [k, [...v.values()].reduce((a, b) => a + b, 0)]));
        for (const p of plans) {
          const before = left.get(p.skuId) ?? 0;
          const allocated = p.allocations.reduce((sum, a) => sum + a.quantity, 0);
          expect(allocated).toBe(Math.min(p.quantity, before));
          left.set(p.skuId, before - allocated);
        }
      }),
      { numRuns: 300 },
    );
  });
});
