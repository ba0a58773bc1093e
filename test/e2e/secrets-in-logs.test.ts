/**
 * Secrets never reach the logs: a real server logging everything it can (LOG_LEVEL=trace, every request) is called
 * with a key, signs a dashboard session in, changes something through it, and is refused a wrong key; neither the
 * keys, nor the session cookie, nor its CSRF token appear anywhere in what it wrote.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../support/engines.js';
import { startServer, testAdminKey, type ServerProcess } from '../support/server-process.js';
import type { TestDatabase } from '../support/engines.js';

describe('secrets in logs', () => {
  let db: TestDatabase;
  let server: ServerProcess;
  beforeAll(async () => {
    db = await engines[0]!.create();
    server = await startServer(db.url, { env: { LOG_LEVEL: 'trace', LOG_REQUESTS: '1' } });
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  it('writes no key, session token or CSRF token', async () => {
    const call = (path: string, init: RequestInit = {}) => fetch(`${server.baseUrl}${path}`, init);
    const json = { 'content-type': 'application/json' };
    const admin = { authorization: `Bearer ${testAdminKey}` };
    const made = (await (await call('/api-keys', { method: 'POST', headers: { ...admin, ...json }, body: JSON.stringify({ name: 'ops', role: 'planner' }) })).json()) as { secret: string };
    const planner = made.secret;
    expect((await call('/skus', { headers: { authorization: `Bearer ${planner}` } })).status).toBe(200);
    const signIn = await call('/auth/session', { method: 'POST', headers: json, body: JSON.stringify({ key: planner }) });
    expect(signIn.status).toBe(201);
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    const { csrfToken } = (await signIn.json()) as { csrfToken: string };
    const sku = await call('/skus', { method: 'POST', headers: { cookie, 'x-csrf-token': csrfToken, ...json }, body: JSON.stringify({ id: 'S1', name: 'Sprocket', unitCostMinor: 100, backorderPolicy: 'allow' }) });
    expect(sku.status).toBe(201);
    const wrong = `${planner.slice(0, -4)}AAAA`;
    expect((await call('/skus', { headers: { authorization: `Bearer ${wrong}` } })).status).toBe(401);
    expect((await call('/auth/session', { method: 'POST', headers: json, body: JSON.stringify({ key: wrong }) })).status).toBe(401);
    await server.stop();

    const written = server.stderr();
    expect(written).toContain('/auth/session'); // it did log the requests
    for (const secret of [testAdminKey, planner, wrong, cookie.split('=')[1]!, csrfToken]) {
      expect(written).not.toContain(secret);
      expect(written).not.toContain(secret.slice(-20));
    }
  }, 60_000);
});
