/**
 * Webhook subscriptions and the events they receive. An event is versioned JSON; each delivery is signed with the
 * subscription's secret (HMAC-SHA256 over `timestamp.body`), so a receiver can check it came from us and is fresh.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { Tx } from '../db/connect.js';
import type { AppContext } from '../main/context.js';
import { fail, ok, type Result } from '../shared/result.js';
import { factTypes, type Fact } from './facts.js';

/** The event format version carried in every payload; a breaking change to `data` raises it. */
export const webhookEventVersion = 1;
export const subscribableTypes = ['*', ...factTypes] as const;

export interface WebhookEvent {
  id: string;
  type: Fact['type'];
  version: number;
  occurredAt: string;
  data: Record<string, unknown>;
}

/** The JSON a receiver gets for a fact. */
export function webhookEvent(f: Fact): WebhookEvent {
  return {
    id: f.id,
    type: f.type,
    version: webhookEventVersion,
    occurredAt: f.at,
    data: { orderId: f.orderId, customerId: f.customerId, backorderId: f.backorderId, skuId: f.skuId, ...f.data },
  };
}

/** `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`: the header `Raincheck-Signature`. */
export function signatureHeader(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

export interface Subscription {
  id: string;
  url: string;
  eventTypes: string[];
  description: string | null;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

interface CachedSubscription {
  id: string;
  url: string;
  types: Set<string>;
}

const cacheMs = 2_000;
const caches = new WeakMap<AppContext['store'], { at: number; subs: CachedSubscription[] }>();

/** Active subscriptions, read at most every couple of seconds (a new one is live within that time everywhere). */
export async function matchingSubscriptions(ctx: AppContext, tx: Tx): Promise<CachedSubscription[]> {
  const cached = caches.get(ctx.store);
  if (cached && Date.now() - cached.at < cacheMs) return cached.subs;
  const rows = await tx.selectFrom('webhook_subscription').select(['id', 'url', 'event_types']).where('active', '=', 1).execute();
  const subs = rows.map((r) => ({ id: r.id, url: r.url, types: new Set(JSON.parse(r.event_types) as string[]) }));
  caches.set(ctx.store, { at: Date.now(), subs });
  return subs;
}

const forget = (ctx: AppContext) => caches.delete(ctx.store);

/** Receivers must be HTTPS; plain HTTP only to this machine (development and tests). */
export function checkWebhookUrl(raw: string): Result<string> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return fail('validation_failed', `'${raw}' is not a URL`, { field: 'url' });
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    return fail('validation_failed', `webhook URL must use https (plain http is allowed only to localhost), got ${url.protocol}//${url.host}`, { field: 'url' });
  }
  if (url.username || url.password) return fail('validation_failed', 'webhook URL must not carry credentials; the signature authenticates us', { field: 'url' });
  return ok(url.toString());
}

const toSubscription = (r: { id: string; url: string; event_types: string; description: string | null; active: number; created_at: string; updated_at: string }): Subscription => ({
  id: r.id,
  url: r.url,
  eventTypes: JSON.parse(r.event_types) as string[],
  description: r.description,
  active: r.active === 1,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export interface SubscriptionInput {
  url: string;
  eventTypes: string[];
  description?: string | undefined;
}

/** Creates a subscription; its signing secret is returned this once and never shown again. */
export async function createSubscription(ctx: AppContext, input: SubscriptionInput): Promise<Result<Subscription & { secret: string }>> {
  const url = checkWebhookUrl(input.url);
  if (!url.ok) return url;
  const now = ctx.clock.now().toISOString();
  const row = {
    id: ctx.ids.next('whk'),
    url: url.value,
    secret: `whsec_${randomBytes(24).toString('base64url')}`,
    event_types: JSON.stringify([...new Set(input.eventTypes)]),
    description: input.description ?? null,
    active: 1,
    created_at: now,
    updated_at: now,
  };
  await ctx.store.db.insertInto('webhook_subscription').values(row).execute();
  forget(ctx);
  return ok({ ...toSubscription(row), secret: row.secret });
}

export async function listSubscriptions(ctx: AppContext): Promise<Subscription[]> {
  return (await ctx.store.db.selectFrom('webhook_subscription').selectAll().orderBy('id').execute()).map(toSubscription);
}

/** Changes a subscription's URL, types or active flag; pending deliveries keep the URL they were made for. */
export async function updateSubscription(ctx: AppContext, id: string, patch: { url?: string | undefined; eventTypes?: string[] | undefined; description?: string | undefined; active?: boolean | undefined }): Promise<Result<Subscription>> {
  const url = patch.url === undefined ? null : checkWebhookUrl(patch.url);
  if (url && !url.ok) return url;
  const now = ctx.clock.now().toISOString();
  const row = await ctx.store.db
    .updateTable('webhook_subscription')
    .set({
      updated_at: now,
      ...(url ? { url: url.value } : {}),
      ...(patch.eventTypes ? { event_types: JSON.stringify([...new Set(patch.eventTypes)]) } : {}),
      ...(patch.description !== undefined ? { description: patch.description } : {}),
      ...(patch.active !== undefined ? { active: patch.active ? 1 : 0 } : {}),
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  forget(ctx);
  return row ? ok(toSubscription(row)) : fail('not_found', `webhook subscription '${id}' not found`, { field: 'id' });
}
