/**
 * A SKU listed days ago is measured over at least minExposureDays (facts.ts), on every engine: its first order is
 * not taken for its daily rate; from minExposureDays of age on, its rate is measured from its first order (here also
 * its listing day).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../support/engines.js';
import { customer, must, openTestContext, seedCatalog, sku, type TestContext } from '../support/context.js';
import { placeOrder } from '../../src/orders/service.js';
import { minExposureDays } from '../../src/replenishment/facts.js';
import { listPolicies } from '../../src/replenishment/service.js';

describe.each(engines)('a young SKU\'s demand on $name', (engine) => {
  let t: TestContext;
  const at = (d: string) => t.clock.set(`${d}T10:00:00.000Z`);
  const demandOf = async () => must(await listPolicies(t.ctx, { skuId: 'NEW', warehouseId: 'UK', windowDays: 182 }))[0]!.demand;

  beforeAll(async () => {
    t = await openTestContext(engine);
    at('2026-03-01');
    await seedCatalog(t.ctx, { skus: [sku('NEW')], customers: [customer('A', 'GB')] });
    must(await placeOrder(t.ctx, { customerId: 'A', lines: [{ skuId: 'NEW', quantity: 28 }] }));
  });
  afterAll(async () => t.close());

  it('spreads a first order of 28 over two weeks the day after its listing: 2 a day, not 28', async () => {
    at('2026-03-02');
    const demand = await demandOf();
    expect(minExposureDays).toBe(14);
    expect(demand).toMatchObject({ from: '2026-02-16', to: '2026-03-01', days: 14, units: 28 });
    expect(demand.dailyMean).toBeCloseTo(2, 12);
  });

  it('measures from its first order once the SKU is older than that', async () => {
    at('2026-03-21');
    const demand = await demandOf();
    expect(demand).toMatchObject({ from: '2026-03-01', to: '2026-03-20', days: 20, units: 28 });
    expect(demand.dailyMean).toBeCloseTo(28 / 20, 12);
  });
});
