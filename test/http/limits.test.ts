/**
 * Abuse limits at the socket: a client that sends its request too slowly is cut off (each one holds a socket), a body
 * over 1 MiB is refused before it is read whole, a page over 500 items is refused; the rest (rate limits, roles) is
 * in access.test.ts.
 */
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { engines } from '../support/engines.js';
import { openTestApp, type TestContext } from '../support/context.js';

describe('limits', () => {
  let t: TestContext & { app: FastifyInstance; adminKey: string };
  let port: number;
  beforeAll(async () => {
    t = await openTestApp(engines[0]!, { requestTimeoutMs: 500, idleTimeoutMs: 1_000 });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as AddressInfo).port;
  });
  afterAll(async () => t?.close());

  /** Sends `text`, then nothing; resolves with what the server answered once it closed the socket, and when. */
  const stall = (text: string) =>
    new Promise<{ answer: string; ms: number }>((resolve, reject) => {
      const started = performance.now();
      const socket = connect(port, '127.0.0.1', () => socket.write(text));
      let answer = '';
      socket.setEncoding('utf8');
      socket.on('data', (d: string) => (answer += d));
      socket.on('close', () => resolve({ answer, ms: performance.now() - started }));
      socket.on('error', reject);
      setTimeout(() => (socket.destroy(), reject(new Error('still open after 5 s'))), 5_000);
    });

  it('cuts off a client that does not finish its headers in time (408)', async () => {
    const { answer, ms } = await stall(`GET /backorders HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${t.adminKey}\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(ms).toBeGreaterThanOrEqual(400);
  });

  it('closes a socket whose body stalls half sent, and writes nothing', async () => {
    const head = `POST /orders HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${t.adminKey}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n`;
    const { ms } = await stall(`${head}{"cust`);
    expect(ms).toBeGreaterThanOrEqual(900);
    expect(await t.ctx.store.db.selectFrom('sales_order').select('id').execute()).toEqual([]);
  });

  it('refuses a body over 1 MiB and a page over 500 items, naming the limit', async () => {
    const big = await t.app.inject({ method: 'POST', url: '/orders', payload: { customerId: 'x'.repeat(1024 * 1024), lines: [] } });
    expect(big.statusCode).toBe(413);
    expect(big.json().detail).toContain('1048576 bytes');
    const page = await t.app.inject({ method: 'GET', url: '/backorders?limit=501' });
    expect(page.statusCode).toBe(400);
    expect(page.json().field).toBe('limit');
  });
});
