/**
 * The outbox worker: claims due messages, delivers them outside any transaction, then records each outcome.
 * At-least-once: a worker that dies mid-delivery leaves its messages `sending` under a lease; when the lease runs
 * out another worker takes them over. A retry never follows an acknowledged delivery: the acknowledgement is
 * recorded first, guarded by the attempt number, and receivers get the same Idempotency-Key on every try.
 */
import { randomUUID } from 'node:crypto';
import type { AppContext } from '../main/context.js';
import { ok } from '../shared/result.js';
import { retryDelayMs } from './backoff.js';
import type { Channels, SendOutcome } from './channels.js';
import { claimDue, markDelivered, markFailed, releaseClaims, type MessageRow, type Rendered } from './outbox-repository.js';
import { activePlaybook } from './playbook/active.js';
import type { Playbook } from './playbook/schema.js';
import { renderEmail, renderLookup, type RenderLookup } from './render.js';
import type { MessageChannel } from '../db/schema.js';

export interface DispatchOptions {
  /** Messages claimed per round. */
  batchSize?: number;
  /** Deliveries in flight at once. */
  concurrency?: number;
  /** How long a claimed message stays ours before another worker may take it over. */
  leaseMs?: number;
  random?: () => number;
  /** Deliver only this channel (email waits in the outbox while no mail server is configured); both when absent. */
  channel?: MessageChannel | undefined;
}

/** Per channel: webhooks are cheap to send and many may be in flight; email goes through a few SMTP connections. */
const channelDefaults: Record<MessageChannel, { batchSize: number; concurrency: number }> = {
  webhook: { batchSize: 250, concurrency: 64 },
  email: { batchSize: 100, concurrency: 16 },
};

export interface DispatchStats {
  claimed: number;
  delivered: number;
  retried: number;
  dead: number;
}

interface Outcome {
  m: MessageRow;
  sent: SendOutcome;
  rendered: Partial<Rendered>;
}

/** One round: claim, deliver, record, per channel. Returns what happened (claimed 0 means nothing was due). */
export async function dispatchOnce(ctx: AppContext, channels: Channels, options: DispatchOptions = {}): Promise<DispatchStats> {
  const total: DispatchStats = { claimed: 0, delivered: 0, retried: 0, dead: 0 };
  for (const channel of options.channel ? [options.channel] : (['webhook', 'email'] as const)) {
    const stats = await dispatchChannel(ctx, channels, channel, options);
    for (const k of Object.keys(total) as (keyof DispatchStats)[]) total[k] += stats[k];
  }
  return total;
}

async function dispatchChannel(ctx: AppContext, channels: Channels, channel: MessageChannel, options: DispatchOptions): Promise<DispatchStats> {
  const { batchSize, concurrency } = { ...channelDefaults[channel], ...options };
  const { leaseMs = 60_000, random = Math.random } = options;
  const now = ctx.clock.now();
  const claim = { now: now.toISOString(), leaseUntil: new Date(now.getTime() + leaseMs).toISOString(), limit: batchSize, channel, token: randomUUID() };
  // Nothing is sent before the round is prepared: if the claim or the preparation fails, hand the claims back (as
  // persistently as outcomes are recorded) rather than leave them waiting out the lease, then let the scheduler
  // report the failure. A claim that threw may still have committed (its answer lost in a database restart), hence
  // the release by the round's token even then.
  const handBack = async (e: unknown): Promise<never> => {
    await retrying(() => ctx.store.transaction(async (tx) => ok(await releaseClaims(tx, claim.token, ctx.clock.now().toISOString()))));
    throw e;
  };
  let messages: MessageRow[];
  try {
    const claimed = await ctx.store.transaction(async (tx) => ok(await claimDue(ctx.store, tx, claim)));
    messages = claimed.ok ? claimed.value : [];
  } catch (e) {
    return handBack(e);
  }
  const stats: DispatchStats = { claimed: messages.length, delivered: 0, retried: 0, dead: 0 };
  if (messages.length === 0) return stats;
  let prepared;
  try {
    prepared = await prepareRound(ctx, messages, channel);
  } catch (e) {
    return handBack(e);
  }
  const { playbook, secrets, lookup } = prepared;
  const recorder = outcomeRecorder(ctx, playbook, stats, random);
  await inPool(messages, concurrency, async (m) => recorder.add(await deliver(ctx, channels, playbook, { secrets, lookup }, m)));
  await recorder.drain();
  if (stats.dead > 0) ctx.log.warn({ dead: stats.dead }, 'outbox: messages dead-lettered');
  return stats;
}

/** What a round needs besides the messages: the playbook, webhook secrets and what email templates render from. */
async function prepareRound(ctx: AppContext, messages: MessageRow[], channel: MessageChannel) {
  const { playbook } = await activePlaybook(ctx, ctx.store.db);
  const secrets = await subscriptionSecrets(ctx, messages);
  const lookup = channel === 'email' ? await renderLookup(ctx, messages) : null;
  return { playbook, secrets, lookup };
}

/** Runs `write` until it succeeds: 20 tries over about 30 s (50 ms doubling, at most 2 s apart), then gives up. */
async function retrying<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 0, waitMs = 50; ; attempt++, waitMs = Math.min(2_000, waitMs * 2)) {
    try {
      return await write();
    } catch (e) {
      if (attempt >= 19) throw e;
      await new Promise((r) => setTimeout(r, waitMs));
    }
  }
}

/**
 * Records outcomes as they arrive, many per transaction (group commit): an acknowledgement is on disk within one
 * short transaction of arriving, so a worker killed mid-round re-sends only what was in flight, not its whole batch.
 */
function outcomeRecorder(ctx: AppContext, playbook: Playbook, stats: DispatchStats, random: () => number) {
  let queue: Outcome[] = [];
  let writing: Promise<void> | null = null;
  let failure: unknown = null;
  const writeAll = async () => {
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      // The messages left already: if the store is briefly unreachable (a database restart), keep trying to record
      // that, or they would stay claimed and be sent again when the lease runs out. Safe to repeat: markDelivered
      // and markFailed only change a message still at the attempt this round made.
      await retrying(() =>
        ctx.store.transaction(async (tx) => {
          const done = ctx.clock.now();
          const acknowledged = batch.filter((o) => o.sent.ok).map((o) => ({ m: o.m, rendered: o.rendered as Rendered }));
          stats.delivered += await markDelivered(tx, acknowledged, done.toISOString());
          for (const o of batch) if (!o.sent.ok) await recordFailure(tx, o, o.sent, done);
          return ok(null);
        }),
      );
    }
    writing = null;
  };
  const recordFailure = async (tx: Parameters<typeof markFailed>[0], o: Outcome, sent: Extract<SendOutcome, { ok: false }>, done: Date) => {
    const wait = sent.retry ? retryDelayMs(playbook.delivery, o.m.attempts, random) : null;
    const retryAt = wait === null ? null : new Date(done.getTime() + wait).toISOString();
    if (await markFailed(tx, o.m, sent.error, retryAt, done.toISOString(), o.rendered)) {
      if (retryAt === null) stats.dead++;
      else stats.retried++;
    }
  };
  return {
    add(o: Outcome) {
      queue.push(o);
      // A failed write is kept for drain() to throw: an unawaited rejection would crash the process.
      writing ??= writeAll().catch((e: unknown) => {
        failure = e;
        writing = null;
      });
    },
    async drain() {
      while (writing) await writing;
      if (failure) throw failure;
    },
  };
}

interface RoundData {
  secrets: Map<string, string>;
  lookup: RenderLookup | null;
}

async function deliver(ctx: AppContext, channels: Channels, playbook: Playbook, { secrets, lookup }: RoundData, m: MessageRow): Promise<Outcome> {
  const timeoutMs = playbook.delivery.timeout_seconds * 1000;
  if (m.channel === 'webhook') {
    const secret = m.subscription_id ? secrets.get(m.subscription_id) : undefined;
    const rendered = { recipient: m.recipient ?? '', language: null, subject: null, body_text: null, body_html: null };
    if (!secret || !m.recipient) return { m, sent: { ok: false, retry: false, error: `webhook subscription ${m.subscription_id} no longer exists` }, rendered };
    const event = JSON.parse(m.vars) as { id: string; type: string };
    const sent = await channels.webhook({ messageId: m.id, url: m.recipient, secret, body: m.vars, eventId: event.id, eventType: event.type }, timeoutMs, ctx.clock.now().getTime());
    return { m, sent, rendered };
  }
  let email;
  try {
    email = renderEmail(ctx, m, playbook, lookup!);
  } catch (e) {
    email = `rendering failed: ${(e as Error).message}`;
  }
  if (typeof email === 'string') return { m, sent: { ok: false, retry: false, error: email }, rendered: {} };
  const rendered = { recipient: email.to, language: email.language, subject: email.subject, body_text: email.text, body_html: email.html };
  const sent = await channels.email({ messageId: m.id, from: playbook.sender, ...email }, timeoutMs);
  return { m, sent, rendered };
}

async function subscriptionSecrets(ctx: AppContext, messages: MessageRow[]): Promise<Map<string, string>> {
  const ids = [...new Set(messages.flatMap((m) => (m.subscription_id ? [m.subscription_id] : [])))];
  if (ids.length === 0) return new Map();
  const rows = await ctx.store.db.selectFrom('webhook_subscription').select(['id', 'secret']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.secret]));
}

/** Runs `work` over items with at most `size` in flight, keeping the results in order. */
async function inPool<T, R>(items: readonly T[], size: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(size, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  });
  await Promise.all(lanes);
  return results;
}

export interface Worker {
  /** Stops claiming; resolves when the round in progress has been recorded. */
  stop(): Promise<void>;
}

/** Runs dispatch rounds until stopped, one loop per channel: back to back while there is work, every `pollMs` when idle. */
export function startDeliveryWorker(ctx: AppContext, channels: Channels, options: DispatchOptions & { pollMs?: number } = {}): Worker {
  const loops = (options.channel ? [options.channel] : (['webhook', 'email'] as const)).map((channel) => channelLoop(ctx, channels, { ...options, channel }));
  return {
    async stop() {
      await Promise.all(loops.map((l) => l.stop()));
    },
  };
}

function channelLoop(ctx: AppContext, channels: Channels, options: DispatchOptions & { pollMs?: number; channel: MessageChannel }): Worker {
  const pollMs = options.pollMs ?? 500;
  let stopped = false;
  let wake: (() => void) | null = null;
  const loop = (async () => {
    while (!stopped) {
      let stats: DispatchStats = { claimed: 0, delivered: 0, retried: 0, dead: 0 };
      try {
        stats = await dispatchChannel(ctx, channels, options.channel, options);
      } catch (e) {
        ctx.log.error({ err: e, channel: options.channel }, 'outbox: dispatch round failed; retrying after the poll interval');
      }
      if (stats.claimed === 0 && !stopped) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pollMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = null;
      }
    }
  })();
  return {
    async stop() {
      stopped = true;
      (wake as (() => void) | null)?.();
      await loop;
    },
  };
}
