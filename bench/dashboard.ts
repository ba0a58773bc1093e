/**
 * `npm run bench -- dashboard [--backorders 100000] [--skus 5000] [--reps 5]`
 *
 * Issue 9: the dashboard's worklist in Chromium (Debian's, via playwright-core) against a real server on SQLite with
 * 100,000 open backorders (the promise benchmark's catalogue fixture). Measured in the browser:
 * - worklist_ready_ms: from starting the navigation to the worklist's first page of rows on screen (a cold page
 *   load each time: HTML, the script bundle, the API call, the render);
 * - filter_ms: from submitting a SKU filter (the form's submit event) to the DOM update that shows only that SKU's
 *   rows, timed inside the page (a mutation observer), with the API call's own time beside it.
 * Medians of `reps` after one warm-up, on a fresh production build. Target: < 1,500 ms and < 300 ms. Progress to stderr; the last line is JSON.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { createContext } from '../src/main/context.js';
import { buildApp } from '../src/main/http.js';
import { benchKey } from './lib/keys.js';
import { manualClock } from '../src/shared/clock.js';
import { catalogueFixture, insertFixture } from './lib/promise-fixture.js';
import { launchChromium } from '../test/support/browser.js';

const today = '2026-03-02';
const progress = (msg: string) => process.stderr.write(`[bench dashboard] ${msg}\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;

function options(args: string[]) {
  const { values: v } = parseArgs({ args, options: { backorders: { type: 'string', default: '100000' }, skus: { type: 'string', default: '5000' }, reps: { type: 'string', default: '5' } } });
  const positive = (name: string, s: string) => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got '${s}'`);
    return n;
  };
  return { backorders: positive('backorders', v.backorders), skus: positive('skus', v.skus), reps: positive('reps', v.reps) };
}

export async function main(args: string[]): Promise<void> {
  const o = options(args);
  // Measure the production bundle as it is now, whatever built dist-web last.
  if (spawnSync('node', ['scripts/build-web.mjs', '--force'], { stdio: 'inherit' }).status !== 0) throw new Error('building the dashboard failed');
  const dir = mkdtempSync(join(tmpdir(), 'raincheck-bench-dashboard-'));
  const ctx = await createContext({ databaseUrl: join(dir, 'bench.sqlite'), log: pino({ level: 'silent' }), clock: manualClock(`${today}T09:00:00.000Z`) });
  const app = await buildApp(ctx, { rateLimit: undefined });
  const browser = await launchChromium();
  try {
    const fixture = catalogueFixture(today, o.backorders, o.skus);
    await insertFixture(ctx, fixture);
    const skuIds = [...new Set(fixture.rows.backorder.map((b) => b.sku_id as string))];
    progress(`${fixture.backorders.toLocaleString('en')} backorders over ${skuIds.length.toLocaleString('en')} SKUs`);
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    // Signed in as a planner would be: a session opened with a key, its cookie given to each fresh page.
    const signIn = await fetch(`${base}/auth/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ key: await benchKey(ctx, 'planner') }) });
    const session = /raincheck_session=([^;]+)/.exec(signIn.headers.get('set-cookie') ?? '')?.[1];
    if (!session) throw new Error(`signing in failed: ${signIn.status} ${await signIn.text()}`);
    const ready: number[] = [];
    const filter: number[] = [];
    for (let rep = 0; rep <= o.reps; rep++) {
      // A fresh page each time: nothing cached from the previous run but what a browser keeps across visits.
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.context().addCookies([{ name: 'raincheck_session', value: session, url: base }]);
      const t0 = Date.now();
      await page.goto(`${base}/#/backorders`);
      await page.locator('table.worklist tbody tr').first().waitFor();
      const readyMs = Date.now() - t0;
      const sku = skuIds[(rep * 997) % skuIds.length]!;
      await page.getByLabel('SKU').fill(sku);
      // Timed inside the page: from the form's submit event to the frame where every row shows the SKU (a mutation
      // observer on the table), so the figure is the browser's, not the test driver's polling.
      // (A string, not a function: tsx would wrap named functions in a helper the page does not have.)
      await page.evaluate(`(() => {
        const sku = ${JSON.stringify(sku)};
        window.__filterStart = null;
        window.__filterEnd = null;
        document.querySelector('form.filters').addEventListener('submit', () => { window.__filterStart = performance.now(); }, { capture: true, once: true });
        const shown = () => {
          const rows = Array.from(document.querySelectorAll('table.worklist tbody tr'));
          return rows.length > 0 && rows.every((r) => (r.textContent || '').includes(sku));
        };
        new MutationObserver((_, observer) => {
          if (window.__filterStart !== null && shown()) {
            window.__filterEnd = performance.now();
            observer.disconnect();
          }
        }).observe(document.querySelector('main'), { childList: true, subtree: true, characterData: true });
      })()`);
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await page.waitForFunction('window.__filterEnd !== null');
      const filterMs = Math.round(await page.evaluate<number>('window.__filterEnd - window.__filterStart'));
      // Of that, the API call as the browser saw it (resource timing of the last /backorders request).
      const apiMs = await page.evaluate(() => {
        const entries = (globalThis as unknown as { performance: { getEntriesByType(t: string): { name: string; duration: number }[] } }).performance.getEntriesByType('resource');
        return Math.round(entries.filter((e) => e.name.includes('/backorders?')).at(-1)?.duration ?? -1);
      });
      await page.close();
      if (rep === 0) {
        progress(`warm-up: ready ${readyMs} ms, filter ${filterMs} ms`);
        continue;
      }
      ready.push(readyMs);
      filter.push(filterMs);
      progress(`run ${rep}: ready ${readyMs} ms, filter ${filterMs} ms, of which the API call ${apiMs} ms (${sku})`);
    }
    const r = median(ready);
    const f = median(filter);
    process.stdout.write(
      `dashboard benchmark (SQLite, ${fixture.backorders} open backorders, Chromium ${browser.version()}): worklist ready ${r} ms (runs ${ready.join(', ')}), ` +
        `filter ${f} ms (runs ${filter.join(', ')}); targets < 1500 ms: ${r < 1500 ? 'met' : 'MISSED'}, < 300 ms: ${f < 300 ? 'met' : 'MISSED'}\n` +
        `${JSON.stringify({ worklist_ready_ms: r, filter_ms: f, backorders: fixture.backorders })}\n`,
    );
  } finally {
    await browser.close();
    await app.close();
    await ctx.store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
