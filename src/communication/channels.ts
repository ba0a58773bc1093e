/**
 * The two ways out: SMTP (nodemailer, pooled connections) and HTTPS webhooks (fetch with keep-alive). Each send
 * says whether a failure is worth retrying: timeouts, refused connections, SMTP 4xx and HTTP 5xx/408/429 are;
 * a mailbox that does not exist (SMTP 5xx) or a receiver that rejects the request (HTTP 4xx) is not.
 */
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
      try {
        const res = await fetch(m.url, {
          method: 'POST',
          body: m.body,
          signal: AbortSignal.timeout(timeoutMs),
          redirect: 'manual',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'Raincheck-Webhooks/1',
            'raincheck-signature': signatureHeader(m.secret, m.body, Math.floor(nowMs / 1000)),
            'raincheck-event-id': m.eventId,
            'raincheck-event-type': m.eventType,
            'idempotency-key': m.messageId,
          },
        });
        await res.arrayBuffer().catch(() => undefined);
        if (res.ok) return { ok: true };
        const retry = res.status >= 500 || res.status === 408 || res.status === 429;
        return { ok: false, retry, error: `webhook: HTTP ${res.status}` };
      } catch (e) {
        const err = e as Error & { cause?: { code?: string } };
        return { ok: false, retry: true, error: `webhook: ${err.name === 'TimeoutError' ? 'timed out' : (err.cause?.code ?? err.message)}` };
      }
    },
    async close() {
      transport?.close();
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
