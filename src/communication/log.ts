/**
 * The communication log: every message, what it said once sent (the rendered subject and bodies are stored at
 * delivery), where it went, how many attempts it took and why it failed. Agents read what the customer was told.
 */
import type { AppContext } from '../main/context.js';
import type { MessageChannel, MessageStatus } from '../db/schema.js';
import { fail, ok, type Result } from '../shared/result.js';
import { resumeAfter, toPage, type Page } from '../shared/pagination.js';
import type { MessageRow } from './outbox-repository.js';
import { activePlaybook } from './playbook/active.js';
import { renderEmail, renderLookup, type RenderedEmail } from './render.js';

export interface MessageView {
  id: string;
  channel: MessageChannel;
  audience: MessageRow['audience'];
  rule: string;
  template: string;
  status: MessageStatus;
  recipient: string | null;
  orderId: string | null;
  customerId: string | null;
  backorderId: string | null;
  skuId: string | null;
  attempts: number;
  lastError: string | null;
  playbookVersion: number;
  language: string | null;
  subject: string | null;
  createdAt: string;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
}

export interface MessageDetail extends MessageView {
  bodyText: string | null;
  bodyHtml: string | null;
  /** Template variables (email) or the event sent (webhook). */
  payload: unknown;
}

const view = (m: MessageRow): MessageView => ({
  id: m.id,
  channel: m.channel,
  audience: m.audience,
  rule: m.rule,
  template: m.template,
  status: m.status,
  recipient: m.recipient,
  orderId: m.order_id,
  customerId: m.customer_id,
  backorderId: m.backorder_id,
  skuId: m.sku_id,
  attempts: m.attempts,
  lastError: m.last_error,
  playbookVersion: m.playbook_version,
  language: m.language,
  subject: m.subject,
  createdAt: m.created_at,
  nextAttemptAt: m.status === 'pending' ? m.next_attempt_at : null,
  deliveredAt: m.delivered_at,
});

export interface MessageQuery {
  orderId?: string | undefined;
  customerId?: string | undefined;
  status?: MessageStatus | undefined;
  channel?: MessageChannel | undefined;
  cursor?: string | undefined;
  limit: number;
}

/** Messages newest first, filtered. */
export async function listMessages(ctx: AppContext, q: MessageQuery): Promise<Result<Page<MessageView>>> {
  const resumed = resumeAfter(q.cursor);
  if (!resumed.ok) return resumed;
  let s = ctx.store.db.selectFrom('message').selectAll().orderBy('id', 'desc').limit(q.limit + 1);
  if (resumed.value) s = s.where('id', '<', resumed.value);
  if (q.orderId) s = s.where('order_id', '=', q.orderId);
  // Through the customer's orders: messages are indexed by order, not by customer.
  if (q.customerId) {
    const customerId = q.customerId;
    s = s.where('order_id', 'in', (eb) => eb.selectFrom('sales_order').select('id').where('customer_id', '=', customerId)).where('customer_id', '=', customerId);
  }
  if (q.status) s = s.where('status', '=', q.status);
  if (q.channel) s = s.where('channel', '=', q.channel);
  return ok(toPage(await s.execute(), q.limit, (r) => r.id, view));
}

/** The log of one order or customer; a 404 when it does not exist (an empty log is a real answer). */
export async function messagesOf(ctx: AppContext, kind: 'order' | 'customer', id: string, q: Omit<MessageQuery, 'orderId' | 'customerId'>): Promise<Result<Page<MessageView>>> {
  const table = kind === 'order' ? 'sales_order' : 'customer';
  const exists = await ctx.store.db.selectFrom(table).select('id').where('id', '=', id).executeTakeFirst();
  if (!exists) return fail('not_found', `${kind} '${id}' not found`, { field: 'id' });
  return listMessages(ctx, { ...q, ...(kind === 'order' ? { orderId: id } : { customerId: id }) });
}

export async function getMessage(ctx: AppContext, id: string): Promise<Result<MessageDetail>> {
  const m = await ctx.store.db.selectFrom('message').selectAll().where('id', '=', id).executeTakeFirst();
  if (!m) return fail('not_found', `message '${id}' not found`, { field: 'id' });
  return ok({ ...view(m), bodyText: m.body_text, bodyHtml: m.body_html, payload: JSON.parse(m.vars) as unknown });
}

/** Sends a dead-lettered message again, with a fresh set of attempts (after the cause was fixed). */
export async function retryMessage(ctx: AppContext, id: string): Promise<Result<MessageView>> {
  const now = ctx.clock.now().toISOString();
  const row = await ctx.store.db
    .updateTable('message')
    .set({ status: 'pending', attempts: 0, next_attempt_at: now, updated_at: now })
    .where('id', '=', id)
    .where('status', '=', 'dead')
    .returningAll()
    .executeTakeFirst();
  if (row) return ok(view(row));
  const exists = await ctx.store.db.selectFrom('message').select('status').where('id', '=', id).executeTakeFirst();
  return exists
    ? fail('illegal_transition', `message ${id} is ${exists.status}; only a dead message can be retried`, { field: 'id', details: { status: exists.status } })
    : fail('not_found', `message '${id}' not found`, { field: 'id' });
}

/** What an email says (or would say, if still waiting): rendered now with the playbook in force. */
export async function previewMessage(ctx: AppContext, id: string): Promise<Result<RenderedEmail>> {
  const m = await ctx.store.db.selectFrom('message').selectAll().where('id', '=', id).executeTakeFirst();
  if (!m) return fail('not_found', `message '${id}' not found`, { field: 'id' });
  if (m.channel !== 'email') return fail('illegal_transition', `message ${id} is a webhook delivery; its payload is the event itself`, { field: 'id' });
  const { playbook } = await activePlaybook(ctx, ctx.store.db);
  const rendered = renderEmail(ctx, m, playbook, await renderLookup(ctx, [m]));
  return typeof rendered === 'string' ? fail('illegal_transition', `message ${id} cannot be rendered: ${rendered}`, { field: 'id' }) : ok(rendered);
}
