/**
 * SQL for KPIs: sums per day and slice key, computed where the data is (one scan of order lines for a year of
 * intake), and the few rows percentiles need. Slices: warehouse (the line's home warehouse, where a backorder
 * waits, where stock moved), SKU, supplier (the SKU's cheapest supplier item, ties by supplier id) or customer tier.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Tx } from '../db/connect.js';
import type { IntakeSums, Keyed, MovementSums } from './domain.js';
import type { BackorderEvents, SurveyAnswer } from './facts.js';

export type Dimension = 'warehouse' | 'sku' | 'supplier' | 'tier';

export interface KpiFilter {
  warehouseId?: string | undefined;
  skuId?: string | undefined;
  supplierId?: string | undefined;
  tier?: number | undefined;
}

export interface KpiScope {
  /** First instant in scope and the first after it (ISO text, compared as text). */
  start: string;
  end: string;
  by: Dimension | null;
  filter: KpiFilter;
}

/** Each row's columns for slicing: the table alias and how it reaches a SKU, a warehouse and a customer. */
export interface Source {
  sku: RawBuilder<unknown>;
  warehouse: RawBuilder<unknown> | null;
  /** Joins that reach the customer (for tiers); null when the rows have no customer. */
  customerJoin: RawBuilder<unknown> | null;
}

/** Each SKU's cheapest supplier item (ties by supplier id): the supplier a SKU's KPIs are reported under. */
const primarySupplier = sql`(select sku_id, supplier_id from (
    select sku_id, supplier_id, row_number() over (partition by sku_id order by unit_cost_minor, supplier_id) as rn
    from supplier_item) ranked where rn = 1)`;

/** The key expression, the joins it needs and the filters' WHERE terms, for one source. */
export function slicing(scope: KpiScope, src: Source): { key: RawBuilder<unknown>; joins: RawBuilder<unknown>; where: RawBuilder<unknown>; groupTail: RawBuilder<unknown> } {
  const f = scope.filter;
  const needSupplier = scope.by === 'supplier' || f.supplierId !== undefined;
  const needCustomer = scope.by === 'tier' || f.tier !== undefined;
  const joins: RawBuilder<unknown>[] = [];
  if (needSupplier) joins.push(sql`left join ${primarySupplier} ps on ps.sku_id = ${src.sku}`);
  if (needCustomer && src.customerJoin !== null) joins.push(src.customerJoin);
  const terms: RawBuilder<unknown>[] = [];
  if (f.skuId !== undefined) terms.push(sql`${src.sku} = ${f.skuId}`);
  if (f.warehouseId !== undefined && src.warehouse !== null) terms.push(sql`${src.warehouse} = ${f.warehouseId}`);
  if (f.supplierId !== undefined) terms.push(sql`ps.supplier_id = ${f.supplierId}`);
  if (f.tier !== undefined && src.customerJoin !== null) terms.push(sql`c.tier = ${f.tier}`);
  const key =
    scope.by === 'sku' ? src.sku
    : scope.by === 'warehouse' ? sql`coalesce(${src.warehouse ?? sql`null`}, '')`
    : scope.by === 'supplier' ? sql`coalesce(ps.supplier_id, '')`
    : scope.by === 'tier' ? sql`cast(c.tier as text)`
    : sql`''`;
  return {
    key,
    joins: sql.join(joins, sql` `),
    where: terms.length > 0 ? sql`and ${sql.join(terms, sql` and `)}` : sql``,
    // PostgreSQL refuses a constant in GROUP BY: without a slice the key is '' and is not grouped on.
    groupTail: scope.by === null ? sql`` : sql`, ${key}`,
  };
}

const lineSource: Source = {
  sku: sql.ref('l.sku_id'),
  warehouse: sql.ref('l.warehouse_id'),
  customerJoin: sql`join sales_order o on o.id = l.order_id join customer c on c.id = o.customer_id`,
};

/**
 * Intake per day and slice, in one scan of the lines placed in scope: the inner query sums each order's lines
 * within the slice, so an order counts as backordered (or filled) by its own lines there.
 */
export async function intakeSums(tx: Tx, scope: KpiScope): Promise<(Keyed & IntakeSums)[]> {
  const { key, joins, where, groupTail } = slicing(scope, lineSource);
  const { rows } = await sql<Keyed & IntakeSums>`
    select day, key,
      count(*) as "orders",
      sum(case when lines_accepted > 0 then 1 else 0 end) as "ordersAccepted",
      sum(case when lines_backordered > 0 then 1 else 0 end) as "ordersBackordered",
      sum(case when lines_filled = lines then 1 else 0 end) as "ordersFilled",
      sum(lines) as "lines", sum(lines_accepted) as "linesAccepted", sum(lines_backordered) as "linesBackordered",
      sum(lines_filled) as "linesFilled", sum(units) as "units", sum(units_accepted) as "unitsAccepted",
      sum(units_backordered) as "unitsBackordered", sum(units_rejected) as "unitsRejected"
    from (
      select substr(l.placed_at, 1, 10) as day, ${key} as key,
        count(*) as lines,
        sum(case when l.quantity > l.rejected then 1 else 0 end) as lines_accepted,
        sum(case when l.backordered > 0 then 1 else 0 end) as lines_backordered,
        sum(case when l.backordered = 0 and l.rejected = 0 then 1 else 0 end) as lines_filled,
        sum(l.quantity) as units, sum(l.quantity - l.rejected) as units_accepted,
        sum(l.backordered) as units_backordered, sum(l.rejected) as units_rejected
      from order_line l ${joins}
      where l.placed_at >= ${scope.start} and l.placed_at < ${scope.end} ${where}
      group by l.order_id, substr(l.placed_at, 1, 10)${groupTail}
    ) per_order
    group by day, key`.execute(tx);
  return rows;
}

/**
 * Orders closed within the scope (an order closes once, when nothing waits or is allocated any more) with something
 * shipped within the slice: its order time, last shipment of those lines, and when it closed.
 */
export async function closedOrders(tx: Tx, scope: KpiScope): Promise<{ key: string; placedAt: string; lastShippedAt: string; closedAt: string }[]> {
  const { key, joins, where, groupTail } = slicing(scope, { ...lineSource, customerJoin: sql`join customer c on c.id = o.customer_id` });
  const { rows } = await sql<{ key: string; placedAt: string; lastShippedAt: string; closedAt: string }>`
    select ${key} as key, min(o.placed_at) as "placedAt", max(l.last_shipped_at) as "lastShippedAt", min(o.updated_at) as "closedAt"
    from sales_order o join order_line l on l.order_id = o.id ${joins}
    where o.status = 'closed' and o.updated_at >= ${scope.start} and o.updated_at < ${scope.end} ${where}
    group by o.id${groupTail}
    having sum(l.shipped) > 0`.execute(tx);
  return rows;
}

const resolvedAt = sql`case when b.status in ('fulfilled', 'cancelled') then coalesce(b.fulfilled_at, b.updated_at) end`;

/** Every backorder created or resolved (fulfilled or cancelled) within the scope. */
export async function backorderEvents(tx: Tx, scope: KpiScope): Promise<BackorderEvents[]> {
  const { key, joins, where } = slicing(scope, {
    sku: sql.ref('b.sku_id'),
    warehouse: sql.ref('b.warehouse_id'),
    customerJoin: sql`join customer c on c.id = b.customer_id`,
  });
  const { rows } = await sql<Omit<BackorderEvents, 'fulfilled'> & { fulfilled: number }>`
    select ${key} as key, b.quantity as quantity, b.created_at as "createdAt", ${resolvedAt} as "resolvedAt",
      case when b.status = 'fulfilled' then 1 else 0 end as fulfilled, b.first_promised_date as "firstPromisedDate"
    from backorder b ${joins}
    where ((b.created_at >= ${scope.start} and b.created_at < ${scope.end}) or (${resolvedAt} >= ${scope.start} and ${resolvedAt} < ${scope.end})) ${where}`.execute(tx);
  return rows.map((r) => ({ ...r, fulfilled: Number(r.fulfilled) === 1 }));
}

const movementSource: Source = { sku: sql.ref('m.sku_id'), warehouse: sql.ref('m.warehouse_id'), customerJoin: null };

/** Stock movements per day and slice within the scope, with what shipped (units and cost of goods). */
export async function movementSums(tx: Tx, scope: KpiScope): Promise<MovementSums[]> {
  const { key, joins, where, groupTail } = slicing(scope, movementSource);
  // Values in floating point: units (up to 1e8) x unit cost (up to 1e12) overflows a 64-bit integer, which
  // PostgreSQL refuses ("bigint out of range") and SQLite's sum() too ("integer overflow").
  const { rows } = await sql<MovementSums>`
    select substr(m.created_at, 1, 10) as day, ${key} as key,
      sum(m.quantity) as units, sum(m.quantity * cast(s.unit_cost_minor as double precision)) as "valueMinor",
      sum(case when m.kind = 'shipment' then -m.quantity else 0 end) as "shippedUnits",
      sum(case when m.kind = 'shipment' then -m.quantity * cast(s.unit_cost_minor as double precision) else 0 end) as "shippedValueMinor"
    from movement m join sku s on s.id = m.sku_id ${joins}
    where m.created_at >= ${scope.start} and m.created_at < ${scope.end} ${where}
    group by substr(m.created_at, 1, 10)${groupTail}`.execute(tx);
  return rows;
}

/** CSAT answers given in scope, keyed by the customer's tier when slicing by tier. */
export async function answeredSurveys(tx: Tx, scope: KpiScope): Promise<SurveyAnswer[]> {
  const tier = scope.by === 'tier' || scope.filter.tier !== undefined;
  const { rows } = await sql<SurveyAnswer>`
    select substr(v.answered_at, 1, 10) as day, ${scope.by === 'tier' ? sql`cast(c.tier as text)` : sql`''`} as key,
      v.score as score, v.backordered as backordered, v.notified_on_time as notified_on_time, v.promise_kept as promise_kept
    from csat_survey v ${tier ? sql`join customer c on c.id = v.customer_id` : sql``}
    where v.score is not null and v.answered_at >= ${scope.start} and v.answered_at < ${scope.end}
      ${scope.filter.tier !== undefined ? sql`and c.tier = ${scope.filter.tier}` : sql``}`.execute(tx);
  return rows;
}
