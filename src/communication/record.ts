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
  // A fact may carry only its backorder (re-promising carries the owner too, read with the queue): it stands for
  // its own order until its owner is looked up, and only the facts that make a message are looked up. Drafts of
  // one order are then merged.
  const provisional = partial.map((f): Fact => (f.orderId && f.customerId ? (f as Fact) : { ...f, orderId: `?${f.backorderId}`, customerId: '' }));
  const drafts = draftMessages(playbook, provisional);
  const hooked = provisional.filter((f) => subscriptions.some((s) => s.types.has('*') || s.types.has(f.type)));
  if (drafts.length === 0 && hooked.length === 0) return;
  const owners = await lookupOwners(tx, [...drafts.map((d) => d.orderId), ...hooked.map((f) => f.orderId)]);
  const own = <T extends { orderId: string | null; customerId: string | null }>(x: T): T => {
    const o = x.orderId?.startsWith('?') ? owners.get(x.orderId.slice(1)) : undefined;
    return o ? { ...x, orderId: o.order_id, customerId: o.customer_id } : x;
  };
  const now = ctx.clock.now();
  const rows: NewMessage[] = [];
  for (const d of mergeByOrder(drafts.map(own))) {
    const surveyId = d.extra.csat ? await openSurvey(ctx, tx, d, provisional) : null;
    if (d.extra.csat && surveyId === null) continue;
    const due = new Date(now.getTime() + d.delayMinutes * 60_000).toISOString();
    rows.push(messageRow(ctx, d, version, due, { vars: surveyId ? { surveyId } : {}, dedupeKey: null }));
  }
  for (const f of hooked.map(own)) {
    for (const s of subscriptions) if (s.types.has('*') || s.types.has(f.type)) rows.push(webhookRow(ctx, s.id, s.url, f, version));
  }
  await insertMessages(ctx.store, tx, rows);
}

/** Drafts of the same rule and order become one message listing all their lines. */
function mergeByOrder(drafts: readonly MessageDraft[]): MessageDraft[] {
  const merged = new Map<string, MessageDraft>();
  const out: MessageDraft[] = [];
  for (const d of drafts) {
    // Order-level drafts (shipments, surveys, choices) have no backorder lines: each stays a message of its own.
    if (d.lines.length === 0 || d.lines.some((l) => l.backorderId === null)) {
      out.push(d);
      continue;
    }
    const key = `${d.ruleId} ${d.orderId}`;
    const seen = merged.get(key);
    if (!seen) {
      const copy = { ...d, lines: [...d.lines] };
      merged.set(key, copy);
      out.push(copy);
      continue;
    }
    seen.lines.push(...d.lines);
    seen.backorderId = null;
    seen.skuId = null;
  }
  return out;
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

/** The order and customer of backorders named by provisional order ids (`?bo_...`). */
async function lookupOwners(tx: Tx, orderIds: readonly (string | null)[]): Promise<Map<string, { order_id: string; customer_id: string }>> {
  const missing = [...new Set(orderIds.filter((id): id is string => id !== null && id.startsWith('?')).map((id) => id.slice(1)))];
  const owners = new Map<string, { order_id: string; customer_id: string }>();
  for (let i = 0; i < missing.length; i += 500) {
    const rows = await tx.selectFrom('backorder').select(['id', 'order_id', 'customer_id']).where('id', 'in', missing.slice(i, i + 500)).execute();
    for (const r of rows) owners.set(r.id, r);
  }
  for (const id of missing) if (!owners.has(id)) throw new Error(`a fact names backorder ${id}, which does not exist`);
  return owners;
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
