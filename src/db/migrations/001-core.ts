import { sql, type Kysely } from 'kysely';

/** Quantities may exceed 2^31 in sums over years of receipts, so they are 64-bit on PostgreSQL. */
const qty = 'bigint' as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sku')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('unit_cost_minor', qty, (c) => c.notNull().check(sql`unit_cost_minor >= 0`))
    .addColumn('backorder_policy', 'text', (c) =>
      c.notNull().check(sql`backorder_policy in ('allow', 'allow-up-to-inbound', 'deny', 'discontinued')`),
    )
    .addColumn('backorder_cap', qty, (c) => c.check(sql`backorder_cap >= 0`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('warehouse')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('regions', 'text', (c) => c.notNull())
    .addColumn('priority', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('customer')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('tier', 'integer', (c) => c.notNull())
    .addColumn('accepts_partial', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  // The CHECKs are the last line of defence against overselling: even a buggy statement cannot commit a level
  // that promises more than is on hand.
  await db.schema
    .createTable('stock_level')
    .addColumn('sku_id', 'text', (c) => c.notNull().references('sku.id'))
    .addColumn('warehouse_id', 'text', (c) => c.notNull().references('warehouse.id'))
    .addColumn('on_hand', qty, (c) => c.notNull().check(sql`on_hand >= 0`))
    .addColumn('allocated', qty, (c) => c.notNull().check(sql`allocated >= 0`))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('stock_level_pk', ['sku_id', 'warehouse_id'])
    .addCheckConstraint('stock_level_allocated_within_on_hand', sql`allocated <= on_hand`)
    .execute();

  await db.schema
    .createTable('movement')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('sku_id', 'text', (c) => c.notNull().references('sku.id'))
    .addColumn('warehouse_id', 'text', (c) => c.notNull().references('warehouse.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('quantity', qty, (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('source_type', 'text')
    .addColumn('source_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('movement_sku_wh').on('movement').columns(['sku_id', 'warehouse_id', 'id']).execute();

  await db.schema
    .createTable('sales_order')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customer.id'))
    .addColumn('reference', 'text')
    .addColumn('ship_complete', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('placed_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sales_order_customer').on('sales_order').columns(['customer_id', 'id']).execute();
  await db.schema.createIndex('sales_order_status').on('sales_order').columns(['status', 'id']).execute();

  await db.schema
    .createTable('order_line')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('order_id', 'text', (c) => c.notNull().references('sales_order.id'))
    .addColumn('line_no', 'integer', (c) => c.notNull())
    .addColumn('sku_id', 'text', (c) => c.notNull().references('sku.id'))
    .addColumn('quantity', qty, (c) => c.notNull().check(sql`quantity > 0`))
    .addColumn('allocated', qty, (c) => c.notNull().check(sql`allocated >= 0`))
    .addColumn('shipped', qty, (c) => c.notNull().check(sql`shipped >= 0`))
    .addColumn('backordered', qty, (c) => c.notNull().check(sql`backordered >= 0`))
    .addColumn('rejected', qty, (c) => c.notNull().check(sql`rejected >= 0`))
    .addColumn('reject_reason', 'text')
    .addColumn('cancelled', qty, (c) => c.notNull().check(sql`cancelled >= 0`))
    .addCheckConstraint('order_line_conserved', sql`allocated + shipped + rejected + cancelled <= quantity`)
    .execute();
  await db.schema.createIndex('order_line_order').on('order_line').columns(['order_id', 'line_no']).execute();

  await db.schema
    .createTable('backorder')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('order_id', 'text', (c) => c.notNull().references('sales_order.id'))
    .addColumn('order_line_id', 'text', (c) => c.notNull().references('order_line.id'))
    .addColumn('sku_id', 'text', (c) => c.notNull().references('sku.id'))
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customer.id'))
    .addColumn('warehouse_id', 'text', (c) => c.notNull().references('warehouse.id'))
    .addColumn('flexible', 'integer', (c) => c.notNull())
    .addColumn('quantity', qty, (c) => c.notNull().check(sql`quantity > 0`))
    .addColumn('allocated', qty, (c) => c.notNull().check(sql`allocated >= 0`))
    .addColumn('fulfilled', qty, (c) => c.notNull().check(sql`fulfilled >= 0`))
    .addColumn('cancelled', qty, (c) => c.notNull().check(sql`cancelled >= 0`))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('placed_at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addCheckConstraint('backorder_conserved', sql`allocated + fulfilled + cancelled <= quantity`)
    .execute();
  await db.schema.createIndex('backorder_sku_status').on('backorder').columns(['sku_id', 'status']).execute();
  await db.schema.createIndex('backorder_status_id').on('backorder').columns(['status', 'id']).execute();
  await db.schema.createIndex('backorder_customer').on('backorder').columns(['customer_id', 'id']).execute();
  await db.schema.createIndex('backorder_warehouse').on('backorder').columns(['warehouse_id', 'id']).execute();
  await db.schema.createIndex('backorder_line').on('backorder').columns(['order_line_id']).execute();

  await db.schema
    .createTable('allocation')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('order_id', 'text', (c) => c.notNull().references('sales_order.id'))
    .addColumn('order_line_id', 'text', (c) => c.notNull().references('order_line.id'))
    .addColumn('backorder_id', 'text', (c) => c.references('backorder.id'))
    .addColumn('sku_id', 'text', (c) => c.notNull())
    .addColumn('warehouse_id', 'text', (c) => c.notNull())
    .addColumn('quantity', qty, (c) => c.notNull().check(sql`quantity >= 0`))
    .addColumn('shipped', qty, (c) => c.notNull().check(sql`shipped >= 0`))
    .addColumn('released', qty, (c) => c.notNull().check(sql`released >= 0`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('allocation_order').on('allocation').columns(['order_id']).execute();
  await db.schema.createIndex('allocation_backorder').on('allocation').columns(['backorder_id']).execute();

  await db.schema
    .createTable('backorder_event')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('backorder_id', 'text', (c) => c.notNull().references('backorder.id'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('backorder_event_bo').on('backorder_event').columns(['backorder_id', 'id']).execute();

  await db.schema
    .createTable('shipment')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('order_id', 'text', (c) => c.notNull().references('sales_order.id'))
    .addColumn('warehouse_id', 'text', (c) => c.notNull().references('warehouse.id'))
    .addColumn('lines', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('shipment_order').on('shipment').columns(['order_id']).execute();

  await db.schema
    .createTable('idempotency_key')
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('response_body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_key_pk', ['scope', 'key'])
    .execute();

  await db.schema
    .createTable('setting')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}
