/**
 * The one way a state change tells people: called by services inside their own transaction with the facts they
 * recorded, it writes the playbook's messages and the webhook deliveries as outbox rows in that transaction. If
 * the change rolls back, so do its messages; if it commits, the worker will deliver them (GUIDE: outbox).
 */
import { onBeforeCommit, type Tx } from '../db/connect.js';
import type { AppContext } from '../main/context.js';
import { draftMessages, type MessageDraft } from './drafts.js';
import type { Fact, PartialFact } from './facts.js';
import { insertMessages, type NewMessage } from './outbox-repository.js';
import { activePlaybook } from './playbook/active.js';
import { matchingSubscriptions, webhookEvent } from './webhooks.js';

const pending = new WeakMap<Tx, PartialFact[]>();

/**
 * Hands facts to the communication module. They are gathered per transaction and turned into messages just before
 * it commits, so everything one transaction caused is drafted together: a new backorder and its first promise
 * (written by different steps of intake) make one confirmation, and a receipt that readies three lines of an order
 * makes one message. Outside a `store.transaction` the facts are written at once.
 */
export async function recordFacts(ctx: AppContext, tx: Tx, partial: readonly PartialFact[]): Promise<void> {
  if (partial.length === 0) return;
  const gathered = pending.get(tx);
  if (gathered) {
    for (const f of partial) gathered.push(f);
    return;
  }
  const list = [...partial];
  if (!onBeforeCommit(tx, () => writeMessages(ctx, tx, list))) return writeMessages(ctx, tx, list);
  pending.set(tx, list);
}

/** Writes every message the facts call for (playbook rules and webhook subscriptions). */
async function writeMessages(ctx: AppContext, tx: Tx, partial: readonly PartialFact[]): Promise<void> {
  pending.delete(tx);
  const { version, playbook } = await activePlaybook(ctx, tx);
  const subscriptions = await matchingSubscriptions(ctx, tx);
  const wanted = partial.filter((f) => subscriptions.some((s) => s.types.has('*') || s.types.has(f.type)));
  // Most re-promises move dates earlier, which the default playbook does not announce: draft per backorder first
  // (no order needed for that), and look owners up only when some message will be written.
  if (wanted.length === 0 && draftMessages(playbook, partial.map((f) => ({ ...f, orderId: f.orderId ?? f.backorderId ?? f.id, customerId: f.customerId ?? '' }))).length === 0) return;
  const facts = await completeFacts(tx, partial);
  const now = ctx.clock.now();
  const rows: NewMessage[] = [];
  for (const d of draftMessages(playbook, facts)) {
    const surveyId = d.extra.csat ? await openSurvey(ctx, tx, d, facts) : null;
    if (d.extra.csat && surveyId === null) continue;
    const due = new Date(now.getTime() + d.delayMinutes * 60_000).toISOString();
    rows.push(messageRow(ctx, d, version, due, { vars: surveyId ? { surveyId } : {}, dedupeKey: null }));
  }
  if (subscriptions.length > 0) {
    for (const f of facts) {
      for (const s of subscriptions) {
        if (!s.types.has('*') && !s.types.has(f.type)) continue;
        rows.push(webhookRow(ctx, s.id, s.url, f, version));
      }
    }
  }
  await insertMessages(tx, rows);
}

/** The outbox row for a drafted email; `vars` adds what time-based rules computed (digest sections, counts). */
export function messageRow(ctx: AppContext, d: MessageDraft, version: number, due: string, more: { vars: Record<string, unknown>; dedupeKey: string | null }): NewMessage {
  const now = ctx.clock.now().toISOString();
  const internal = d.to !== 'customer';
  return {
    id: ctx.ids.next('msg'),
    channel: 'email',
    audience: internal ? 'internal' : 'customer',
    rule: d.ruleId,
    template: d.template,
    recipient: internal ? (d.to as string[]).join(', ') : null,
    subscription_id: null,
    order_id: d.orderId,
    customer_id: d.customerId,
    backorder_id: d.backorderId,
    sku_id: d.skuId,
    vars: JSON.stringify({ lines: d.lines, ...d.extra, ...more.vars }),
    playbook_version: version,
    dedupe_key: more.dedupeKey,
    status: 'pending',
    attempts: 0,
    next_attempt_at: due,
    created_at: now,
    updated_at: now,
  };
}

function webhookRow(ctx: AppContext, subscriptionId: string, url: string, f: Fact, version: number): NewMessage {
  const now = ctx.clock.now().toISOString();
  return {
    id: ctx.ids.next('msg'),
    channel: 'webhook',
    audience: 'integration',
    rule: 'webhook',
    template: f.type,
    recipient: url,
    subscription_id: subscriptionId,
    order_id: f.orderId,
    customer_id: f.customerId,
    backorder_id: f.backorderId,
    sku_id: f.skuId,
    vars: JSON.stringify(webhookEvent(f)),
    playbook_version: version,
    dedupe_key: null,
    status: 'pending',
    attempts: 0,
    next_attempt_at: now,
    created_at: now,
    updated_at: now,
  };
}

/** Facts from re-promising carry only the backorder: their order and customer come from one lookup. */
async function completeFacts(tx: Tx, partial: readonly PartialFact[]): Promise<Fact[]> {
  const missing = [...new Set(partial.filter((f) => !f.orderId || !f.customerId).map((f) => f.backorderId!))];
  const owners = new Map<string, { order_id: string; customer_id: string }>();
  for (let i = 0; i < missing.length; i += 500) {
    const rows = await tx.selectFrom('backorder').select(['id', 'order_id', 'customer_id']).where('id', 'in', missing.slice(i, i + 500)).execute();
    for (const r of rows) owners.set(r.id, r);
  }
  return partial.map((f) => {
    if (f.orderId && f.customerId) return f as Fact;
    const o = owners.get(f.backorderId!);
    if (!o) throw new Error(`fact ${f.id} names backorder ${f.backorderId}, which does not exist`);
    return { ...f, orderId: o.order_id, customerId: o.customer_id };
  });
}

/** One survey per order; its segments (backordered, promise kept, notified on time) are settled when answered. */
async function openSurvey(ctx: AppContext, tx: Tx, d: MessageDraft, facts: readonly Fact[]): Promise<string | null> {
  const closed = facts.find((f) => f.type === 'order.closed' && f.orderId === d.orderId);
  if (!closed) return null;
  const id = ctx.ids.next('srv');
  const inserted = await tx
    .insertInto('csat_survey')
    .values({
      id,
      order_id: closed.orderId,
      customer_id: closed.customerId,
      backordered: closed.data.backordered === true ? 1 : 0,
      score: null,
      comment: null,
      notified_on_time: null,
      promise_kept: null,
      created_at: ctx.clock.now().toISOString(),
      answered_at: null,
    })
    .onConflict((oc) => oc.column('order_id').doNothing())
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1 ? id : null;
}
