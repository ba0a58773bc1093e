/**
 * The dashboard in a real browser (Debian Chromium via playwright-core) against a real server on the demo store:
 * a planner finds an at-risk backorder, reads why it is late, transfers stock and sees the promise move, then runs
 * an allocation dry run for its SKU, reads the diff and commits it; every page is opened, checked for what it must
 * show, and saved as a screenshot under test-results/. On top of the demo, the test sets up its own small story
 * through the API: DASH-1 waits at Manchester for a GB customer who takes only whole shipments from there, while
 * Rotterdam received 5 that nobody there waits for; DASH-2's 3 received units went first in, first out to a tier 3
 * customer although a tier 1 customer waits too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { Browser, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { createContext, type AppContext } from '../../src/main/context.js';
import { buildApp } from '../../src/main/http.js';
import { seedDemo } from '../../src/demo/seed.js';
import { browserAvailable, launchChromium, resultsDir } from '../support/browser.js';
import { actAs } from '../support/context.js';
import { startupKeys } from '../../src/main/keys-command.js';

describe.skipIf(!browserAvailable)('the dashboard in Chromium', () => {
  let dir: string;
  let ctx: AppContext;
  let app: FastifyInstance;
  let base: string;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  const ids: Record<string, string> = {};
  let adminKey: string;

  const send = async (method: 'POST' | 'PUT', url: string, payload: object) => {
    const res = await app.inject({ method, url, payload });
    if (res.statusCode >= 400) throw new Error(`${method} ${url} -> ${res.statusCode} ${res.body}`);
    return res.json();
  };
  const shot = (name: string) => page.screenshot({ path: join(resultsDir(), `dashboard-${name}.png`), fullPage: true });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'raincheck-dashboard-'));
    ctx = await createContext({ databaseUrl: join(dir, 'demo.sqlite'), log: pino({ level: 'silent' }) });
    await seedDemo(ctx);
    app = await buildApp(ctx);
    // The key `npm start` prints, made the same way.
    adminKey = (await startupKeys(ctx, true)).demoKey!;
    actAs(app, adminKey);
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    await send('POST', '/suppliers', { id: 'DASH-SUP', name: 'Dash Supplies', defaultLeadTimeDays: 30 });
    await send('POST', '/customers', { id: 'DASH-LOW', name: 'Low tier', email: 'low@example.com', region: 'GB', tier: 3, acceptsPartial: false });
    await send('POST', '/customers', { id: 'DASH-VIP', name: 'Key account', email: 'vip@example.com', region: 'GB', tier: 1, acceptsPartial: false });
    for (const sku of ['DASH-1', 'DASH-2']) {
      await send('POST', '/skus', { id: sku, name: `Dashboard ${sku}`, unitCostMinor: 900, backorderPolicy: 'allow' });
      await send('PUT', `/suppliers/DASH-SUP/items/${sku}`, { leadTimeDays: 30, unitCostMinor: 500 });
    }
    ids.dash1 = (await send('POST', '/orders', { customerId: 'DASH-LOW', lines: [{ skuId: 'DASH-1', quantity: 4 }] })).intake[0].backordered.backorderId;
    await send('POST', '/stock/receipts', { skuId: 'DASH-1', warehouseId: 'EU-RTM', quantity: 5 });
    ids.low2 = (await send('POST', '/orders', { customerId: 'DASH-LOW', lines: [{ skuId: 'DASH-2', quantity: 3 }] })).intake[0].backordered.backorderId;
    ids.vip2 = (await send('POST', '/orders', { customerId: 'DASH-VIP', lines: [{ skuId: 'DASH-2', quantity: 3 }] })).intake[0].backordered.backorderId;
    await send('POST', '/stock/receipts', { skuId: 'DASH-2', warehouseId: 'UK-MAN', quantity: 3 });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await ctx?.store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('asks for a key, says so when it is wrong, and signs in with the demo admin key', async () => {
    await page.goto(`${base}/`);
    await page.getByRole('heading', { name: 'Sign in to Raincheck' }).waitFor();
    await page.getByLabel('API key').fill('rck_not-a-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(await page.getByRole('alert').textContent()).toMatch(/Signing in failed\..*malformed, unknown or revoked/);
    await shot('sign-in');
    await page.getByLabel('API key').fill(adminKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    expect(await page.locator('header .account').textContent()).toContain('demo admin (admin)');
    const cookie = (await page.context().cookies()).find((c) => c.name === 'raincheck_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    errors.length = 0; // the refused key's 401 is the point of this step
  });

  it('overview: KPI tiles, ageing, root causes and the SKUs most at risk', async () => {
    await page.goto(`${base}/`);
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await page.locator('[data-kpi="Backorder rate (lines)"]').filter({ hasText: '%' }).waitFor();
    await page.getByRole('heading', { name: 'SKUs most at risk of a backorder' }).waitFor();
    expect(await page.getByRole('table').last().locator('tbody tr').count()).toBeGreaterThan(0);
    expect(await page.getByRole('img', { name: /Open backorders by age/ }).count()).toBe(1);
    await shot('overview');
  });

  it('worklist: filters by SKU, finds the backorder, and the page says why it waits', async () => {
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Backorders' }).click();
    await page.getByRole('heading', { name: 'Backorders' }).waitFor();
    await page.locator('table.worklist tbody tr').first().waitFor();
    await shot('worklist');
    await page.getByLabel('SKU').fill('DASH-1');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/skuId=DASH-1/);
    const rows = page.locator('table.worklist tbody tr');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('(estimate)');
    await page.getByRole('link', { name: ids.dash1! }).click();
    await page.getByRole('heading', { name: `Backorder ${ids.dash1}` }).waitFor();
    await expect.poll(() => page.getByTestId('explanation').textContent()).toMatch(/waits for 4 units/);
    expect(await page.getByTestId('promise').textContent()).toMatch(/an estimate from the lead time/);
    await shot('backorder');
  });

  it('transfers stock from Rotterdam and shows the promise move', async () => {
    const before = await page.getByTestId('promise').textContent();
    await page.getByRole('button', { name: 'Transfer 4 from EU-RTM' }).click();
    const notice = page.getByRole('status').filter({ hasText: 'Transferred 4 from EU-RTM' });
    await notice.waitFor();
    const moved = (await notice.textContent())!;
    const [, from, to] = /Promise: (\S+) → (\S+)\./.exec(moved)!;
    expect(to! < from!).toBe(true);
    await expect.poll(() => page.getByTestId('promise').textContent()).toMatch(/covered by inbound supply/);
    expect(await page.getByTestId('promise').textContent()).not.toBe(before);
    await shot('backorder-after-transfer');
  });

  it('the order page shows lines, the backorder with its promise and basis, the timeline and the messages', async () => {
    await page.getByRole('link', { name: /^Order / }).first().click();
    await page.getByRole('heading', { name: /^Order ord_/ }).waitFor();
    await page.getByRole('heading', { name: 'Timeline' }).waitFor();
    expect(await page.locator('main').textContent()).toMatch(/transfer trf_\w+ from EU-RTM/);
    expect(await page.locator('.timeline li').count()).toBeGreaterThan(1);
    await shot('order');
  });

  it('an allocation run: selection -> dry run with the diff -> commit', async () => {
    await page.goto(`${base}/#/backorders?skuId=DASH-2`);
    const rows = page.locator('table.worklist tbody tr');
    await expect.poll(() => rows.count()).toBe(1); // the tier 1 customer waits; the tier 3 one is allocated
    await page.getByRole('checkbox', { name: `Select ${ids.vip2}` }).check();
    await page.getByRole('button', { name: 'Allocation dry run for their SKUs' }).click();
    await page.getByRole('heading', { name: 'Allocation runs' }).waitFor();
    expect(await page.getByLabel(/SKUs/).inputValue()).toBe('DASH-2');
    await page.getByLabel('Strategy').selectOption('tier-then-fifo');
    await page.getByRole('button', { name: 'Dry run' }).click();
    await expect.poll(() => page.getByTestId('dry-summary').textContent()).toMatch(/2 changes, 3 units gained, 3 lost, 0 other promises moved, 2 customers affected/);
    const diff = page.locator('table.diff tbody tr');
    expect(await diff.count()).toBe(2);
    expect(await diff.first().textContent()).toMatch(/DASH-VIP.*0 → 3 \(\+3\).*tier 1 customer/);
    await shot('runs-dry-run');
    await page.getByRole('button', { name: 'Commit this run' }).click();
    await expect.poll(() => page.getByTestId('committed').textContent()).toMatch(/committed: 2 changes, 3 units gained/);
    await page.locator('table').last().getByText('dashboard (api)').waitFor();
    await shot('runs-committed');
    const vip = await app.inject({ method: 'GET', url: `/backorders/${ids.vip2}` });
    expect(vip.json()).toMatchObject({ allocated: 3, status: 'allocated' });
  });

  it('bulk actions on the worklist: re-promise and notify the customer now', async () => {
    // After the run, DASH-LOW's 3 units went to the key account: its backorder waits again.
    await page.goto(`${base}/#/backorders?skuId=DASH-2`);
    await page.getByRole('checkbox', { name: `Select ${ids.low2}` }).check();
    await page.getByRole('button', { name: 'Re-promise now' }).click();
    await page.getByRole('status').filter({ hasText: /Re-promised 1 SKU\(s\): \d+ date\(s\) moved\./ }).waitFor();
    await page.getByRole('checkbox', { name: `Select ${ids.low2}` }).check();
    await page.getByRole('button', { name: 'Notify customers now' }).click();
    await page.getByRole('status').filter({ hasText: 'Told 1 customer(s) about 1 order(s).' }).waitFor();
    const told = await ctx.store.db.selectFrom('message').select(['customer_id', 'template']).where('rule', '=', 'manual').execute();
    expect(told).toEqual([{ customer_id: 'DASH-LOW', template: 'backorder-status' }]);
    await shot('worklist-after-bulk');
  });

  it('SKU, suppliers, simulation and settings pages open with their content', async () => {
    await page.goto(`${base}/#/skus/DASH-1`);
    await page.getByRole('heading', { name: 'Weekly demand and forecast' }).waitFor();
    await page.getByRole('heading', { name: 'Recommended orders' }).waitFor();
    await page.getByRole('columnheader', { name: 'Mean line size' }).waitFor();
    await shot('sku');
    await page.goto(`${base}/#/suppliers`);
    await page.getByRole('rowheader', { name: /SUP-NORD/ }).waitFor();
    await shot('suppliers');
    await page.goto(`${base}/#/simulation`);
    await page.getByLabel('Results file').waitFor();
    await shot('simulation');
    await page.goto(`${base}/#/settings`);
    await page.getByRole('heading', { name: 'Communication playbook' }).waitFor();
    await expect.poll(() => page.locator('textarea').inputValue()).toMatch(/rules:/);
    await page.getByRole('button', { name: 'Validate' }).click();
    await page.getByRole('status').filter({ hasText: 'The playbook is valid.' }).waitFor();
    await shot('settings');
  });

  it('settings: an admin makes a key, sees it once, revokes it, and reads the audit log', async () => {
    await page.goto(`${base}/#/settings`);
    const form = page.getByRole('form', { name: 'Make an API key' });
    await form.getByLabel('For').fill('night shift');
    await form.getByLabel('Role').selectOption('viewer');
    await form.getByRole('button', { name: 'Make key' }).click();
    const shown = page.getByLabel('New key');
    await shown.waitFor();
    const secret = await shown.inputValue();
    expect(secret).toMatch(/^rck_[0-9a-f]{16}_/);
    const res = await fetch(`${base}/skus?limit=1`, { headers: { authorization: `Bearer ${secret}` } });
    expect(res.status).toBe(200);
    await shot('settings-keys');
    await page.getByRole('button', { name: 'Revoke night shift' }).click();
    await page.getByRole('status').filter({ hasText: 'Revoked the key for night shift.' }).waitFor();
    expect((await fetch(`${base}/skus?limit=1`, { headers: { authorization: `Bearer ${secret}` } })).status).toBe(401);
    const audit = page.getByRole('table', { name: 'Audit log' });
    await audit.getByRole('cell', { name: /DELETE \/api-keys\// }).waitFor();
    expect(await audit.textContent()).toContain('demo admin (admin, session)');
  });

  it('a failed request says what failed and what to do; a tablet gets one column', async () => {
    await page.goto(`${base}/#/orders/ord_nope`);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/Loading order ord_nope failed\..*not found.*It may have been removed, or the link is wrong\./);
    await page.setViewportSize({ width: 820, height: 1180 });
    await page.goto(`${base}/`);
    await page.locator('[data-kpi="Fill rate (units)"]').filter({ hasText: '%' }).waitFor();
    const [ageing, causes] = await Promise.all([page.locator('#age-h').boundingBox(), page.locator('#causes-h').boundingBox()]);
    expect(causes!.y).toBeGreaterThan(ageing!.y); // stacked, not side by side
    await shot('overview-tablet');
    await page.setViewportSize({ width: 1280, height: 900 });
    errors.length = 0; // the 404 above is the point of this test, not a console error to report
  });

  it('is usable from the keyboard: the skip link leads to the content; a bad page says so', async () => {
    await page.goto(`${base}/#/nowhere`);
    await page.getByRole('alert').filter({ hasText: 'There is no page at /nowhere' }).waitFor();
    await page.keyboard.press('Tab');
    // The page's own globals, typed here without the DOM library (the tests' tsconfig is Node's).
    const focused = (what: 'textContent' | 'id') => page.evaluate((k) => (globalThis as unknown as { document: { activeElement: Record<string, string> | null } }).document.activeElement?.[k], what);
    expect(await focused('textContent')).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(await focused('id')).toBe('main');
    expect(errors).toEqual([]);
  });

  it('signs out: the form is back and the old cookie opens nothing', async () => {
    await page.goto(`${base}/`);
    const cookie = (await page.context().cookies()).find((c) => c.name === 'raincheck_session')!;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Raincheck' }).waitFor();
    const res = await fetch(`${base}/backorders?limit=1`, { headers: { cookie: `raincheck_session=${cookie.value}` } });
    expect(res.status).toBe(401);
  });
});
