/**
 * `raincheck replay` as a user runs it: a synthetic history replayed into a kept store (which `raincheck check`
 * then finds consistent), the KPIs and root causes printed, Raincheck pricing backordered lines too; an existing store,
 * a bad day, a missing file or two service settings refused
 * with the reason and a usage exit code, nothing written.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeSyntheticOrders } from '../../src/replay/synthetic.js';

const dir = mkdtempSync(join(tmpdir(), 'raincheck-replay-cli-'));
const cli = (...args: string[]) => cliWith({}, ...args);
const cliWith = (env: Record<string, string>, ...args: string[]) =>
  spawnSync(process.execPath, ['bin/raincheck.js', ...args], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024, env: { ...process.env, NODE_OPTIONS: '', ...env } });

describe('raincheck replay', () => {
  const orders = join(dir, 'orders.csv');
  writeSyntheticOrders(orders, { seed: 5, start: '2026-03-02', days: 42, skus: 10, customers: 8, invoicesPerDay: 3 });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('replays a history into a kept store and prints the KPIs and root causes', () => {
    const store = join(dir, 'kept.sqlite');
    const run = cli('replay', '--orders', orders, '--from', '2026-03-23', '--store', store);
    expect(run.status, run.stderr.slice(-2000)).toBe(0);
    expect(run.stdout).toMatch(/^Replay 2026-03-23 \.\. 2026-04-12, policy raincheck \(fill rate 0\.95\): \d+ orders, [\d,]+ lines in [\d.]+ s \(peak memory \d+ MB, heap limit \d+ MB\)$/m);
    expect(run.stdout).toMatch(/history lines before 2026-03-23/);
    expect(run.stdout).toMatch(/fill rate [\d.]+%, backorder rate [\d.]+% of lines, promise accuracy/);
    expect(run.stdout).toMatch(/root causes: /);
    const check = cli('--database', store, 'check', '--json');
    expect(JSON.parse(check.stdout)).toEqual({ violations: [] });
    const json = cli('replay', '--orders', orders, '--from', '2026-03-23', '--policy', 'minmax', '--json');
    expect(json.status, json.stderr.slice(-2000)).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ policy: 'minmax', setting: 'k 1', from: '2026-03-23', to: '2026-04-12' });
    const priced = cli('replay', '--orders', orders, '--from', '2026-03-23', '--backorder-cost', '900', '--json');
    expect(priced.status, priced.stderr.slice(-2000)).toBe(0);
    expect(JSON.parse(priced.stdout)).toMatchObject({ policy: 'raincheck', setting: 'backorder cost 900 per line' });
  }, 60_000);

  it('runs under a heap cap of 768 MB (a year of Online Retail keeps under 600 MB live), or under the one given', () => {
    const limit = (run: ReturnType<typeof cli>) => {
      expect(run.status, run.stderr.slice(-2000)).toBe(0);
      return (JSON.parse(run.stdout) as { heapLimitMb: number }).heapLimitMb;
    };
    // The limit V8 reports is the old space's cap plus the young generation's.
    const capped = limit(cli('replay', '--orders', orders, '--from', '2026-04-06', '--json'));
    expect(capped).toBeGreaterThanOrEqual(768);
    expect(capped).toBeLessThan(900);
    const given = limit(cliWith({ NODE_OPTIONS: '--max-old-space-size=1500' }, 'replay', '--orders', orders, '--from', '2026-04-06', '--json'));
    expect(given).toBeGreaterThanOrEqual(1500);
    expect(given).toBeLessThan(1700);
  }, 60_000);

  it('refuses a store that is not empty, a day that does not exist and a missing file, writing nothing', () => {
    const used = join(dir, 'used.sqlite');
    writeFileSync(used, 'not empty');
    const busy = cli('replay', '--orders', orders, '--store', used);
    expect(busy.status).toBe(2);
    expect(busy.stderr).toContain(`--store ${used} is not empty`);
    expect(statSync(used).size).toBe(9);

    const badDay = cli('replay', '--orders', orders, '--from', '2026-02-30');
    expect(badDay.status).not.toBe(0);
    expect(badDay.stderr).toContain("'2026-02-30' is not a day (YYYY-MM-DD)");
    const missing = cli('replay', '--orders', join(dir, 'nope.csv'), '--store', join(dir, 'never.sqlite'));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('nope.csv does not exist');
    expect(existsSync(join(dir, 'never.sqlite'))).toBe(false);
    const foreign = join(dir, 'foreign.csv');
    writeFileSync(foreign, 'order,item\n1,A\n');
    const layout = cli('replay', '--orders', foreign, '--store', join(dir, 'never.sqlite'));
    expect(layout.status).toBe(65);
    expect(layout.stderr).toContain('no column for invoice, stock_code, quantity, invoice_date, unit_price (header: order, item); map them with --map');
    const backwards = cli('replay', '--orders', orders, '--from', '2026-04-01', '--to', '2026-03-01', '--store', join(dir, 'never.sqlite'));
    expect(backwards.status).toBe(2);
    expect(backwards.stderr).toContain('--from 2026-04-01 is after --to 2026-03-01');
    const aheadNegative = cli('replay', '--orders', orders, '--listed-days-ahead', '-3', '--store', join(dir, 'never.sqlite'));
    expect(aheadNegative.status).not.toBe(0);
    expect(aheadNegative.stderr).toContain("option '--listed-days-ahead <n>' argument '-3' is invalid. must be a whole number >= 0");
    expect(existsSync(join(dir, 'never.sqlite'))).toBe(false);
    const allUnsold = cli('replay', '--orders', orders, '--unsold-share', '1', '--store', join(dir, 'never.sqlite'));
    expect(allUnsold.status).not.toBe(0);
    expect(allUnsold.stderr).toContain("'1' must be a number from 0 up to (not including) 1");
    const twoServices = cli('replay', '--orders', orders, '--service', '0.9', '--backorder-cost', '900', '--store', join(dir, 'never.sqlite'));
    expect(twoServices.status).toBe(2);
    expect(twoServices.stderr).toContain('--service and --backorder-cost both set the service: give one');
    expect(existsSync(join(dir, 'never.sqlite')), 'no store is made for a refused replay').toBe(false);
  });
});
