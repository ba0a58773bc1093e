/**
 * A realistic demo: three warehouses, a gift-ware catalog with every backorder policy, customers in several
 * regions and tiers, eight weeks of trading replayed from a synthetic history (works without ../shared), stock, and
 * a day of orders placed through the real intake (so some lines are allocated, some backordered, some refused), then
 * a delivery that fills waiting backorders and a few shipments.
 */
import type { AppContext } from '../main/context.js';
import { catalogService } from '../catalog/service.js';
import { customerDef, skuDef, warehouseDef, type CustomerInput, type SkuInput, type WarehouseInput } from '../catalog/entities.js';
import { receiveStock } from '../inventory/service.js';
import { placeOrder } from '../orders/service.js';
import { shipOrder } from '../orders/fulfilment.js';
import { replayDays } from '../replay/days.js';
import type { Invoice } from '../replay/orders-file.js';
import { supplierDef } from '../catalog/entities.js';
import { createPurchaseOrder, putSupplierItem, receivePurchaseOrder } from '../purchasing/service.js';
import { addDays } from '../promising/domain.js';
import type { Result } from '../shared/result.js';
import { seededRandom } from '../shared/random.js';
import { manualClock } from '../shared/clock.js';
import { planningDefaults } from '../replenishment/service.js';

const warehouses: WarehouseInput[] = [
  { id: 'UK-MAN', name: 'Manchester DC', regions: ['GB', 'IE'], priority: 1 },
  { id: 'EU-RTM', name: 'Rotterdam DC', regions: ['NL', 'BE', 'DE', 'FR', 'ES', 'IT'], priority: 2 },
  { id: 'US-NJ', name: 'New Jersey DC', regions: ['US', 'CA'], priority: 3 },
];

const products = [
  'Ceramic mug, sage', 'Ceramic mug, ochre', 'Tealight holder, zinc', 'Hanging heart lantern', 'Linen tea towel',
  'Enamel jug, 1 l', 'Glass storage jar', 'Wooden spoon set', 'Paper party bunting', 'Kraft gift bags (10)',
  'Scented candle, fig', 'Scented candle, cedar', 'Cotton tote bag', 'Bamboo lunch box', 'Vintage alarm clock',
  'Doormat, coir', 'Picnic blanket', 'Cake stand, 3 tier', 'Children’s apron', 'Biscuit tin, retro',
  'Photo frame, oak', 'Wall clock, station', 'Glass baubles (6)', 'Advent calendar, wood', 'Herb planter set',
];

function skus(rand: () => number): SkuInput[] {
  return products.map((name, i) => {
    const policy: SkuInput['backorderPolicy'] = i % 11 === 10 ? 'discontinued' : i % 7 === 6 ? 'deny' : 'allow';
    return {
      id: `RC-${String(1001 + i)}`,
      name,
      unitCostMinor: 150 + Math.floor(rand() * 2500),
      backorderPolicy: policy,
      backorderCap: policy === 'allow' && i % 5 === 4 ? 20 : null,
    };
  });
}

const customerNames = [
  ['Hartley & Sons', 'GB'], ['Bloom Interiors', 'GB'], ['The Gift Loft', 'IE'], ['Maison Clair', 'FR'],
  ['Kado Huis', 'NL'], ['Geschenkhaus Lenz', 'DE'], ['Casa Dorada', 'ES'], ['Bottega Verde', 'IT'],
  ['Maple & Pine', 'CA'], ['Hudson Home Goods', 'US'], ['Rosewood Retail', 'GB'], ['Cadeaux Belges', 'BE'],
] as const;

function customers(): CustomerInput[] {
  return customerNames.map(([name, region], i) => ({
    id: `CUST-${String(101 + i)}`,
    name,
    email: `orders+${101 + i}@example.com`,
    region,
    tier: 1 + (i % 3),
    acceptsPartial: i % 4 !== 3,
  }));
}

function must<T>(r: Result<T>, what: string): T {
  if (!r.ok) throw new Error(`demo seed: ${what}: ${r.error.message}`);
  return r.value;
}

/** True when the store already holds a catalog (the demo never writes over real data). */
export async function storeIsEmpty(ctx: AppContext): Promise<boolean> {
  const row = await ctx.store.db.selectFrom('warehouse').select('id').limit(1).executeTakeFirst();
  return row === undefined;
}

/**
 * Last quarter's deliveries, replayed on a clock set in the past, so each supplier has a track record: Nordic is
 * nearly always on time, Far East often a week late. Promises are shifted by that lateness.
 */
async function supplierHistory(ctx: AppContext, catalog: SkuInput[], rand: () => number): Promise<void> {
  const now = ctx.clock.now().getTime();
  const clock = manualClock(new Date(now));
  const past: AppContext = { ...ctx, clock };
  for (const [supplierId, lead, maxLate] of [['SUP-NORD', 14, 2], ['SUP-FAR', 42, 9]] as const) {
    for (let n = 0; n < 8; n++) {
      const placed = now - (120 - n * 8) * 86_400_000;
      clock.set(new Date(placed));
      const sku = catalog[(n * 2 + (supplierId === 'SUP-FAR' ? 1 : 0)) % catalog.length]!;
      const expected = addDays(new Date(placed).toISOString().slice(0, 10), lead);
      const po = must(await createPurchaseOrder(past, { supplierId, place: true, lines: [{ skuId: sku.id, warehouseId: 'UK-MAN', quantity: 12, expectedDate: expected }] }), 'past PO');
      clock.set(new Date(placed + (lead + Math.floor(rand() * (maxLate + 1))) * 86_400_000));
      must(await receivePurchaseOrder(past, po.id, { lines: [{ lineId: po.lines[0]!.id, quantity: 12 }] }), 'past receipt');
    }
  }
}

/**
 * Eight weeks of trading before today, as a short replay of a synthetic history (src/replay): a few orders a day
 * from the customers, four weeks of it loaded as order history, then four weeks through the real system on a clock
 * set in the past: Raincheck's planning stocks the shelves and places weekly purchase orders with the two
 * suppliers (the importer's are still on their way today), deliveries fill what waits, what is allocated ships each
 * evening. So the dashboard has trends, the KPIs weeks to compare, the SKUs a demand history to forecast from, and
 * the suppliers purchase orders in flight.
 */
async function tradingHistory(ctx: AppContext, catalog: SkuInput[], people: CustomerInput[], rand: () => number): Promise<number> {
  const day = 86_400_000;
  const start = new Date(ctx.clock.now().getTime() - 56 * day).toISOString().slice(0, 10);
  const clock = manualClock(`${start}T00:00:00.000Z`);
  // The items that start today out of stock (every fourth) have no history here.
  const traded = catalog.filter((s, i) => i % 4 !== 0 && s.backorderPolicy !== 'discontinued');
  // Raincheck's planning as a new store would run it.
  const { reviewDays, service, orderCostMinor, windowDays } = planningDefaults;
  const days = await replayDays({ ...ctx, clock }, clock, demoInvoices(traded, people, start, 56, rand), {
    from: addDays(start, 28),
    to: addDays(start, 55),
    settings: { policy: 'raincheck', reviewDays, service, orderCostMinor, windowDays, shortageCheck: true, quotedLeadTimeDays: new Map([['SUP-NORD', 14], ['SUP-FAR', 42]]) },
    maxLateDays: new Map([['SUP-NORD', 2], ['SUP-FAR', 9]]),
    seed: 20261125,
    history: true,
    openingStock: true,
  });
  return days.orders;
}

/** A few orders a day, Saturdays aside: one or two lines of the traded items, one to four units each. */
async function* demoInvoices(traded: SkuInput[], people: CustomerInput[], start: string, count: number, rand: () => number): AsyncGenerator<Invoice> {
  let n = 0;
  for (let d = 0; d < count; d++) {
    const day = addDays(start, d);
    if (new Date(`${day}T00:00:00Z`).getUTCDay() === 6) continue;
    const orders = 3 + Math.floor(rand() * 3);
    for (let k = 0; k < orders; k++) {
      const customer = people[Math.floor(rand() * people.length)]!;
      const lines = new Map<string, number>();
      for (let l = 0; l < 1 + Math.floor(rand() * 2); l++) {
        const sku = traded[Math.floor(rand() * traded.length)]!.id;
        lines.set(sku, (lines.get(sku) ?? 0) + 1 + Math.floor(rand() * 4));
      }
      const at = `${day}T${String(9 + k * 2).padStart(2, '0')}:00:00.000Z`;
      yield { reference: `H-${1000 + n++}`, customerId: customer.id, region: customer.region, at, cancel: false, lines: [...lines].map(([skuId, quantity]) => ({ skuId, quantity })) };
    }
  }
}

export interface DemoSummary {
  warehouses: number;
  skus: number;
  customers: number;
  /** Today's orders. */
  orders: number;
  backorders: number;
  /** Orders of the four weeks before today replayed through the system (four more are history). */
  pastOrders: number;
}

export async function seedDemo(ctx: AppContext, seed = 20261125): Promise<DemoSummary> {
  const rand = seededRandom(seed);
  for (const w of warehouses) must(await catalogService(warehouseDef).create(ctx, w), `warehouse ${w.id}`);
  const catalog = skus(rand);
  for (const s of catalog) must(await catalogService(skuDef).create(ctx, s), `SKU ${s.id}`);
  const people = customers();
  for (const c of people) must(await catalogService(customerDef).create(ctx, c), `customer ${c.id}`);

  // Two suppliers: a fast, reliable one and a slower, often late one.
  for (const sup of [{ id: 'SUP-NORD', name: 'Nordic Homewares', defaultLeadTimeDays: 14 }, { id: 'SUP-FAR', name: 'Far East Trading', defaultLeadTimeDays: 42 }]) {
    must(await catalogService(supplierDef).create(ctx, sup), `supplier ${sup.id}`);
  }
  for (const [i, s] of catalog.entries()) {
    const supplierId = i % 2 === 0 ? 'SUP-NORD' : 'SUP-FAR';
    must(await putSupplierItem(ctx, supplierId, s.id, { leadTimeDays: null, packSize: 6, minOrderQty: 12, unitCostMinor: Math.round(s.unitCostMinor * 0.6) }), 'supplier item');
  }
  const today = ctx.clock.now().toISOString().slice(0, 10);
  await supplierHistory(ctx, catalog, rand);
  const pastOrders = await tradingHistory(ctx, catalog, people, rand);

  // Opening stock: plenty of some items, little or none of others, so intake meets every case.
  for (const [i, s] of catalog.entries()) {
    for (const w of warehouses) {
      const qty = i % 4 === 0 ? 0 : Math.floor(rand() * (i % 3 === 0 ? 8 : 60));
      if (qty > 0) must(await receiveStock(ctx, { skuId: s.id, warehouseId: w.id, quantity: qty, reference: 'opening stock' }), 'opening stock');
    }
  }

  let backorders = 0;
  const orderIds: string[] = [];
  for (let n = 0; n < 40; n++) {
    const customer = people[Math.floor(rand() * people.length)]!;
    const lineCount = 1 + Math.floor(rand() * 4);
    const lines = Array.from({ length: lineCount }, () => ({
      skuId: catalog[Math.floor(rand() * catalog.length)]!.id,
      quantity: 1 + Math.floor(rand() * 12),
    }));
    const placed = must(await placeOrder(ctx, { customerId: customer.id, lines, reference: `PO-${7000 + n}` }), 'order');
    backorders += placed.intake.filter((l) => l.backordered !== null).length;
    orderIds.push(placed.order.id);
  }

  // Purchase orders on their way for a third of the catalog; waiting backorders are promised from them.
  for (const [i, s] of catalog.entries()) {
    if (i % 3 !== 0 || s.backorderPolicy === 'discontinued') continue;
    const lead = i % 2 === 0 ? 14 : 42;
    const po = must(
      await createPurchaseOrder(ctx, {
        supplierId: i % 2 === 0 ? 'SUP-NORD' : 'SUP-FAR',
        place: true,
        reference: `PO-${9100 + i}`,
        lines: [{ skuId: s.id, warehouseId: warehouses[i % warehouses.length]!.id, quantity: 24, expectedDate: addDays(today, lead - (i % 5)) }],
      }),
      'purchase order',
    );
    // One arrives short: half is received now and the rest stays expected.
    if (i === 6) must(await receivePurchaseOrder(ctx, po.id, { lines: [{ lineId: po.lines[0]!.id, quantity: 12 }] }), 'short receipt');
  }

  // A delivery arrives for two items that many customers wait for: their backorders are filled in FIFO order.
  for (const skuId of [catalog[0]!.id, catalog[4]!.id]) {
    must(await receiveStock(ctx, { skuId, warehouseId: 'UK-MAN', quantity: 25, reference: 'ASN-4411' }), 'delivery');
  }
  // Ship what is ready for the first few orders from the UK warehouse.
  for (const orderId of orderIds.slice(0, 8)) await shipOrder(ctx, orderId, { warehouseId: 'UK-MAN' });

  return { warehouses: warehouses.length, skus: catalog.length, customers: people.length, orders: orderIds.length, backorders, pastOrders };
}
