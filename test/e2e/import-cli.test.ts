/**
 * `raincheck import` as a user runs it: a 1,000,000-line file imported by a process whose heap is capped at 256 MB
 * (a file read whole would not fit), with progress on stderr; a bad file refused with each bad row on stderr, a
 * JSON report, exit 65 and nothing written.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';

const dir = mkdtempSync(join(tmpdir(), 'raincheck-import-cli-'));
const db = join(dir, 'store.sqlite');
const cli = (...args: string[]) => spawnSync(process.execPath, ['--max-old-space-size=256', 'bin/raincheck.js', '--database', db, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });

async function writeSkus(path: string, count: number): Promise<void> {
  const out = createWriteStream(path);
  out.write('id,name,unit_cost_minor,backorder_policy\n');
  for (let i = 0; i < count; i++) if (!out.write(`SKU-${i},Item ${i},${100 + (i % 900)},allow\n`)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

describe('raincheck import', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('imports a 1,000,000-line file within a 256 MB heap, showing progress', async () => {
    const path = join(dir, 'skus.csv');
    await writeSkus(path, 1_000_000);
    const run = cli('import', 'skus', path);
    expect(run.status, run.stderr.slice(-2000)).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ kind: 'skus', lines: 1_000_000, created: 1_000_000, updated: 0 });
    expect(run.stderr).toMatch(/import skus: checking 500,000 rows/);
    expect(run.stderr).toMatch(/import skus: importing 1,000,000 \/ 1,000,000 rows 100%/);
    const exported = spawnSync(process.execPath, ['bin/raincheck.js', '--database', db, 'check', '--json'], { encoding: 'utf8' });
    expect(JSON.parse(exported.stdout)).toEqual({ violations: [] });
  }, 60_000);

  it('refuses a bad file: each bad row on stderr, a JSON report, exit 65, nothing written', () => {
    const path = join(dir, 'warehouses.csv');
    writeFileSync(path, 'code,label,regions,priority\nW1,North,GB,1\nW2,South,GB,first\nW3,,GB,3\n');
    const report = join(dir, 'report.json');
    const run = cli('import', 'warehouses', path, '--map', 'id=code,name=label', '--report', report);
    expect(run.status).toBe(65);
    expect(run.stderr).toContain('2 of 3 rows are bad; nothing was imported');
    expect(run.stderr).toContain(`${path}:3: priority: 'first' is not a number`);
    expect(run.stderr).toContain(`${path}:4: label:`);
    expect(JSON.parse(readFileSync(report, 'utf8'))).toMatchObject({ badRows: 2, lines: 3, problems: [{ line: 3, column: 'priority' }, { line: 4, column: 'label' }] });
    const store = new Database(db, { readonly: true });
    expect(store.prepare('select count(*) as n from warehouse').get()).toEqual({ n: 0 });
    store.close();
    const bad = cli('import', 'planets', path);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('must be one of skus, warehouses, customers, suppliers, supplier-items, stock, purchase-orders');
  });
});
