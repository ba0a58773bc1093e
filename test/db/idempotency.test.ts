import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../support/engines.js';
import { customer, must, openTestContext, seedCatalog, sku, type TestContext } from '../support/context.js';
import { placeOrder } from '../../src/orders/service.js';
import { listLevels, receiveStock } from '../../src/inventory/service.js';
import type { IdempotencyKey } from '../../src/idempotency/command.js';

describe.each(engines)('idempotent commands on $name', (engine) => {
  let t: TestContext;
  beforeAll(async () => {
    t = await openTestContext(engine);
    await seedCatalog(t.ctx, { skus: [sku('PEN')], customers: [customer('A')] });
    must(await receiveStock(t.ctx, { skuId: 'PEN', warehouseId: 'UK', quantity: 10 }));
  });
  afterAll(async () => t.close());

  const key = (k: string, request: unknown): IdempotencyKey => ({ scope: 'POST /orders', key: k, request });
  const orderCount = async () => Number((await t.ctx.store.db.selectFrom('sales_order').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const allocated = async () => must(await listLevels(t.ctx, { skuId: 'PEN', limit: 5 })).items.reduce((s, l) => s + l.allocated, 0);

  it('returns the first answer to a retry and creates nothing new', async () => {
    const body = { customerId: 'A', lines: [{ skuId: 'PEN', quantity: 3 }] };
    const firstKey = key('k-1', body);
    const first = must(await placeOrder(t.ctx, body, firstKey));
    expect(firstKey.replayed).toBeUndefined();
    const retryKey = key('k-1', { lines: [{ quantity: 3, skuId: 'PEN' }], customerId: 'A' });
    const retry = must(await placeOrder(t.ctx, body, retryKey));
    expect(retryKey.replayed).toBe(true);
    expect(retry).toEqual(first);
    expect(await orderCount()).toBe(1);
    expect(await allocated()).toBe(3);
  });

  it('serialises concurrent retries of one key: one order, one reservation, the same answer', async () => {
    const body = { customerId: 'A', lines: [{ skuId: 'PEN', quantity: 2 }] };
    const answers = await Promise.all(Array.from({ length: 6 }, () => placeOrder(t.ctx, body, key('k-race', body))));
    const ids = new Set(answers.map((a) => must(a).order.id));
    expect(ids.size).toBe(1);
    expect(await orderCount()).toBe(2);
    expect(await allocated()).toBe(5);
  });

  it('refuses the same key with a different request', async () => {
    const r = await placeOrder(t.ctx, { customerId: 'A', lines: [{ skuId: 'PEN', quantity: 9 }] }, key('k-1', { other: true }));
    expect(!r.ok && r.error).toMatchObject({ code: 'idempotency_key_reused', field: 'Idempotency-Key' });
    expect(await orderCount()).toBe(2);
  });

  it('does not consume the key when the command fails, so a corrected retry runs', async () => {
    const bad = { customerId: 'A', lines: [{ skuId: 'NOPE', quantity: 1 }] };
    expect((await placeOrder(t.ctx, bad, key('k-fail', bad))).ok).toBe(false);
    const again = await placeOrder(t.ctx, bad, key('k-fail', bad));
    expect(!again.ok && again.error.code).toBe('unknown_reference');
  });
});
