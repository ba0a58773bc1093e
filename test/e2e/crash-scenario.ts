/**
 * The crash scenario: a catalog with little stock on a few hot SKUs (so orders backorder and customers get mail),
 * a fixed seeded list of orders and receipts each with its own Idempotency-Key, clients that retry every request
 * with the same key and body until the server answers it, and the checks run on the store afterwards.
 */
import { expect } from 'vitest';
import pino from 'pino';
import { createContext, type AppContext } from '../../src/main/context.js';
import { receiveStock } from '../../src/inventory/service.js';
import { findViolations } from '../../src/audit/invariants.js';
import { seededRandom } from '../../src/shared/random.js';
import { customer, defaultWarehouses, must, seedCatalog, sku } from '../support/context.js';
import { testAdminKey } from '../support/server-process.js';
import type { TestSmtpServer } from '../support/smtp.js';

export const seed = Number(process.env.RAINCHECK_SEED ?? Date.now() % 1_000_000_007);
export const why = (what: string) => `${what} (seed ${seed}; rerun with RAINCHECK_SEED=${seed})`;

const hotSkus = ['HOT-1', 'HOT-2', 'HOT-3'];
const coldSkus = ['COLD-1', 'COLD-2', 'COLD-3'];
const customers = Array.from({ length: 8 }, (_, i) => customer(`K${i + 1}`, ['GB', 'NL', 'DE'][i % 3], (i % 3) + 1, i % 4 !== 3));

/** Opens a store context on the real clock (the server's), as the servers will see it; the caller closes it. */
export async function openStore(databaseUrl: string): Promise<AppContext> {
  return createContext({ databaseUrl, log: pino({ level: 'silent' }) });
}

export async function seedStore(ctx: AppContext): Promise<void> {
  await seedCatalog(ctx, { warehouses: defaultWarehouses, skus: [...hotSkus, ...coldSkus].map((id) => sku(id)), customers });
  for (const skuId of hotSkus) must(await receiveStock(ctx, { skuId, warehouseId: 'UK', quantity: 3, reference: 'seed' }));
  for (const skuId of coldSkus) {
    for (const warehouseId of ['UK', 'EU']) must(await receiveStock(ctx, { skuId, warehouseId, quantity: 400, reference: 'seed' }));
  }
}

export interface Request {
  kind: 'order' | 'receipt';
  key: string;
  path: string;
  body: Record<string, unknown>;
}

/** The stream: orders with their key as reference, receipts of the hot SKUs (which fill backorders) likewise. */
export function buildRequests(orders: number, receipts: number): Request[] {
  const rnd = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const list: Request[] = [];
  for (let i = 0; i < orders; i++) {
    const key = `crash-o-${i}`;
    const skus = [...new Set(Array.from({ length: int(1, 2) }, () => pick(rnd() < 0.6 ? hotSkus : coldSkus)))];
    const body = { customerId: pick(customers).id, reference: key, lines: skus.map((skuId) => ({ skuId, quantity: int(1, 3) })) };
    list.push({ kind: 'order', key, path: '/orders', body });
  }
  for (let i = 0; i < receipts; i++) {
    const key = `crash-r-${i}`;
    list.push({ kind: 'receipt', key, path: '/stock/receipts', body: { skuId: pick(hotSkus), warehouseId: pick(['UK', 'EU']), quantity: int(1, 4), reference: key } });
  }
  // Receipts spread through the orders, so stock arrives while backorders pile up.
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [list[i], list[j]] = [list[j]!, list[i]!];
  }
  return list;
}

export interface Ack {
  status: number;
  body: { order?: { id: string } } & Record<string, unknown>;
  /** The generation of the target (0 before the fault, 1 after) that answered. */
  generation: number;
  /** When the answer arrived (Date.now()). */
  at: number;
}

export interface StreamResult {
  acks: Map<string, Ack>;
  /** Tries that failed with a network error or a 5xx, and were sent again. */
  retries: number;
  /** A few of the failures, for the message of an assertion. */
  errors: string[];
}

/** Where clients send: the fault handler points it at the restarted server; `generation` counts the switches. */
export interface Target {
  baseUrl: string;
  generation: number;
}

export async function send(target: Target, r: Request, timeoutMs = 15_000): Promise<{ status: number; body: Ack['body'] } | { error: string }> {
  try {
    const res = await fetch(`${target.baseUrl}${r.path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${testAdminKey}`, 'content-type': 'application/json', 'idempotency-key': r.key },
      body: JSON.stringify(r.body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let body: Ack['body'];
    try {
      body = JSON.parse(text) as Ack['body'];
    } catch {
      body = { text };
    }
    return { status: res.status, body };
  } catch (e) {
    const err = e as Error & { cause?: { code?: string } };
    return { error: `${err.message}${err.cause?.code ? ` (${err.cause.code})` : ''}` };
  }
}

/**
 * `concurrency` clients work through the list; each request is sent until it gets a 2xx or a 4xx (a network error
 * or a 5xx is retried after a short backoff, same key, same body). `onAck` sees the answers so far.
 */
export async function stream(
  target: Target,
  requests: readonly Request[],
  concurrency: number,
  onAck: (acks: ReadonlyMap<string, Ack>) => void,
  /** Says why retrying is pointless (e.g. the server process is gone), to fail at once rather than at the deadline. */
  hopeless: () => string | null = () => null,
): Promise<StreamResult> {
  const result: StreamResult = { acks: new Map(), retries: 0, errors: [] };
  const deadline = Date.now() + 45_000;
  let next = 0;
  const client = async () => {
    while (next < requests.length) {
      const r = requests[next++]!;
      for (let attempt = 1; ; attempt++) {
        const generation = target.generation;
        const res = await send(target, r);
        if ('status' in res && res.status < 500) {
          result.acks.set(r.key, { status: res.status, body: res.body, generation, at: Date.now() });
          onAck(result.acks);
          break;
        }
        result.retries++;
        if (result.errors.length < 10) result.errors.push(`${r.key} try ${attempt}: ${'error' in res ? res.error : `${res.status} ${JSON.stringify(res.body).slice(0, 200)}`}`);
        const gone = hopeless();
        if (gone) throw new Error(why(`${r.key}: ${gone}; first failures: ${result.errors.join('; ')}`));
        if (Date.now() > deadline) throw new Error(why(`${r.key} still unanswered after ${attempt} tries; first failures: ${result.errors.join('; ')}`));
        await new Promise((resolve) => setTimeout(resolve, 50 + Math.min(attempt, 5) * 40));
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  return result;
}

/** (a), (b), (c): every acknowledged request exists once, none lost, none twice; the store's invariants hold. */
export async function checkStore(ctx: AppContext, requests: readonly Request[], result: StreamResult): Promise<void> {
  const db = ctx.store.db;
  const refused = [...result.acks].filter(([, a]) => a.status !== 201).map(([k, a]) => `${k}: ${a.status} ${JSON.stringify(a.body).slice(0, 200)}`);
  expect(refused, why('every request was accepted (201)')).toEqual([]);
  expect(result.acks.size, why('every request was answered')).toBe(requests.length);

  const orders = requests.filter((r) => r.kind === 'order');
  const rows = await db.selectFrom('sales_order').select(['id', 'reference']).execute();
  const byRef = new Map<string, string[]>();
  for (const row of rows) byRef.set(row.reference ?? '', [...(byRef.get(row.reference ?? '') ?? []), row.id]);
  const twice = [...byRef].filter(([, ids]) => ids.length > 1).map(([ref, ids]) => `${ref}: ${ids.join(', ')}`);
  expect(twice, why('no order was created twice')).toEqual([]);
  expect(rows.length, why('one order per order key')).toBe(orders.length);
  const mismatched = orders.filter((r) => byRef.get(r.key)?.[0] !== result.acks.get(r.key)?.body.order?.id).map((r) => r.key);
  expect(mismatched, why('the acknowledged order id is the stored one')).toEqual([]);

  const receipts = requests.filter((r) => r.kind === 'receipt');
  const moves = await db.selectFrom('movement').select(['source_id', 'quantity', 'sku_id', 'warehouse_id']).where('kind', '=', 'receipt').where('source_id', '!=', 'seed').execute();
  const movesByRef = new Map<string, number>();
  for (const m of moves) movesByRef.set(m.source_id ?? '', (movesByRef.get(m.source_id ?? '') ?? 0) + 1);
  expect([...movesByRef].filter(([, n]) => n > 1), why('no receipt was booked twice')).toEqual([]);
  expect(moves.length, why('one receipt movement per receipt key')).toBe(receipts.length);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  expect(sum(moves.map((m) => m.quantity)), why('received units')).toBe(sum(receipts.map((r) => r.body.quantity as number)));

  expect(await findViolations(db), why('ledger = levels, allocations = allocated, every ordered unit accounted for')).toEqual([]);
}

/**
 * (d): the outbox delivers every message. Waits until nothing is pending or being sent, then every email row is
 * delivered and its Message-ID arrived at the mail server at least once (at-least-once delivery: a message in
 * flight at a crash may arrive twice, which the message says).
 */
export async function checkOutbox(ctx: AppContext, smtp: TestSmtpServer, timeoutMs = 20_000): Promise<{ messages: number; duplicates: number }> {
  const db = ctx.store.db;
  const until = Date.now() + timeoutMs;
  let open: { id: string; status: string; attempts: number; last_error: string | null; lease_until: string | null }[] = [];
  for (;;) {
    open = await db.selectFrom('message').select(['id', 'status', 'attempts', 'last_error', 'lease_until']).where('status', 'in', ['pending', 'sending']).execute();
    if (open.length === 0 || Date.now() > until) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const arrivedIds = new Set(smtp.mails.map((m) => m.messageId));
  const stuck = open.map((m) => `${m.id} ${m.status} attempts ${m.attempts} lease ${m.lease_until} error ${m.last_error}${arrivedIds.has(`${m.id}@raincheck`) ? ' (arrived at the mail server)' : ''}`);
  expect(open.length, why(`message(s) still pending or sending after ${timeoutMs} ms (now ${new Date().toISOString()}): ${stuck.slice(0, 5).join('; ')}`)).toBe(0);
  const rows = await db.selectFrom('message').select(['id', 'channel', 'status', 'last_error']).execute();
  expect(rows.length, why('the scenario produced messages')).toBeGreaterThan(0);
  const undelivered = rows.filter((m) => m.channel !== 'email' || m.status !== 'delivered');
  expect(undelivered.slice(0, 5), why(`${undelivered.length} message(s) not delivered by email`)).toEqual([]);
  const arrived = new Map<string, number>();
  for (const m of smtp.mails) arrived.set(m.messageId, (arrived.get(m.messageId) ?? 0) + 1);
  const duplicates = [...arrived.values()].filter((n) => n > 1).length;
  const missing = rows.filter((m) => !arrived.has(`${m.id}@raincheck`)).map((m) => m.id);
  expect(missing.slice(0, 5), why(`${missing.length} delivered message(s) never reached the mail server (${duplicates} arrived more than once)`)).toEqual([]);
  const strangers = [...arrived.keys()].filter((id) => !rows.some((m) => `${m.id}@raincheck` === id));
  expect(strangers, why('every mail received is an outbox message')).toEqual([]);
  return { messages: rows.length, duplicates };
}
