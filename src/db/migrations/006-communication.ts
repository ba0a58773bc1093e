import { sql, type Kysely } from 'kysely';

/**
 * Communication: the outbox of messages (email and webhooks) written in the same transaction as the change that
 * caused them, webhook subscriptions, the playbook's stored versions, customer choices from the status page, CSAT
 * surveys, per-SKU alternates (for substitutes), each customer's language and an order's consent to ship partially.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('message')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('audience', 'text', (c) => c.notNull())
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('template', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text')
    .addColumn('subscription_id', 'text')
    .addColumn('order_id', 'text')
    .addColumn('customer_id', 'text')
    .addColumn('backorder_id', 'text')
    .addColumn('sku_id', 'text')
    .addColumn('vars', 'text', (c) => c.notNull())
    .addColumn('playbook_version', 'integer', (c) => c.notNull())
    .addColumn('dedupe_key', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('lease_until', 'text')
    .addColumn('last_error', 'text')
    .addColumn('language', 'text')
    .addColumn('subject', 'text')
    .addColumn('body_text', 'text')
    .addColumn('body_html', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('delivered_at', 'text')
    .execute();
  // Few indexes: re-promising can write thousands of messages in one transaction, and each index costs every row.
  // A customer's log is read through their orders (every customer message belongs to an order).
  // Each channel is claimed on its own, in due order, from (status, channel, next_attempt_at).
  await db.schema.createIndex('message_due').on('message').columns(['status', 'channel', 'next_attempt_at']).execute();
  await db.schema.createIndex('message_order').on('message').columns(['order_id', 'id']).execute();
  // Only time-based messages and webhook deliveries carry a dedupe key; the others stay out of the index.
  await db.schema.createIndex('message_dedupe').on('message').column('dedupe_key').unique().where(sql.ref('dedupe_key'), 'is not', null).execute();

  await db.schema
    .createTable('webhook_subscription')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('event_types', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('playbook_version')
    .addColumn('version', 'integer', (c) => c.primaryKey())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('customer_choice')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('order_id', 'text', (c) => c.notNull().references('sales_order.id'))
    .addColumn('line_id', 'text')
    .addColumn('backorder_id', 'text')
    .addColumn('choice', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('via', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('customer_choice_order').on('customer_choice').columns(['order_id', 'id']).execute();

  await db.schema
    .createTable('csat_survey')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('order_id', 'text', (c) => c.notNull().unique().references('sales_order.id'))
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('backordered', 'integer', (c) => c.notNull())
    .addColumn('score', 'integer')
    .addColumn('comment', 'text')
    .addColumn('notified_on_time', 'integer')
    .addColumn('promise_kept', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('answered_at', 'text')
    .execute();

  await db.schema
    .createTable('sku_alternate')
    .addColumn('sku_id', 'text', (c) => c.notNull().references('sku.id'))
    .addColumn('alternate_sku_id', 'text', (c) => c.notNull().references('sku.id'))
    .addColumn('rank', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('sku_alternate_pk', ['sku_id', 'alternate_sku_id'])
    .execute();

  await db.schema.alterTable('customer').addColumn('language', 'text', (c) => c.notNull().defaultTo('en')).execute();
  await db.schema.alterTable('sales_order').addColumn('partial_consent', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}
