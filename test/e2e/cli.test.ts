import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer } from '../support/server-process.js';

const dir = mkdtempSync(join(tmpdir(), 'raincheck-cli-'));
const db = join(dir, 'demo.sqlite');
const cli = (...args: string[]) => spawnSync(process.execPath, ['bin/raincheck.js', '--database', db, ...args], { encoding: 'utf8' });
/** The API client command, as a user runs it: the key in the environment. */
const api = (env: Record<string, string>, ...args: string[]) =>
  spawnSync(process.execPath, ['bin/raincheck.js', 'api', ...args], { encoding: 'utf8', env: { ...process.env, ...env } });

describe('the raincheck command', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('seeds the demo once, audits it, and reports supplier performance', () => {
    const seeded = cli('seed', '--demo');
    expect(seeded.status, seeded.stderr).toBe(0);
    const summary = JSON.parse(seeded.stdout) as { warehouses: number; orders: number; backorders: number };
    expect(summary).toMatchObject({ warehouses: 3, orders: 40 });
    expect(summary.backorders).toBeGreaterThan(5);
    const again = cli('seed', '--demo');
    expect(again.status).toBe(73);
    expect(again.stderr).toContain('already holds a catalog');
    const check = cli('check', '--json');
    expect(JSON.parse(check.stdout)).toEqual({ violations: [] });
    const perf = cli('supplier-performance', 'SUP-FAR', '--json');
    const p = JSON.parse(perf.stdout) as { receipts: number; onTimeRate: number; latenessDays: { p80: number } };
    expect(p.receipts).toBe(8);
    expect(p.latenessDays.p80).toBeGreaterThan(0);
    const unknown = cli('supplier-performance', 'NOPE');
    expect(unknown.status).toBe(66);
    expect(unknown.stderr).toContain("supplier 'NOPE' does not exist");
  }, 60_000);

  it('makes, lists and revokes keys; serve --demo prints an admin key that works', async () => {
    const made = cli('keys', 'create', '--name', 'shop', '--role', 'integration');
    expect(made.status, made.stderr).toBe(0);
    const key = made.stdout.trim();
    expect(key).toMatch(/^rck_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    const id = key.slice(4, 20);
    expect(cli('keys', 'create', '--name', 'x', '--role', 'root').stderr).toContain('must be one of admin, planner, agent, viewer, integration');

    const server = await startServer(db, { args: ['--demo'], env: { RAINCHECK_ADMIN_KEY: '' } });
    try {
      const admin = /Admin key:\s+(rck_\S+)/.exec(server.banner)?.[1];
      expect(admin, server.banner).toBeDefined();
      const get = (path: string, k: string) => fetch(`${server.baseUrl}${path}`, { headers: { authorization: `Bearer ${k}` } });
      expect((await get('/api-keys', admin!)).status).toBe(200);
      expect((await get('/webhooks', key)).status).toBe(200);
      expect((await get('/backorders', key)).status).toBe(403);
      // The command line's API client uses the same keys and the same roles.
      const asAdmin = { RAINCHECK_URL: server.baseUrl, RAINCHECK_API_KEY: admin! };
      const skus = api(asAdmin, 'GET', '/skus?limit=2');
      expect(skus.status, skus.stderr).toBe(0);
      expect((JSON.parse(skus.stdout) as { items: unknown[] }).items).toHaveLength(2);
      const made = api(asAdmin, 'POST', '/customers', '--data', JSON.stringify({ id: 'CLI-1', name: 'From the CLI', email: 'cli@example.com', region: 'GB', tier: 2, acceptsPartial: true }));
      expect(made.status, made.stderr).toBe(0);
      const refused = api({ RAINCHECK_URL: server.baseUrl, RAINCHECK_API_KEY: key }, 'GET', '/backorders');
      expect(refused.status).toBe(77);
      expect(refused.stderr).toContain("403 Not allowed: the role 'integration' may not GET /backorders");
      const noKey = api({ RAINCHECK_URL: server.baseUrl, RAINCHECK_API_KEY: '' }, 'GET', '/skus');
      expect(noKey.status).toBe(77);
      expect(noKey.stderr).toContain('401');
      const listed = cli('keys', 'list').stdout;
      expect(listed).toMatch(new RegExp(`${id} +integration +live +shop`));
      expect(listed).toMatch(/admin +live +demo admin/);
      expect(listed).not.toContain(key.slice(21));
      expect(cli('keys', 'revoke', id).stdout).toContain(`revoked ${id} (shop)`);
      // Another process revoked it: this server stops it within its 5 s cache.
      await expect.poll(async () => (await get('/webhooks', key)).status, { timeout: 8_000, interval: 500 }).toBe(401);
      const audit = (await (await get(`/audit-log?route=${encodeURIComponent('/api-keys/:id')}`, admin!)).json()) as { entries: { actor: string; via: string }[] };
      expect(audit.entries[0]).toMatchObject({ via: 'cli', actor: expect.stringMatching(/^cli \(/) });
    } finally {
      await server.stop();
    }
  }, 60_000);
});
