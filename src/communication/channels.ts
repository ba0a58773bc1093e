/**
 * The two ways out: SMTP (nodemailer, pooled connections) and HTTPS webhooks (fetch with keep-alive). Each send
 * says whether a failure is worth retrying: timeouts, refused connections, SMTP 4xx and HTTP 5xx/408/429 are;
 * a mailbox that does not exist (SMTP 5xx) or a receiver that rejects the request (HTTP 4xx) is not.
 */
import http from 'node:http';
import https from 'node:https';
import nodemailer, { type Transporter } from 'nodemailer';
import { signatureHeader } from './webhooks.js';

export type SendOutcome = { ok: true } | { ok: false; retry: boolean; error: string };

export interface EmailToSend {
  messageId: string;
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  language: string;
}

export interface WebhookToSend {
  messageId: string;
  url: string;
  secret: string;
  body: string;
  eventId: string;
  eventType: string;
}

export interface Channels {
  email(m: EmailToSend, timeoutMs: number): Promise<SendOutcome>;
  webhook(m: WebhookToSend, timeoutMs: number, nowMs: number): Promise<SendOutcome>;
  close(): Promise<void>;
}

/** The real channels; without an SMTP URL, email fails as retryable (it waits in the outbox for a server). */
export function realChannels(smtpUrl: string | undefined): Channels {
  const transport: Transporter | null = smtpUrl ? nodemailer.createTransport(smtpTransportOptions(smtpUrl)) : null;
  // Keep-alive connections per receiver: node:http rather than fetch, whose Request/stream machinery cost more CPU
  // than the rest of a delivery.
  const agents = { http: new http.Agent({ keepAlive: true, maxSockets: 64 }), https: new https.Agent({ keepAlive: true, maxSockets: 64 }) };
  return {
    async email(m, timeoutMs) {
      if (!transport) return { ok: false, retry: true, error: 'no SMTP server configured (set SMTP_URL)' };
      try {
        await withTimeout(
          transport.sendMail({
            from: m.from,
            to: m.to,
            subject: m.subject,
            text: m.text,
            html: m.html,
            // The outbox id is the Message-ID: a receiving system can drop a copy re-sent after a crash.
            messageId: `<${m.messageId}@raincheck>`,
            headers: { 'Content-Language': m.language, 'X-Raincheck-Message-Id': m.messageId },
          }),
          timeoutMs,
        );
        return { ok: true };
      } catch (e) {
        const err = e as { responseCode?: number; message?: string; code?: string };
        const permanent = typeof err.responseCode === 'number' && err.responseCode >= 500;
        return { ok: false, retry: !permanent, error: `smtp: ${err.code ?? ''} ${err.responseCode ?? ''} ${err.message ?? String(e)}`.replace(/\s+/g, ' ').trim() };
      }
    },
    async webhook(m, timeoutMs, nowMs) {
      const headers = {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(m.body)),
        'user-agent': 'Raincheck-Webhooks/1',
        'raincheck-signature': signatureHeader(m.secret, m.body, Math.floor(nowMs / 1000)),
        'raincheck-event-id': m.eventId,
        'raincheck-event-type': m.eventType,
        'idempotency-key': m.messageId,
      };
      const answer = await post(new URL(m.url), m.body, headers, timeoutMs, agents);
      if ('error' in answer) return { ok: false, retry: true, error: `webhook: ${answer.error}` };
      if (answer.status >= 200 && answer.status < 300) return { ok: true };
      // Redirects are not followed (the signature names this URL); 408, 429 and 5xx are worth another try.
      const retry = answer.status >= 500 || answer.status === 408 || answer.status === 429;
      return { ok: false, retry, error: `webhook: HTTP ${answer.status}` };
    },
    async close() {
      transport?.close();
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}

function smtpTransportOptions(smtpUrl: string) {
  const url = new URL(smtpUrl);
  return {
    pool: true,
    maxConnections: 5,
    maxMessages: Infinity,
    host: url.hostname,
    port: Number(url.port || (url.protocol === 'smtps:' ? 465 : 587)),
    secure: url.protocol === 'smtps:',
    // Local and test servers often offer no certificate; STARTTLS is still used when offered.
    ignoreTLS: url.searchParams.get('tls') === 'off',
    tls: { rejectUnauthorized: url.searchParams.get('tls') !== 'insecure' },
    ...(url.username ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } } : {}),
  };
}

async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`timed out after ${ms} ms`), { code: 'ETIMEDOUT' })), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** POSTs a body; resolves with the status, or with why no status came (timeout, refused, reset). */
function post(url: URL, body: string, headers: Record<string, string>, timeoutMs: number, agents: { http: http.Agent; https: https.Agent }): Promise<{ status: number } | { error: string }> {
  const secure = url.protocol === 'https:';
  return new Promise((resolve) => {
    const req = (secure ? https : http).request(url, { method: 'POST', headers, agent: secure ? agents.https : agents.http, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
      res.on('error', (e) => resolve({ error: (e as NodeJS.ErrnoException).code ?? e.message }));
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timed out'), { code: 'timed out' })));
    req.on('error', (e) => resolve({ error: (e as NodeJS.ErrnoException).code ?? e.message }));
    req.end(body);
  });
}
