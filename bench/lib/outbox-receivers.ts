/**
 * The far side of the outbox benchmark, in a process of its own (so its CPU is not the sender's): an SMTP server
 * (smtp-server, no TLS) that reads every message in full, and an HTTP webhook receiver that reads every body and
 * verifies its `raincheck-signature` (HMAC-SHA256 over "<t>.<body>", timestamp within 5 minutes) before answering
 * 200. Both count what they got and the duplicates (same Message-ID / idempotency-key). Talks to its parent over
 * IPC: sends `{ type: 'ready', smtpPort, httpPort }`; takes `{ type: 'secret', secret }` and `{ type: 'stats' }`.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceiverStats {
  emails: number;
  emailBytes: number;
  emailDuplicates: number;
  emailsWithoutId: number;
  webhooks: number;
  webhookDuplicates: number;
  badSignatures: number;
  firstBadSignature: string | null;
  cpuUserMs: number;
  cpuSystemMs: number;
}

const stats: ReceiverStats = {
  emails: 0,
  emailBytes: 0,
  emailDuplicates: 0,
  emailsWithoutId: 0,
  webhooks: 0,
  webhookDuplicates: 0,
  badSignatures: 0,
  firstBadSignature: null,
  cpuUserMs: 0,
  cpuSystemMs: 0,
};
const mailIds = new Set<string>();
const hookKeys = new Set<string>();
let secret: Buffer | null = null;

function checkSignature(header: string, body: Buffer): string | null {
  if (!secret) return 'no secret yet';
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
  if (!m) return `malformed header '${header}'`;
  const expected = createHmac('sha256', secret).update(`${m[1]}.`).update(body).digest();
  if (!timingSafeEqual(expected, Buffer.from(m[2]!, 'hex'))) return 'signature mismatch';
  if (Math.abs(Date.now() / 1000 - Number(m[1])) > 300) return `stale timestamp ${m[1]}`;
  return null;
}

const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  size: 10 * 1024 * 1024,
  maxClients: 1000,
  onData(stream, _session, callback) {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      const data = Buffer.concat(chunks);
      stats.emails++;
      stats.emailBytes += data.length;
      const head = data.subarray(0, Math.min(data.length, 8192)).toString('latin1');
      const id = /^message-id:\s*<([^>]+)>/im.exec(head)?.[1];
      if (!id) stats.emailsWithoutId++;
      else if (mailIds.has(id)) stats.emailDuplicates++;
      else mailIds.add(id);
      callback();
    });
  },
});
smtp.on('error', () => {});

const http = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const problem = checkSignature(String(req.headers['raincheck-signature'] ?? ''), body);
    if (problem) {
      stats.badSignatures++;
      stats.firstBadSignature ??= problem;
      res.writeHead(400).end();
      return;
    }
    // A receiver parses what it accepts; a body that is not JSON would throw here and fail the request.
    const event = JSON.parse(body.toString('utf8')) as { id?: string };
    const key = String(req.headers['idempotency-key'] ?? '');
    stats.webhooks++;
    if (hookKeys.has(key)) stats.webhookDuplicates++;
    else hookKeys.add(key);
    res.writeHead(200, { 'content-type': 'application/json' }).end(`{"received":"${event.id ?? ''}"}`);
  });
});
http.keepAliveTimeout = 30_000;

await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));

process.on('message', (m: { type: string; secret?: string }) => {
  if (m.type === 'secret' && m.secret) secret = Buffer.from(m.secret, 'utf8');
  if (m.type === 'stats') {
    const cpu = process.cpuUsage();
    process.send!({ type: 'stats', stats: { ...stats, cpuUserMs: cpu.user / 1000, cpuSystemMs: cpu.system / 1000 } });
  }
});
process.on('disconnect', () => process.exit(0));
process.send!({ type: 'ready', smtpPort: (smtp.server.address() as AddressInfo).port, httpPort: (http.address() as AddressInfo).port });
