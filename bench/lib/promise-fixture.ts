/**
 * Fixtures for the promise benchmark, written straight into the tables with Kysely (batched multi-row inserts in a
 * few transactions): going through intake one order at a time would take minutes for 100,000 backorders. Every row
 * is consistent with the schema and with the invariants audit (src/audit/invariants.ts): each backorder comes from
 * an order line that was backordered in full at intake (quantity = backordered, nothing allocated, status 'open'),
 * open PO lines belong to placed purchase orders, and each supplier has a history of received PO lines with their
 * receipts, so promise dates are shifted by measured lateness exactly as in production. Data come from
 * seededRandom, so a run repeats exactly; `today` is the benchmark's fixed clock.
 */
import { sql, type Insertable } from 'kysely';
import type { AppContext } from '../../src/main/context.js';
import type { Database } from '../../src/db/schema.js';
import { addDays } from '../../src/promising/domain.js';
import { ok } from '../../src/shared/result.js';
import { seededRandom } from '../../src/shared/random.js';
import { insertInBatches } from './bulk.js';

/** The tables a fixture fills, parents first (the order they are inserted in). */
const insertOrder = [
  'warehouse', 'sku', 'customer', 'supplier', 'supplier_item', 'purchase_order', 'po_line', 'po_receipt', 'sales_order',
  'order_line', 'backorder',
] as const satisfies readonly (keyof Database)[];
type FixtureTable = (typeof insertOrder)[number];
type Rows = { [T in FixtureTable]: Insertable<Database[T]>[] };

export interface PromiseFixture {
  rows: Rows;
  /** What the measurements need to find their way around the data. */
  customerIds: string[];
  skuIds: string[];
  /** The open PO lines, for picking one to move or a supplier to delay. */
  openLines: { poId: string; lineId: string; skuId: string; expectedDate: string; supplierId: string }[];
  backorders: number;
  units: number;
  inboundUnits: number;
}

const emptyRows = (): Rows => ({
  warehouse: [], sku: [], customer: [], supplier: [], supplier_item: [], purchase_order: [], po_line: [], po_receipt: [],
  sales_order: [], order_line: [], backorder: [],
});

const pad = (n: number, w: number) => String(n).padStart(w, '0');
const at = (day: string, hh = 9) => `${day}T${pad(hh, 2)}:00:00.000Z`;
const pick = <T>(rand: () => number, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
/** Order-line quantities as wholesalers order them (the intake benchmark's distribution). */
const quantities = [1, 2, 3, 4, 6, 6, 10, 12, 12, 12, 24, 24, 48];

export interface ShapeOptions {
  today: string;
  backorders: number;
  skus: number;
  warehouses: number;
  suppliers: number;
  customers: number;
  /** Open PO lines per SKU: on average (0.5x..1.5x) with several SKUs, exactly with one. */
  openLinesPerSku: number;
  /** Received PO lines (with a receipt each) per supplier: the lateness / lead-time history promises use. */
  receiptsPerSupplier: number;
  /** Inbound units as a share of waiting units: below 1 leaves a tail promised on lead time (unconfirmed). */
  inboundCover: number;
  seed: number;
}

/**
 * The general shape: `skus` SKUs (popularity skewed as in real catalogues), `warehouses` warehouses, customers
 * homed on a warehouse, orders of 1..6 lines of distinct SKUs, every line backordered in full; each SKU has a main
 * supplier (supplier 0 is the big one, about a fifth of the catalogue) and sometimes a second; open PO lines are
 * spread over the next 3..180 days and grouped into placed POs of up to 20 lines per supplier.
 */
export function buildFixture(o: ShapeOptions): PromiseFixture {
  const rand = seededRandom(o.seed);
  const rows = emptyRows();
  const created = at(addDays(o.today, -400));

  const warehouseIds = Array.from({ length: o.warehouses }, (_, i) => `WH-${pad(i, 2)}`);
  for (const [i, id] of warehouseIds.entries()) {
    rows.warehouse.push({ id, name: `Warehouse ${i}`, regions: JSON.stringify([`R${i}`]), priority: i + 1, created_at: created, updated_at: created });
  }
  const skuIds = Array.from({ length: o.skus }, (_, i) => `SKU-${pad(i, 5)}`);
  for (const [i, id] of skuIds.entries()) {
    rows.sku.push({
      id, name: `Promise bench item ${i}`, unit_cost_minor: 100 + ((i * 37) % 2400), backorder_policy: 'allow',
      backorder_cap: null, backorder_horizon_days: null, created_at: created, updated_at: created,
    });
  }
  const customerIds = Array.from({ length: o.customers }, (_, i) => `CUST-${pad(i, 6)}`);
  for (const [i, id] of customerIds.entries()) {
    rows.customer.push({
      id, name: `Customer ${i}`, email: `c${i}@example.com`, region: `R${i % o.warehouses}`, tier: 1 + (i % 3),
      accepts_partial: i % 5 === 4 ? 0 : 1, language: 'en', created_at: created, updated_at: created,
    });
  }
  const supplierIds = Array.from({ length: o.suppliers }, (_, i) => `SUP-${pad(i, 3)}`);
  for (const [i, id] of supplierIds.entries()) {
    rows.supplier.push({ id, name: `Supplier ${i}`, default_lead_time_days: 21 + 7 * (i % 6), created_at: created, updated_at: created });
  }

  // Who supplies what: a main supplier per SKU (supplier 0 gets ~20%), a second one for ~30% of SKUs.
  const suppliersOf = skuIds.map(() => {
    const main = o.suppliers === 1 || rand() < 0.2 ? 0 : 1 + Math.floor(rand() * (o.suppliers - 1));
    const list = [main];
    if (o.suppliers > 1 && rand() < 0.3) {
      const second = Math.floor(rand() * o.suppliers);
      if (second !== main) list.push(second);
    }
    return list;
  });
  for (const [k, sups] of suppliersOf.entries()) {
    for (const s of sups) {
      rows.supplier_item.push({
        supplier_id: supplierIds[s]!, sku_id: skuIds[k]!, lead_time_days: rand() < 0.5 ? null : 14 + Math.floor(rand() * 50),
        pack_size: pick(rand, [1, 6, 12]), min_order_qty: pick(rand, [1, 12, 48]), unit_cost_minor: 50 + Math.floor(rand() * 2000),
        created_at: created, updated_at: created,
      });
    }
  }

  // Demand: orders of distinct SKUs until there are `backorders` lines, placed over the last 120 days in order.
  const waitingBySku = new Array<number>(o.skus).fill(0);
  const skuOf = () => (Math.min(o.skus - 1, Math.floor(o.skus * rand() ** 2)) * 7919) % o.skus;
  let lines = 0;
  let units = 0;
  let orderNo = 0;
  const spanMs = 120 * 86_400_000;
  const startMs = Date.parse(at(o.today)) - spanMs;
  while (lines < o.backorders) {
    const lineCount = Math.min(o.backorders - lines, o.skus === 1 ? 1 : 1 + Math.floor(rand() * 6));
    const skus = new Set<number>();
    while (skus.size < lineCount) skus.add(skuOf());
    const customerNo = Math.floor(rand() * o.customers);
    const customerId = customerIds[customerNo]!;
    const home = warehouseIds[customerNo % o.warehouses]!;
    const placedAt = new Date(startMs + Math.floor((spanMs * lines) / o.backorders)).toISOString();
    const orderId = `ord_B${pad(orderNo, 7)}`;
    rows.sales_order.push({ id: orderId, customer_id: customerId, reference: `PB-${orderNo}`, ship_complete: 0, partial_consent: 0, status: 'open', placed_at: placedAt, updated_at: placedAt });
    let lineNo = 0;
    for (const k of skus) {
      const q = pick(rand, quantities);
      const lineId = `line_B${pad(lines, 7)}`;
      rows.order_line.push({
        id: lineId, order_id: orderId, line_no: ++lineNo, sku_id: skuIds[k]!, quantity: q, allocated: 0, shipped: 0,
        backordered: q, rejected: 0, reject_reason: null, cancelled: 0, placed_at: placedAt, warehouse_id: home, last_shipped_at: null,
      });
      rows.backorder.push({
        id: `bo_B${pad(lines, 7)}`, order_id: orderId, order_line_id: lineId, sku_id: skuIds[k]!, customer_id: customerId,
        warehouse_id: home, flexible: rand() < 0.7 ? 1 : 0, quantity: q, allocated: 0, fulfilled: 0, cancelled: 0,
        status: 'open', placed_at: placedAt, created_at: placedAt, updated_at: placedAt, promised_date: null,
        promise_confidence: null, promise_confirmed: 0, promise_basis: null, first_promised_date: null, fulfilled_at: null,
      });
      waitingBySku[k]! += q;
      units += q;
      lines++;
    }
    orderNo++;
  }

  // Open supply: per SKU about `openLinesPerSku` lines (at least one when it has demand), sized to `inboundCover`
  // of its waiting units, from its suppliers, to random warehouses, due 3..180 days out; grouped into POs.
  const openBySupplier = new Map<number, { sku: number; warehouse: string; quantity: number; expected: string }[]>();
  let inboundUnits = 0;
  for (let k = 0; k < o.skus; k++) {
    const want = waitingBySku[k]! * o.inboundCover;
    if (want <= 0) continue;
    const n = o.skus === 1 ? Math.round(o.openLinesPerSku) : Math.max(1, Math.round(o.openLinesPerSku * (0.5 + rand())));
    for (let j = 0; j < n; j++) {
      const quantity = Math.max(1, Math.round((want / n) * (0.5 + rand())));
      const s = pick(rand, suppliersOf[k]!);
      const list = openBySupplier.get(s) ?? [];
      list.push({ sku: k, warehouse: pick(rand, warehouseIds), quantity, expected: addDays(o.today, 3 + Math.floor(rand() * 178)) });
      openBySupplier.set(s, list);
      inboundUnits += quantity;
    }
  }
  const openLines: PromiseFixture['openLines'] = [];
  let poNo = 0;
  let polNo = 0;
  const newPo = (s: number, status: 'placed' | 'received', placedDay: string) => {
    const id = `po_B${pad(poNo++, 6)}`;
    rows.purchase_order.push({ id, supplier_id: supplierIds[s]!, reference: `PB-PO-${poNo}`, status, placed_at: at(placedDay), created_at: at(placedDay), updated_at: at(placedDay) });
    return id;
  };
  for (const [s, list] of [...openBySupplier].sort((a, b) => a[0] - b[0])) {
    for (let i = 0; i < list.length; i += 20) {
      const poId = newPo(s, 'placed', addDays(o.today, -Math.floor(rand() * 60)));
      for (const [j, l] of list.slice(i, i + 20).entries()) {
        const id = `pol_B${pad(polNo++, 7)}`;
        rows.po_line.push({
          id, po_id: poId, line_no: j + 1, sku_id: skuIds[l.sku]!, warehouse_id: l.warehouse, quantity: l.quantity, received: 0,
          cancelled: 0, expected_date: l.expected, original_expected_date: l.expected,
        });
        openLines.push({ poId, lineId: id, skuId: skuIds[l.sku]!, expectedDate: l.expected, supplierId: supplierIds[s]! });
      }
    }
  }

  // History: received PO lines of each supplier (one line per PO), late by -3..+12 days, lead time ~ its default.
  const skusOfSupplier = supplierIds.map((_, s) => suppliersOf.flatMap((sups, k) => (sups.includes(s) ? [k] : [])));
  for (let s = 0; s < o.suppliers; s++) {
    const mine = skusOfSupplier[s]!;
    if (mine.length === 0) continue;
    for (let r = 0; r < o.receiptsPerSupplier; r++) {
      const k = pick(rand, mine);
      const placedDay = addDays(o.today, -(40 + Math.floor(rand() * 300)));
      const expected = addDays(placedDay, 21 + 7 * (s % 6));
      const received = addDays(expected, Math.floor(rand() * 16) - 3);
      const poId = newPo(s, 'received', placedDay);
      const lineId = `pol_B${pad(polNo++, 7)}`;
      const q = pick(rand, [12, 24, 48, 96]);
      rows.po_line.push({
        id: lineId, po_id: poId, line_no: 1, sku_id: skuIds[k]!, warehouse_id: pick(rand, warehouseIds), quantity: q, received: q,
        cancelled: 0, expected_date: expected, original_expected_date: expected,
      });
      rows.po_receipt.push({
        id: `rcp_B${pad(polNo, 7)}`, po_line_id: lineId, po_id: poId, supplier_id: supplierIds[s]!, sku_id: skuIds[k]!, quantity: q,
        placed_at: at(placedDay), expected_date: expected, received_at: at(received, 14),
      });
    }
  }
  return { rows, customerIds, skuIds, openLines, backorders: lines, units, inboundUnits };
}

/** Scenario 1: one SKU in one warehouse, `backorders` waiting, `openLines` open PO lines from 3 suppliers. */
export function oneSkuFixture(today: string, backorders: number, openLines: number, seed = 1): PromiseFixture {
  return buildFixture({
    today, backorders, skus: 1, warehouses: 1, suppliers: 3, customers: 2000, openLinesPerSku: openLines,
    receiptsPerSupplier: 30, inboundCover: 0.85, seed,
  });
}

/** Scenario 2: `backorders` waiting over `skus` SKUs in 3 warehouses, 20 suppliers, ~2 open PO lines per SKU. */
export function catalogueFixture(today: string, backorders: number, skus: number, seed = 2): PromiseFixture {
  return buildFixture({
    today, backorders, skus, warehouses: 3, suppliers: 20, customers: 10_000, openLinesPerSku: 2,
    receiptsPerSupplier: 100, inboundCover: 0.8, seed,
  });
}

/** Parent tables first; each table in batches (well under SQLite's and PostgreSQL's bind-parameter limits). */
export async function insertFixture(ctx: AppContext, f: PromiseFixture): Promise<void> {
  for (const table of insertOrder) {
    const all = f.rows[table] as Record<string, unknown>[];
    if (all.length === 0) continue;
    // One transaction per 20k rows: few commits, and no single transaction holds the whole 100k-row table in memory.
    for (let i = 0; i < all.length; i += 20_000) {
      const chunk = all.slice(i, i + 20_000);
      await ctx.store.transaction(async (tx) => {
        await insertInBatches(tx, table, chunk);
        return ok(undefined);
      });
    }
  }
  // PostgreSQL: fresh tables have no statistics until autovacuum gets to them, production tables do. SQLite: the
  // application never runs ANALYZE, so neither does the benchmark (the planner's defaults are what users get).
  if (ctx.store.dialect === 'postgres') await sql`analyze`.execute(ctx.store.db);
}
