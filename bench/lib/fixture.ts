/**
 * The catalog the load runs against: three regional warehouses, a synthetic catalog (mostly `allow`, some `deny`,
 * `discontinued` and capped), customers in the regions the orders come from (mostly accepting partial shipments),
 * and opening stock sized from the orders' own demand so that intake meets a realistic mix of allocations,
 * backorders and refusals. Seeding goes through the real services.
 */
import type { AppContext } from '../../src/main/context.js';
import { catalogService } from '../../src/catalog/service.js';
import { customerDef, skuDef, warehouseDef, type CustomerInput, type SkuInput, type WarehouseInput } from '../../src/catalog/entities.js';
import { sourcingOrder } from '../../src/catalog/domain.js';
import { receiveStock } from '../../src/inventory/service.js';
import type { Result } from '../../src/shared/result.js';
import { seededRandom } from '../../src/shared/random.js';
import { loadShapes, type OrderShape } from './data.js';

export const warehouses: WarehouseInput[] = [
  { id: 'UK-MAN', name: 'Manchester DC', regions: ['GB', 'IE', 'JE'], priority: 1 },
  {
    id: 'EU-RTM',
    name: 'Rotterdam DC',
    regions: ['NL', 'BE', 'DE', 'FR', 'ES', 'IT', 'CH', 'PT', 'SE', 'AT', 'DK', 'NO', 'FI', 'PL', 'CY', 'GR', 'MT', 'LT'],
    priority: 2,
  },
  { id: 'US-NJ', name: 'New Jersey DC', regions: ['US', 'CA'], priority: 3 },
];

export const skuId = (i: number) => `SKU-${String(i).padStart(5, '0')}`;

function skuInput(i: number): SkuInput {
  const policy: SkuInput['backorderPolicy'] = i % 25 === 24 ? 'discontinued' : i % 10 === 9 ? 'deny' : 'allow';
  return {
    id: skuId(i),
    name: `Bench item ${i}`,
    unitCostMinor: 100 + ((i * 37) % 2400),
    backorderPolicy: policy,
    backorderCap: policy === 'allow' && i % 8 === 5 ? 300 : null,
  };
}

/** One order as the load sends it, plus what the raw-database ceiling needs to do the same reservations. */
export interface PreparedOrder {
  body: string;
  customerId: string;
  /** First warehouse in the customer's sourcing order: where the bare reservation is made. */
  homeWarehouse: string;
  lines: { skuId: string; quantity: number }[];
}

export interface Fixture {
  skus: SkuInput[];
  customers: CustomerInput[];
  orders: PreparedOrder[];
  /** Opening stock: [skuId, warehouseId, quantity]. */
  stock: [string, string, number][];
}

export interface FixtureOptions {
  skuCount: number;
  customerCount: number;
  /** Opening stock covers about this many orders' worth of demand (less for scarce SKUs, none for some). */
  stockHorizonOrders: number;
}

/** Customers per region in proportion to the orders from there (at least two each). */
function customersFor(shapes: readonly OrderShape[], total: number): { customers: CustomerInput[]; pools: Map<string, string[]> } {
  const share = new Map<string, number>();
  for (const s of shapes) share.set(s.region, (share.get(s.region) ?? 0) + 1);
  const customers: CustomerInput[] = [];
  const pools = new Map<string, string[]>();
  for (const [region, n] of [...share].sort()) {
    const count = Math.max(2, Math.round((total * n) / shapes.length));
    const pool: string[] = [];
    for (let k = 0; k < count; k++) {
      const i = customers.length;
      const id = `CUST-${String(i).padStart(5, '0')}`;
      // Mostly wholesalers happy to receive what is there now; every fifth wants each line from one warehouse.
      customers.push({ id, name: `Customer ${i}`, email: `c${i}@example.com`, region, tier: 1 + (i % 3), acceptsPartial: i % 5 !== 4 });
      pool.push(id);
    }
    pools.set(region, pool);
  }
  return { customers, pools };
}

export function buildFixture(shapes: readonly OrderShape[], o: FixtureOptions): Fixture {
  const skus = Array.from({ length: o.skuCount }, (_, i) => skuInput(i));
  const { customers, pools } = customersFor(shapes, o.customerCount);
  const homeOf = new Map<string, string>();
  const demand = new Map<string, number>(); // `${sku}|${warehouse}` -> units over all shapes
  const orders = shapes.map((s, k) => {
    const pool = pools.get(s.region)!;
    const customerId = pool[k % pool.length]!;
    let home = homeOf.get(s.region);
    if (!home) homeOf.set(s.region, (home = sourcingOrder(warehouses, s.region)[0]!.id));
    const lines = s.lines.map((l) => ({ skuId: skuId(l.sku), quantity: l.quantity }));
    for (const l of lines) demand.set(`${l.skuId}|${home}`, (demand.get(`${l.skuId}|${home}`) ?? 0) + l.quantity);
    return { body: JSON.stringify({ customerId, lines, reference: `BENCH-${k}` }), customerId, homeWarehouse: home, lines };
  });
  const rand = seededRandom(11);
  const scale = o.stockHorizonOrders / shapes.length;
  const stock: [string, string, number][] = [];
  for (const sku of skus) {
    // 15% of SKUs start out of stock; the rest cover 10%..150% of their demand over the horizon.
    const cover = rand() < 0.15 ? 0 : 0.1 + 1.4 * rand();
    for (const w of warehouses) {
      const units = Math.round((demand.get(`${sku.id}|${w.id}`) ?? 0) * scale * cover);
      if (units > 0) stock.push([sku.id, w.id, units]);
    }
  }
  return { skus, customers, orders, stock };
}

/** Runs `fn` over items with at most `n` in flight (PostgreSQL seeding is round-trip bound). */
async function inPool<T>(items: readonly T[], n: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: n }, worker));
}

function must<T>(r: Result<T>, what: string): T {
  if (!r.ok) throw new Error(`bench seed: ${what}: ${r.error.code}: ${r.error.message}`);
  return r.value;
}

/** Writes the fixture through the catalog and stock services. */
export async function seedFixture(ctx: AppContext, f: Fixture): Promise<void> {
  const parallel = ctx.store.dialect === 'postgres' ? 8 : 1;
  for (const w of warehouses) must(await catalogService(warehouseDef).create(ctx, w), `warehouse ${w.id}`);
  await inPool(f.skus, parallel, async (s) => void must(await catalogService(skuDef).create(ctx, s), `SKU ${s.id}`));
  await inPool(f.customers, parallel, async (c) => void must(await catalogService(customerDef).create(ctx, c), `customer ${c.id}`));
  await inPool(f.stock, parallel, async ([skuId, warehouseId, quantity]) => {
    must(await receiveStock(ctx, { skuId, warehouseId, quantity, reference: 'opening stock' }), `stock ${skuId}@${warehouseId}`);
  });
}

/**
 * The intake benchmarks' fixture: Online Retail baskets over 2,000 SKUs (synthetic shapes when the data is absent,
 * said through `progress`), 1,000 customers, opening stock for about 5,000 orders' demand.
 */
export async function retailFixture(data: string, progress: (msg: string) => void, maxOrders = 0): Promise<{ fixture: Fixture; source: string }> {
  const skuCount = 2000;
  const shapes = await loadShapes(data, { skuCount, maxQuantity: 120, maxLines: 500 });
  if (shapes.source === 'synthetic') progress(`${data} not found: using synthetic order shapes`);
  const orders = maxOrders > 0 ? shapes.orders.slice(0, maxOrders) : shapes.orders;
  return { fixture: buildFixture(orders, { skuCount, customerCount: 1000, stockHorizonOrders: 5000 }), source: shapes.source };
}
