import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'raincheck-cli-'));
const db = join(dir, 'demo.sqlite');
const cli = (...args: string[]) => spawnSync(process.execPath, ['bin/raincheck.js', '--database', db, ...args], { encoding: 'utf8' });

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
});
