import { sql, type Kysely } from 'kysely';

const qty = 'bigint' as const;

/** Suppliers, purchase orders and their receipts, transfers in transit, and promise dates on backorders. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('supplier')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('default_lead_time_days', 'integer', (c) => c.notNull().check(sql`default_lead_time_days >= 0`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('supplier_item')
    .addColumn('supplier_id', 'text', (c) => c.notNull().references('supplier.id'))
    .addColumn('sku_id', 'text', (c) => c.notNull().references('sku.id'))
    .addColumn('lead_time_days', 'integer')
    .addColumn('pack_size', 'integer', (c) => c.notNull().check(sql`pack_size >= 1`))
    .addColumn('min_order_qty', qty, (c) => c.notNull().check(sql`min_order_qty >= 1`))
    .addColumn('unit_cost_minor', qty, (c) => c.notNull().check(sql`unit_cost_minor >= 0`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('supplier_item_pk', ['supplier_id', 'sku_id'])
    .execute();
  await db.schema.createIndex('supplier_item_sku').on('supplier_item').columns(['sku_id']).execute();

  await db.schema
    .createTable('purchase_order')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('supplier_id', 'text', (c) => c.notNull().references('supplier.id'))
    .addColumn('reference', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('placed_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('purchase_order_supplier').on('purchase_order').columns(['supplier_id', 'id']).execute();

  await db.schema
    .createTable('po_line')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('po_id', 'text', (c) => c.notNull().references('purchase_order.id'))
    .addColumn('line_no', 'integer', (c) => c.notNull())
    .addColumn('sku_id', 'text', (c) => c.notNull().references('sku.id'))
    .addColumn('warehouse_id', 'text', (c) => c.notNull().references('warehouse.id'))
    .addColumn('quantity', qty, (c) => c.notNull().check(sql`quantity > 0`))
    .addColumn('received', qty, (c) => c.notNull().check(sql`received >= 0`))
    .addColumn('cancelled', qty, (c) => c.notNull().check(sql`cancelled >= 0`))
    .addColumn('expected_date', 'text', (c) => c.notNull())
    .addColumn('original_expected_date', 'text', (c) => c.notNull())
    .addCheckConstraint('po_line_conserved', sql`received + cancelled <= quantity`)
    .execute();
  await db.schema.createIndex('po_line_po').on('po_line').columns(['po_id', 'line_no']).execute();
  await db.schema.createIndex('po_line_sku').on('po_line').columns(['sku_id']).execute();

  await db.schema
    .createTable('po_receipt')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('po_line_id', 'text', (c) => c.notNull().references('po_line.id'))
    .addColumn('po_id', 'text', (c) => c.notNull())
    .addColumn('supplier_id', 'text', (c) => c.notNull())
    .addColumn('sku_id', 'text', (c) => c.notNull())
    .addColumn('quantity', qty, (c) => c.notNull().check(sql`quantity > 0`))
    .addColumn('placed_at', 'text', (c) => c.notNull())
    .addColumn('expected_date', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('po_receipt_supplier').on('po_receipt').columns(['supplier_id', 'sku_id']).execute();

  await db.schema
    .createTable('transfer')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('sku_id', 'text', (c) => c.notNull().references('sku.id'))
    .addColumn('from_warehouse_id', 'text', (c) => c.notNull().references('warehouse.id'))
    .addColumn('to_warehouse_id', 'text', (c) => c.notNull().references('warehouse.id'))
    .addColumn('quantity', qty, (c) => c.notNull().check(sql`quantity > 0`))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('shipped_at', 'text', (c) => c.notNull())
    .addColumn('expected_arrival', 'text', (c) => c.notNull())
    .addColumn('arrived_at', 'text')
    .execute();
  await db.schema.createIndex('transfer_sku_status').on('transfer').columns(['sku_id', 'status']).execute();

  // SQLite adds one column per ALTER TABLE.
  await db.schema.alterTable('sku').addColumn('backorder_horizon_days', 'integer').execute();
  await db.schema.alterTable('backorder').addColumn('promised_date', 'text').execute();
  await db.schema.alterTable('backorder').addColumn('promise_confidence', 'double precision').execute();
  await db.schema.alterTable('backorder').addColumn('promise_confirmed', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('backorder').addColumn('promise_basis', 'text').execute();
  await db.schema.alterTable('backorder').addColumn('first_promised_date', 'text').execute();
  await db.schema.alterTable('backorder').addColumn('fulfilled_at', 'text').execute();
}
