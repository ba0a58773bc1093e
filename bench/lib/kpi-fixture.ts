/**
 * A year of synthetic intake for the KPI benchmark, written straight into the tables in chunks of orders (intake
 * one order at a time would take an hour for 1,000,000 lines): orders of 1-7 lines over 4,000 SKUs and two
 * warehouses; most lines filled from stock and shipped 1-5 days later, some backordered (most filled later, on or
 * after their first promised date), some refused; monthly receipts; one CSAT answer for every fifth order.
 * Rows follow the schema's rules (quantities conserved per line and backorder) and come from seededRandom, so a run
 * repeats exactly.
 */
import type { Insertable } from 'kysely';
import type { AppContext } from '../../src/main/context.js';
import type { Database } from '../../src/db/schema.js';
import { ok } from '../../src/shared/result.js';
import { seededRandom } from '../../src/shared/random.js';
import { insertInBatches } from './bulk.js';

const chunkTables = ['sales_order', 'order_line', 'backorder', 'movement', 'csat_survey'] as const satisfies readonly (keyof Database)[];
type ChunkRows = { [T in (typeof chunkTables)[number]]: Insertable<Database[T]>[] };

export interface KpiShape {
  lines: number;
  skus: number;
  customers: number;
  year: number;
  seed: number;
}

const pad = (n: number, w = 7) => String(n).padStart(w, '0');
const warehouses = ['UK', 'EU'];
const hour = 3_600_000;

async function insertChunk(ctx: AppContext, rows: Partial<Record<keyof Database, Record<string, unknown>[]>>): Promise<void> {
  await ctx.store.transaction(async (tx) => {
    for (const [table, all] of Object.entries(rows) as [keyof Database, Record<string, unknown>[]][]) await insertInBatches(tx, table, all);
    return ok(undefined);
  });
}

/** Writes the catalog and a year of orders; returns how many lines it wrote. */
export async function writeKpiYear(ctx: AppContext, s: KpiShape, progress: (msg: string) => void): Promise<{ lines: number; orders: number }> {
  const rand = seededRandom(s.seed);
  const now = `${s.year}-01-01T00:00:00.000Z`;
  const skuIds = Array.from({ length: s.skus }, (_, i) => `SKU${pad(i, 5)}`);
  const customerIds = Array.from({ length: s.customers }, (_, i) => `C${pad(i, 6)}`);
  await insertChunk(ctx, {
    warehouse: warehouses.map((id, i) => ({ id, name: id, regions: JSON.stringify(i === 0 ? ['GB'] : ['DE', 'FR', 'NL']), priority: i + 1, created_at: now, updated_at: now })),
    sku: skuIds.map((id, i) => ({
      id, name: `Part ${id}`, unit_cost_minor: 100 + ((i * 7919) % 9900), backorder_policy: i % 10 === 0 ? 'deny' : 'allow',
      backorder_cap: null, backorder_horizon_days: null, created_at: now, updated_at: now,
    })),
    customer: customerIds.map((id, i) => ({
      id, name: id, email: `${id.toLowerCase()}@example.com`, region: i % 3 === 0 ? 'DE' : 'GB', tier: 1 + (i % 3), accepts_partial: 1,
      language: 'en', created_at: now, updated_at: now,
    })),
  });
  const start = Date.parse(`${s.year}-01-01T00:00:00.000Z`);
  const span = 365 * 24 * hour;
  // Receipts on the first of each month, enough that shipments never take on-hand below zero.
  let movementNo = 0;
  const receipts: Record<string, unknown>[] = [];
  for (let m = 0; m < 12; m++) {
    const at = new Date(Date.UTC(s.year, m, 1, 6)).toISOString();
    for (const sku of skuIds) {
      for (const wh of warehouses) {
        receipts.push({ id: `mov_K${pad(movementNo++, 8)}`, sku_id: sku, warehouse_id: wh, kind: 'receipt', quantity: 2000, reason: null, source_type: null, source_id: null, created_at: at });
      }
    }
  }
  for (let i = 0; i < receipts.length; i += 20_000) await insertChunk(ctx, { movement: receipts.slice(i, i + 20_000) });

  let lineNo = 0;
  let orderNo = 0;
  let rows: ChunkRows = { sales_order: [], order_line: [], backorder: [], movement: [], csat_survey: [] };
  const flush = async () => {
    await insertChunk(ctx, rows);
    rows = { sales_order: [], order_line: [], backorder: [], movement: [], csat_survey: [] };
  };
  while (lineNo < s.lines) {
    const placedMs = start + Math.floor((span * lineNo) / s.lines);
    const placedAt = new Date(placedMs).toISOString();
    const c = Math.floor(rand() * s.customers);
    const orderId = `ord_K${pad(orderNo++)}`;
    const home = warehouses[c % 3 === 0 ? 1 : 0]!;
    const n = Math.min(s.lines - lineNo, 1 + Math.floor(rand() * 7));
    let open = false;
    let backordered = false;
    for (let k = 1; k <= n; k++) {
      const lineId = `line_K${pad(lineNo++)}`;
      const skuNo = Math.floor(rand() * rand() * s.skus);
      const sku = skuIds[skuNo]!;
      const quantity = 1 + Math.floor(rand() * rand() * 24);
      const roll = rand();
      const short = roll < 0.12 ? Math.max(1, Math.floor(quantity * rand())) : 0;
      const refused = short > 0 && skuNo % 10 === 0 ? short : 0;
      const waiting = short - refused;
      // Backorders: 85% fulfilled 2-40 days later, 5% cancelled, the rest still open.
      const fate = rand();
      const fillMs = placedMs + (2 + Math.floor(rand() * 38)) * 24 * hour;
      const fulfilledLater = waiting > 0 && fate < 0.85 && fillMs < start + span;
      const cancelledLater = waiting > 0 && !fulfilledLater && fate < 0.9;
      const shipMs = placedMs + (1 + Math.floor(rand() * 5)) * 24 * hour;
      const shipped = quantity - refused - (waiting > 0 && !fulfilledLater ? waiting : 0);
      const lastShipMs = fulfilledLater ? fillMs : shipMs;
      const doneAtYearEnd = lastShipMs < start + span;
      if (waiting > 0 && !fulfilledLater && !cancelledLater) open = true;
      if (waiting > 0) backordered = true;
      rows.order_line.push({
        id: lineId, order_id: orderId, line_no: k, sku_id: sku, quantity,
        allocated: doneAtYearEnd ? 0 : shipped, shipped: doneAtYearEnd ? shipped : 0, backordered: waiting, rejected: refused,
        reject_reason: refused > 0 ? 'backorders_denied' : null, cancelled: cancelledLater ? waiting : 0,
        placed_at: placedAt, warehouse_id: home, last_shipped_at: doneAtYearEnd && shipped > 0 ? new Date(lastShipMs).toISOString() : null,
      });
      if (doneAtYearEnd && shipped > 0) {
        rows.movement.push({
          id: `mov_K${pad(movementNo++, 8)}`, sku_id: sku, warehouse_id: home, kind: 'shipment', quantity: -shipped, reason: null,
          source_type: 'shipment', source_id: `shp_K${pad(orderNo)}`, created_at: new Date(lastShipMs).toISOString(),
        });
      }
      if (waiting > 0) {
        const promised = new Date(placedMs + (10 + Math.floor(rand() * 25)) * 24 * hour).toISOString().slice(0, 10);
        const resolvedAt = fulfilledLater ? new Date(fillMs).toISOString() : cancelledLater ? new Date(Math.min(fillMs, start + span - hour)).toISOString() : placedAt;
        rows.backorder.push({
          id: `bo_K${pad(lineNo)}`, order_id: orderId, order_line_id: lineId, sku_id: sku, customer_id: customerIds[c]!, warehouse_id: home,
          flexible: 1, quantity: waiting, allocated: 0, fulfilled: fulfilledLater ? waiting : 0, cancelled: cancelledLater ? waiting : 0,
          status: fulfilledLater ? 'fulfilled' : cancelledLater ? 'cancelled' : 'open', placed_at: placedAt, created_at: placedAt,
          updated_at: resolvedAt, promised_date: promised, promise_confidence: 0.8, promise_confirmed: 1, promise_basis: null,
          first_promised_date: promised, fulfilled_at: fulfilledLater ? resolvedAt : null, promise_key: null,
          cause: null, cause_detail: null, resolution_cause: null, resolution_detail: null,
        });
      }
    }
    rows.sales_order.push({ id: orderId, customer_id: customerIds[c]!, reference: null, ship_complete: 0, partial_consent: 0, status: open ? 'open' : 'closed', placed_at: placedAt, updated_at: placedAt });
    if (!open && rand() < 0.2) {
      const answeredAt = new Date(Math.min(placedMs + 10 * 24 * hour, start + span - hour)).toISOString();
      rows.csat_survey.push({
        id: `srv_K${pad(orderNo)}`, order_id: orderId, customer_id: customerIds[c]!, backordered: backordered ? 1 : 0,
        score: 1 + Math.floor(rand() * 5), comment: null, notified_on_time: backordered ? (rand() < 0.8 ? 1 : 0) : null,
        promise_kept: backordered ? (rand() < 0.7 ? 1 : 0) : null, created_at: answeredAt, answered_at: answeredAt,
      });
    }
    if (rows.order_line.length >= 20_000) {
      await flush();
      if (lineNo % 100_000 < 20_000) progress(`${lineNo.toLocaleString('en')} lines written`);
    }
  }
  await flush();
  return { lines: lineNo, orders: orderNo };
}
