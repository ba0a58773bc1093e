/**
 * A real SMTP server for tests (smtp-server, in this process, no TLS, no auth): it keeps every message it accepts,
 * decoded just enough to assert on (headers, RFC 2047 subject, quoted-printable/base64 text and HTML parts). It can
 * be stopped and started again on the same port to play a mail server that goes down, and can refuse recipients
 * with a permanent 550.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  /** Envelope sender and recipients, as the SMTP session gave them. */
  from: string;
  to: string[];
  /** Lower-case header name -> unfolded, decoded value (the first occurrence). */
  headers: Map<string, string>;
  subject: string;
  /** The Message-ID header without angle brackets. */
  messageId: string;
  text: string;
  html: string;
  raw: string;
}

export interface TestSmtpServer {
  /** `smtp://127.0.0.1:<port>?tls=off`, what SMTP_URL takes. */
  url: string;
  port: number;
  mails: ReceivedMail[];
  /** Recipients refused with `550 mailbox unavailable` (a permanent failure). */
  refuse: Set<string>;
  /** Closes the listening socket and drops open connections: clients get ECONNREFUSED until `start`. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
  /** Resolves once at least `count` mails have arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<void>;
}

export async function startSmtpServer(): Promise<TestSmtpServer> {
  const mails: ReceivedMail[] = [];
  const refuse = new Set<string>();
  let server: SMTPServer | null = null;
  let port = 0;

  const listen = async (): Promise<void> => {
    const s = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      closeTimeout: 50,
      size: 10 * 1024 * 1024,
      onRcptTo(address, _session, callback) {
        if (!refuse.has(address.address.toLowerCase())) return callback();
        callback(Object.assign(new Error(`mailbox ${address.address} unavailable`), { responseCode: 550 }));
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
          mails.push(parseMail(Buffer.concat(chunks), from, session.envelope.rcptTo.map((r) => r.address)));
          callback();
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => {
        s.off('error', reject);
        resolve();
      });
    });
    // The server swallows connection errors of clients that vanish; an unhandled 'error' would crash the run.
    s.on('error', () => {});
    port = (s.server.address() as AddressInfo).port;
    server = s;
  };

  await listen();
  const url = `smtp://127.0.0.1:${port}?tls=off`;
  return {
    url,
    port,
    mails,
    refuse,
    async stop() {
      const s = server;
      server = null;
      if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
    },
    async start() {
      if (!server) await listen();
    },
    async waitFor(count, timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      while (mails.length < count) {
        if (Date.now() > until) throw new Error(`expected ${count} mails within ${timeoutMs} ms, got ${mails.length}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
  };
}

interface Part {
  headers: Map<string, string>;
  body: string;
}

/** Splits a header block (latin1 text) from its body and unfolds the header lines. */
function splitPart(raw: string): Part {
  const at = raw.indexOf('\r\n\r\n');
  const head = at < 0 ? raw : raw.slice(0, at);
  const body = at < 0 ? '' : raw.slice(at + 4);
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, decodeWords(line.slice(colon + 1).trim()));
  }
  return { headers, body };
}

const param = (value: string, name: string): string | null => {
  const m = new RegExp(`${name}="?([^";]+)"?`, 'i').exec(value);
  return m ? m[1]! : null;
};

/** The decoded text of a leaf part (UTF-8 assumed, as nodemailer sends). */
function decodeBody(part: Part): string {
  const encoding = (part.headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  if (encoding === 'base64') return Buffer.from(part.body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') return quotedPrintable(part.body);
  return Buffer.from(part.body, 'latin1').toString('utf8');
}

function quotedPrintable(s: string): string {
  const text = s.replace(/=\r\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const hex = text.slice(i + 1, i + 3);
    if (text[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(text.charCodeAt(i) & 0xff);
  }
  return Buffer.from(bytes).toString('utf8');
}

/** RFC 2047 encoded words (`=?UTF-8?Q?...?=`, `=?UTF-8?B?...?=`); whitespace between two of them is dropped. */
function decodeWords(value: string): string {
  const joined = value.replace(/(\?=)\s+(=\?)/g, '$1$2');
  return joined.replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_, _charset: string, kind: string, text: string) =>
    kind.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : quotedPrintable(text.replace(/_/g, ' ')),
  );
}

/** Leaf parts of a (possibly nested) multipart body. */
function leaves(part: Part): Part[] {
  const type = part.headers.get('content-type') ?? 'text/plain';
  if (!/^multipart\//i.test(type)) return [part];
  const boundary = param(type, 'boundary');
  if (!boundary) return [];
  const sections = part.body.split(`--${boundary}`).slice(1);
  return sections.filter((s) => !s.startsWith('--')).flatMap((s) => leaves(splitPart(s.replace(/^\r\n/, '').replace(/\r\n$/, ''))));
}

export function parseMail(data: Buffer, from: string, to: string[]): ReceivedMail {
  const top = splitPart(data.toString('latin1'));
  const parts = leaves(top);
  const of = (type: string) => parts.find((p) => (p.headers.get('content-type') ?? 'text/plain').toLowerCase().startsWith(type));
  const text = of('text/plain');
  const html = of('text/html');
  return {
    from,
    to,
    headers: top.headers,
    subject: top.headers.get('subject') ?? '',
    messageId: (top.headers.get('message-id') ?? '').replace(/^<|>$/g, ''),
    text: text ? decodeBody(text) : '',
    html: html ? decodeBody(html) : '',
    raw: data.toString('utf8'),
  };
}
