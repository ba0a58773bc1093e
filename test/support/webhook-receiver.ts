/**
 * A real HTTP webhook receiver for tests (node:http on 127.0.0.1, a free port): it reads every request in full and
 * records it; what it answers is up to the test (a status per request, possibly after a delay, or held until the
 * test releases it). `verifySignature` checks `raincheck-signature` independently of the code under test.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  /** 1-based arrival order. */
  seq: number;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  idempotencyKey: string;
  eventId: string;
  eventType: string;
  signature: string;
  receivedAt: number;
  /** The status answered, once the response was handed to the socket in full; null while held or if dropped. */
  status: number | null;
  answeredAt: number | null;
}

/** What to answer: a status, or a promise of one (a held request); `'drop'` destroys the connection unanswered. */
export type Responder = (req: ReceivedWebhook) => number | 'drop' | Promise<number | 'drop'>;

export interface WebhookReceiver {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:40123`. */
  url: string;
  requests: ReceivedWebhook[];
  respondWith(responder: Responder): void;
  /** Requests not answered yet (held). */
  held(): ReceivedWebhook[];
  /** Destroys the connections of held requests (what a client that died leaves behind). */
  dropHeld(): void;
  /** Resolves once `predicate` holds for the requests received so far. */
  waitUntil(predicate: (requests: ReceivedWebhook[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

const header = (h: IncomingHttpHeaders, name: string): string => {
  const v = h[name];
  return Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
};

export async function startWebhookReceiver(responder: Responder = () => 200): Promise<WebhookReceiver> {
  const requests: ReceivedWebhook[] = [];
  const open = new Map<ReceivedWebhook, ServerResponse>();
  let respond = responder;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: ReceivedWebhook = {
        seq: requests.length + 1,
        path: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        idempotencyKey: header(req.headers, 'idempotency-key'),
        eventId: header(req.headers, 'raincheck-event-id'),
        eventType: header(req.headers, 'raincheck-event-type'),
        signature: header(req.headers, 'raincheck-signature'),
        receivedAt: Date.now(),
        status: null,
        answeredAt: null,
      };
      requests.push(r);
      open.set(r, res);
      void Promise.resolve(respond(r)).then((status) => {
        if (!open.has(r)) return;
        open.delete(r);
        if (status === 'drop' || res.destroyed) {
          res.destroy();
          return;
        }
        res.once('finish', () => {
          r.status = status;
          r.answeredAt = Date.now();
        });
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ received: r.idempotencyKey }));
      });
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    respondWith(r) {
      respond = r;
    },
    held: () => [...open.keys()],
    dropHeld() {
      for (const [r, res] of open) {
        open.delete(r);
        res.destroy();
      }
    },
    async waitUntil(predicate, timeoutMs = 15_000) {
      const until = Date.now() + timeoutMs;
      while (!predicate(requests)) {
        if (Date.now() > until) throw new Error(`webhook receiver: condition not met within ${timeoutMs} ms (${requests.length} requests so far)`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    async close() {
      for (const res of open.values()) res.destroy();
      open.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type SignatureCheck = { ok: true; timestamp: number } | { ok: false; why: string };

/**
 * Checks `t=<unix>,v1=<hex>` against HMAC-SHA256(secret, "<t>.<body>") and that t is within `toleranceSeconds` of
 * `nowSeconds` (the receiver's replay window).
 */
export function verifySignature(headerValue: string, body: string, secret: string, nowSeconds: number, toleranceSeconds = 300): SignatureCheck {
  const fields = new Map(headerValue.split(',').map((kv) => [kv.slice(0, kv.indexOf('=')).trim(), kv.slice(kv.indexOf('=') + 1).trim()] as const));
  const t = fields.get('t');
  const v1 = fields.get('v1');
  if (!t || !/^\d+$/.test(t) || !v1 || !/^[0-9a-f]{64}$/.test(v1)) return { ok: false, why: `malformed signature header '${headerValue}'` };
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  if (!timingSafeEqual(expected, Buffer.from(v1, 'hex'))) return { ok: false, why: 'signature does not match' };
  const timestamp = Number(t);
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return { ok: false, why: `timestamp ${timestamp} is ${nowSeconds - timestamp} s from now` };
  return { ok: true, timestamp };
}
