/**
 * Who may do what, on both engines: the role matrix over every route the API has (written out here as the spec, so a
 * change to src/access/policy.ts that opens or closes a route fails until the spec agrees); API keys shown once and
 * stored hashed; dashboard sessions (HttpOnly, SameSite=Strict cookie, CSRF token for changes, expiry, sign-out,
 * revocation); the audit log; rate limits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { engines } from '../support/engines.js';
import { customer, openTestApp, seedCatalog, sku, type TestContext } from '../support/context.js';
import { listedRoutes, roles, type Role } from '../../src/access/policy.js';
import { sha256 } from '../../src/access/keys.js';

type TestApp = TestContext & { app: FastifyInstance; adminKey: string; keyFor(role: Role): Promise<string> };

/**
 * The spec: a = admin, p = planner, g = agent (customer service), v = viewer, i = integration; `*` public.
 * Reads are for staff (a p g v) unless listed otherwise.
 */
const spec: Record<string, string> = {
  'POST /skus': 'ap', 'PATCH /skus/:id': 'ap', 'PUT /skus/:id/alternates': 'ap',
  'POST /warehouses': 'a', 'PATCH /warehouses/:id': 'a',
  'POST /customers': 'ag', 'PATCH /customers/:id': 'ag',
  'POST /suppliers': 'ap', 'PATCH /suppliers/:id': 'ap', 'PUT /suppliers/:id/items/:skuId': 'ap',
  'POST /stock/receipts': 'ap', 'POST /stock/adjustments': 'ap', 'POST /stock/transfers': 'ap', 'POST /transfers/:id/arrive': 'ap',
  'POST /orders': 'agi', 'GET /orders/:id': 'apgvi', 'POST /orders/:id/shipments': 'apg',
  'POST /orders/:id/lines/:lineId/cancel': 'ag', 'POST /orders/:id/choices': 'ag', 'POST /quotes': 'apgi',
  'POST /backorders/repromise': 'ap', 'POST /backorders/notify': 'apg', 'POST /backorders/:id/cancel': 'ag',
  'POST /allocation/runs/dry-run': 'ap', 'POST /allocation/runs': 'ap',
  'PUT /settings/allocation': 'ap', 'PUT /settings/allocation/schedule': 'ap', 'PUT /settings/promises': 'ap',
  'POST /purchase-orders': 'ap', 'POST /purchase-orders/:id/place': 'ap', 'PATCH /purchase-orders/:id/lines/:lineId': 'ap',
  'POST /purchase-orders/:id/receipts': 'ap', 'POST /purchase-orders/:id/cancel': 'ap',
  'POST /replenishment/recommendations/approve': 'ap',
  'POST /webhooks': 'ai', 'GET /webhooks': 'ai', 'PATCH /webhooks/:id': 'ai',
  'POST /messages/:id/retry': 'ag', 'PUT /playbook': 'a', 'POST /playbook/validate': 'apg',
  'GET /api-keys': 'a', 'POST /api-keys': 'a', 'DELETE /api-keys/:id': 'a', 'GET /audit-log': 'a',
  'GET /status/:orderId': '*', 'POST /status/:orderId/choices': '*', 'GET /survey/:surveyId': '*', 'POST /survey/:surveyId': '*',
  'POST /auth/session': '*', 'GET /auth/session': '*', 'DELETE /auth/session': '*',
};
const letters: Record<string, Role> = { a: 'admin', p: 'planner', g: 'agent', v: 'viewer', i: 'integration' };
const allowedBySpec = (route: string): Role[] | '*' => {
  const s = spec[route] ?? (route.startsWith('GET ') ? 'apgv' : 'a');
  return s === '*' ? '*' : [...s].map((c) => letters[c]!);
};

/** Every documented operation as `METHOD /pattern` (OpenAPI's `{id}` as Fastify's `:id`). */
function documentedRoutes(app: FastifyInstance): string[] {
  const doc = app.swagger() as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`));
}

/** Refused by the access guard (not by the route itself: a customer page answers a bad link with its own 403 page). */
const askedForKey = (res: LightMyRequestResponse) => res.statusCode === 401 && res.headers['www-authenticate'] === 'Bearer realm="raincheck"';
const refusedRole = (res: LightMyRequestResponse) => res.statusCode === 403 && String(res.headers['content-type']).startsWith('application/problem+json') && res.json().code === 'forbidden';

const concrete = (pattern: string) => pattern.replace(/:(\w+)/g, 'NOPE-$1');
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

describe.each(engines)('access on $name', (engine) => {
  let t: TestApp;
  const keys = {} as Record<Role, string>;
  const auditRows = () => t.ctx.store.db.selectFrom('audit_log').selectAll().orderBy('id').execute();

  beforeAll(async () => {
    t = await openTestApp(engine);
    await seedCatalog(t.ctx, { skus: [sku('A')], customers: [customer('C1')] });
    for (const role of roles) keys[role] = await t.keyFor(role);
  });
  afterAll(async () => t?.close());

  it('gives each role exactly the routes the spec gives it, and asks everyone else for a key', async () => {
    const routes = documentedRoutes(t.app);
    expect(routes.length).toBeGreaterThan(80);
    // The policy names no route that does not exist (a renamed route would leave its rule behind).
    const real = new Set([...routes, 'GET /', 'GET /assets/:file', 'GET /health', 'GET /openapi.json']);
    expect(listedRoutes().filter((r) => !real.has(r))).toEqual([]);
    const wrong: string[] = [];
    for (const route of routes) {
      const [method, pattern] = route.split(' ') as [string, string];
      const allowed = allowedBySpec(route);
      const url = concrete(pattern);
      for (const role of roles) {
        const res = await t.app.inject({ method: method as 'GET', url, headers: bearer(keys[role]), ...(method === 'GET' || method === 'DELETE' ? {} : { payload: {} }) });
        const should = allowed !== '*' && !allowed.includes(role);
        if (refusedRole(res) !== should || askedForKey(res)) wrong.push(`${route} as ${role}: ${res.statusCode} ${should ? '(should be 403)' : ''}`);
      }
      const anonymous = await t.app.inject({ method: method as 'GET', url, headers: { authorization: '' } });
      if (askedForKey(anonymous) !== (allowed !== '*')) wrong.push(`${route} without a key: ${anonymous.statusCode}`);
    }
    expect(wrong).toEqual([]);
  }, 60_000);

  it('refuses with a problem that names the role and who may, and changes nothing', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/stock/receipts', headers: bearer(keys.viewer), payload: { skuId: 'A', warehouseId: 'UK', quantity: 5 } });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'forbidden', detail: expect.stringContaining("role 'viewer' may not POST /stock/receipts (allowed: admin, planner)") });
    const levels = await t.ctx.store.db.selectFrom('stock_level').selectAll().where('sku_id', '=', 'A').execute();
    expect(levels.reduce((s, l) => s + l.on_hand, 0)).toBe(0);
    const anonymous = await t.app.inject({ method: 'GET', url: '/backorders', headers: { authorization: '' } });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().detail).toContain('Authorization: Bearer rck_');
    const garbled = await t.app.inject({ method: 'GET', url: '/backorders', headers: { authorization: 'Bearer rck_0123456789abcdef_' + 'x'.repeat(43) } });
    expect(garbled.statusCode).toBe(401);
  });

  it('shows a key once, stores only its hash, and stops it at once when revoked', async () => {
    const made = await t.app.inject({ method: 'POST', url: '/api-keys', payload: { name: 'shop', role: 'integration' } });
    expect(made.statusCode).toBe(201);
    const { id, secret } = made.json() as { id: string; secret: string };
    expect(secret).toMatch(/^rck_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    const listed = (await t.app.inject({ method: 'GET', url: '/api-keys' })).json() as { items: Record<string, unknown>[] };
    const entry = listed.items.find((k) => k.id === id)!;
    expect(entry).toMatchObject({ name: 'shop', role: 'integration', revokedAt: null });
    expect(JSON.stringify(listed)).not.toContain(secret.slice(21));
    const row = await t.ctx.store.db.selectFrom('api_key').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(Object.values(row).join(' ')).not.toContain(secret.slice(21));
    expect(row.secret_hash).toBe(sha256(secret.slice(21)));

    expect((await t.app.inject({ method: 'POST', url: '/orders', headers: bearer(secret), payload: { customerId: 'C1', lines: [{ skuId: 'A', quantity: 1 }] } })).statusCode).toBe(201);
    expect((await t.app.inject({ method: 'DELETE', url: `/api-keys/${id}` })).json()).toMatchObject({ id, revokedAt: expect.any(String) });
    const after = await t.app.inject({ method: 'GET', url: `/webhooks`, headers: bearer(secret) });
    expect(after.statusCode).toBe(401);
    // The key in use cannot cut the branch it sits on; bad input names the field.
    const adminId = t.adminKey.slice(4, 20);
    expect((await t.app.inject({ method: 'DELETE', url: `/api-keys/${adminId}` })).statusCode).toBe(409);
    const bad = await t.app.inject({ method: 'POST', url: '/api-keys', payload: { name: 'x', role: 'root' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('role');
  });

  it('signs the dashboard in with a cookie it cannot read, and wants the CSRF token for changes', async () => {
    const signIn = await t.app.inject({ method: 'POST', url: '/auth/session', headers: { authorization: '' }, payload: { key: keys.planner } });
    expect(signIn.statusCode).toBe(201);
    const cookieHeader = String(signIn.headers['set-cookie']);
    expect(cookieHeader).toMatch(/^raincheck_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200$/);
    const cookie = cookieHeader.split(';')[0]!;
    const { csrfToken, role, name } = signIn.json() as { csrfToken: string; role: string; name: string };
    expect({ role, name }).toEqual({ role: 'planner', name: 'test planner' });
    const token = cookie.split('=')[1]!;
    const stored = await t.ctx.store.db.selectFrom('session').selectAll().execute();
    expect(stored.map((s) => s.token_hash)).toContain(sha256(token));
    expect(JSON.stringify(stored)).not.toContain(token);

    expect((await t.app.inject({ method: 'GET', url: '/auth/session', headers: { cookie } })).json()).toMatchObject({ session: { role: 'planner', csrfToken } });
    expect((await t.app.inject({ method: 'GET', url: '/stock', headers: { cookie } })).statusCode).toBe(200);
    const receipt = { skuId: 'A', warehouseId: 'UK', quantity: 3 };
    const forged = await t.app.inject({ method: 'POST', url: '/stock/receipts', headers: { cookie }, payload: receipt });
    expect(forged.statusCode).toBe(403);
    expect(forged.json().detail).toContain('X-CSRF-Token');
    const wrongToken = await t.app.inject({ method: 'POST', url: '/stock/receipts', headers: { cookie, 'x-csrf-token': 'x'.repeat(32) }, payload: receipt });
    expect(wrongToken.statusCode).toBe(403);
    const onHand = async () => (await t.ctx.store.db.selectFrom('stock_level').select('on_hand').where('sku_id', '=', 'A').where('warehouse_id', '=', 'UK').executeTakeFirst())?.on_hand ?? 0;
    const before = await onHand();
    const real = await t.app.inject({ method: 'POST', url: '/stock/receipts', headers: { cookie, 'x-csrf-token': csrfToken }, payload: receipt });
    expect(real.statusCode).toBe(201);
    expect(await onHand()).toBe(before + 3);
    // A role's limits hold through a session too.
    expect((await t.app.inject({ method: 'PUT', url: '/playbook', headers: { cookie, 'x-csrf-token': csrfToken }, payload: {} })).statusCode).toBe(403);

    const out = await t.app.inject({ method: 'DELETE', url: '/auth/session', headers: { cookie } });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toContain('Max-Age=0');
    expect((await t.app.inject({ method: 'GET', url: '/stock', headers: { cookie } })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/auth/session', headers: { cookie } })).json()).toEqual({ session: null });
    expect((await t.app.inject({ method: 'POST', url: '/auth/session', headers: { authorization: '' }, payload: { key: 'rck_nope' } })).statusCode).toBe(401);
  });

  it('ends sessions when they expire or their key is revoked', async () => {
    const key = await t.keyFor('agent');
    const open = async () => String((await t.app.inject({ method: 'POST', url: '/auth/session', headers: { authorization: '' }, payload: { key } })).headers['set-cookie']).split(';')[0]!;
    const first = await open();
    t.clock.advance(13 * 3_600_000);
    try {
      const expired = await t.app.inject({ method: 'GET', url: '/backorders', headers: { cookie: first } });
      expect(expired.statusCode).toBe(401);
      expect(expired.json().detail).toContain('expired');
      const second = await open();
      expect((await t.app.inject({ method: 'GET', url: '/backorders', headers: { cookie: second } })).statusCode).toBe(200);
      const id = key.slice(4, 20);
      expect((await t.app.inject({ method: 'DELETE', url: `/api-keys/${id}` })).statusCode).toBe(200);
      expect((await t.app.inject({ method: 'GET', url: '/backorders', headers: { cookie: second } })).statusCode).toBe(401);
    } finally {
      t.clock.advance(-13 * 3_600_000);
    }
  });

  it('records every change and every refusal with its actor, and nothing for reads', async () => {
    const before = (await auditRows()).length;
    const planner = keys.planner;
    await t.app.inject({ method: 'GET', url: '/stock', headers: bearer(planner) });
    const ok = await t.app.inject({ method: 'POST', url: '/stock/receipts', headers: { ...bearer(planner), 'idempotency-key': 'audit-1' }, payload: { skuId: 'A', warehouseId: 'UK', quantity: 2 } });
    expect(ok.statusCode).toBe(201);
    await t.app.inject({ method: 'POST', url: '/warehouses', headers: bearer(planner), payload: { id: 'X', name: 'X', regions: [], priority: 9 } });
    await t.app.inject({ method: 'POST', url: '/allocation/runs/dry-run', headers: bearer(planner), payload: {} });
    const rows = (await auditRows()).slice(before);
    expect(rows.map((r) => [r.method, r.route, r.status, r.outcome, r.actor, r.role, r.via, r.idempotency_key])).toEqual([
      ['POST', '/stock/receipts', 201, 'changed', 'test planner', 'planner', 'key', 'audit-1'],
      ['POST', '/warehouses', 403, 'denied', 'test planner', 'planner', 'key', null],
    ]);
    const page = (await t.app.inject({ method: 'GET', url: `/audit-log?keyId=${planner.slice(4, 20)}&limit=1` })).json() as { entries: { route: string }[]; nextBefore: string };
    expect(page.entries.map((e) => e.route)).toEqual(['/warehouses']);
    const next = (await t.app.inject({ method: 'GET', url: `/audit-log?keyId=${planner.slice(4, 20)}&limit=1&before=${page.nextBefore}` })).json() as { entries: { route: string }[] };
    expect(next.entries.map((e) => e.route)).toEqual(['/stock/receipts']);
  });

  it('limits each key to its rate, leaving other keys alone', async () => {
    const limited = await openTestApp(engine, { rateLimit: { perSecond: 1, burst: 3 } });
    try {
      const viewer = await limited.keyFor('viewer');
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await limited.app.inject({ method: 'GET', url: '/skus', headers: bearer(viewer) })).statusCode);
      expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
      expect(statuses.slice(3)).toContain(429);
      const refused = await limited.app.inject({ method: 'GET', url: '/skus', headers: bearer(viewer) });
      expect(refused.statusCode).toBe(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(refused.json().code).toBe('rate_limited');
      expect((await limited.app.inject({ method: 'GET', url: '/skus' })).statusCode).toBe(200);
      const logged = await limited.ctx.store.db.selectFrom('audit_log').select(['outcome', 'role']).where('outcome', '=', 'limited').execute();
      expect(logged.length).toBeGreaterThanOrEqual(2);
      expect(logged.every((r) => r.role === 'viewer')).toBe(true);
    } finally {
      await limited.close();
    }
  });

  it('serves the dashboard shell and the API docs (Swagger UI and its files) without a key', async () => {
    for (const url of ['/', '/docs/', '/docs/static/swagger-ui.css', '/docs/static/swagger-initializer.js', '/docs/json', '/openapi.json', '/health']) {
      const res = await t.app.inject({ method: 'GET', url, headers: { authorization: '' } });
      expect([url, res.statusCode]).toEqual([url, 200]);
    }
  });

  it('documents who may call each operation in the OpenAPI document', async () => {
    const doc = t.app.swagger() as { paths: Record<string, Record<string, { security?: unknown[]; description?: string }>>; components: { securitySchemes: object } };
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['apiKey', 'session']);
    expect(doc.paths['/stock/receipts']!.post).toMatchObject({ security: [{ apiKey: [] }, { session: [] }], description: expect.stringContaining('Roles: admin, planner.') });
    expect(doc.paths['/status/{orderId}']!.get).toMatchObject({ security: [], description: expect.stringContaining('Public') });
  });
});
