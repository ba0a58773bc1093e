/** `raincheck simulate` run as a user runs it, on a wide CSV this test writes. */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { splitCsvLine } from '../../src/demand-files/csv.js';
import { cli } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'raincheck-simulate-cli-'));
const path = (name: string) => join(dir, name);

const SERIES = 10;
const MONTHS = 36;

/**
 * 10 monthly series over 2019-01..2021-12 with a lead time column `lt` (0-2) and unit costs 1-5. Series 3 is
 * named `<b>x</b>` and is lumpy (30 units every seventh month), so every policy backorders it.
 */
function writeWide(name: string): string {
  const months = Array.from({ length: MONTHS }, (_, i) => `${2019 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`);
  const lines = [`sku,lt,unit_cost,${months.join(',')}`];
  for (let s = 0; s < SERIES; s++) {
    const id = s === 3 ? '<b>x</b>' : `P${s}`;
    const qty = months.map((_, t) => (s === 3 ? (t % 7 === 5 ? 30 : 0) : (s * 7 + t * 5) % 9 < 4 ? 0 : 1 + ((s + t) % 4)));
    lines.push(`${id},${s % 3},${1 + (s % 5)},${qty.join(',')}`);
  }
  writeFileSync(path(name), `${lines.join('\n')}\n`);
  return path(name);
}

interface SettingJson {
  family: string;
  setting: number;
  fillRate: number;
  backorderedUnits: number;
  lostUnits: number;
  units: { demand: number; fromStock: number; short: number; lost: number; items: number };
}
interface ResultsJson {
  settings: { series: number; start: number; measureFrom: number; startLabel: string; lostSales: boolean; policies: string[] };
  inventory: { measure: string };
  families: { name: string; settings: SettingJson[] }[];
  comparison: { bestRule: { family: string } | null; sentences: string[] };
}

const files = ['results.json', 'series.csv', 'report.html', 'tradeoff.png'];

describe('raincheck simulate', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const input = writeWide('wide.csv');

  it('default policies: the four files, consistent numbers, escaped ids, a PNG', async () => {
    const out = path('out-default');
    const run = await cli('simulate', '--input', input, '--lead-time-column', 'lt', '--out', out, '--json');
    expect(run.status, run.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual([...files].sort());

    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ResultsJson;
    // 36 periods: the policies start at 18 (2020-07), measured from 21; unit costs differ, so inventory is value.
    expect(results.settings).toMatchObject({ series: SERIES, start: 18, measureFrom: 21, startLabel: '2020-07', lostSales: false, policies: ['cover', 'minmax', 'tsb/RS/fill', 'auto/RS/fill'] });
    expect(results.inventory.measure).toBe('averageOnHandValue');
    expect(results.families.map((f) => f.name)).toEqual(['cover', 'minmax', 'tsb/RS/fill', 'auto/RS/fill']);
    const settings = results.families.flatMap((f) => f.settings);
    for (const s of settings) {
      expect(s.units.items).toBe(SERIES);
      expect(s.fillRate).toBeCloseTo(s.units.fromStock / s.units.demand, 12);
      expect(s.units.fromStock + s.units.short).toBe(s.units.demand);
      expect(s.backorderedUnits).toBe(s.units.short);
    }
    // The same demand whatever the policy: 15 measured months of every series.
    expect(new Set(settings.map((s) => s.units.demand)).size).toBe(1);
    expect(settings.some((s) => s.units.short > 0)).toBe(true);

    // series.csv: one row per series x setting, and its units add up to the totals.
    const [head, ...rows] = readFileSync(join(out, 'series.csv'), 'utf8').trim().split('\n').map(splitCsvLine);
    expect(rows).toHaveLength(SERIES * settings.length);
    const col = (name: string) => head!.indexOf(name);
    for (const s of settings) {
      const mine = rows.filter((r) => r[col('family')] === s.family && Number(r[col('setting')]) === s.setting);
      expect(mine).toHaveLength(SERIES);
      const sum = (name: string) => mine.reduce((a, r) => a + Number(r[col(name)]), 0);
      expect([sum('demand_units'), sum('from_stock_units'), sum('short_units')]).toEqual([s.units.demand, s.units.fromStock, s.units.short]);
    }
    expect(new Set(rows.map((r) => r[0]))).toContain('<b>x</b>');

    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html.match(/<svg /g)).toHaveLength(2);
    expect(html).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(html).not.toContain('<b>x</b>');
    expect(html).not.toMatch(/<script/);

    const png = readFileSync(join(out, 'tradeoff.png'));
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.toString('ascii', 12, 16)).toBe('IHDR');

    const summary = JSON.parse(run.stdout) as { series: number; families: { family: string }[]; comparison: ResultsJson['comparison'] };
    expect(summary.series).toBe(SERIES);
    expect(summary.comparison).toEqual(results.comparison);
    // No partial files left behind.
    expect(readdirSync(out).some((f) => f.includes('partial'))).toBe(false);
  }, 60_000);

  it('on worker threads: the same results.json and series.csv, byte for byte', async () => {
    const args = ['simulate', '--input', input, '--lead-time-column', 'lt', '--policy', 'cover:2,4', '--policy', 'tsb/RS/fill:0.9,0.95'];
    const [one, two] = await Promise.all([cli(...args, '--threads', '0', '--out', path('out-t0')), cli(...args, '--threads', '2', '--out', path('out-t2'))]);
    expect(one.status, one.stderr).toBe(0);
    expect(two.status, two.stderr).toBe(0);
    for (const f of ['results.json', 'series.csv']) expect(readFileSync(join(path('out-t2'), f), 'utf8'), f).toBe(readFileSync(join(path('out-t0'), f), 'utf8'));
  }, 60_000);

  it('chosen policies, start, warm-up, lost sales and per-series rows for one setting; the table on stdout', async () => {
    const out = path('out-chosen');
    const run = await cli(
      'simulate', '--input', input, '--map', 'lead_time=lt', '--policy', 'cover:1,2,4', '--policy', 'tsb/RS/fill:0.9,0.95', '--start', '20', '--warmup', '2',
      '--lost-sales', '--series-only', 'tsb/RS/fill:0.95', '--out', out,
    );
    expect(run.status, run.stderr).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/^family\s+setting\s+fill rate\s+backordered units\s+on hand\/series\s+on-hand value$/);
    expect(lines.filter((l) => /^(cover|tsb\/RS\/fill)\s+[\d.]+\s+[\d.]+%/.test(l))).toHaveLength(5);
    expect(run.stdout).toContain('tsb/RS/fill needs');
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ResultsJson;
    expect(results.settings).toMatchObject({ start: 20, measureFrom: 22, lostSales: true });
    for (const s of results.families.flatMap((f) => f.settings)) expect(s.units.lost).toBe(s.units.short);
    const rows = readFileSync(join(out, 'series.csv'), 'utf8').trim().split('\n').slice(1).map(splitCsvLine);
    expect(rows).toHaveLength(SERIES);
    expect(rows.every((r) => r[1] === 'tsb/RS/fill' && r[2] === '0.95' && r[3] === String(MONTHS - 22))).toBe(true);
  }, 60_000);

  it('--min-history: only the series with demand in at least N periods before the start; none left is refused', async () => {
    // 24 months, policies from month 13: A sells every month, B in two months before the start, C only after it.
    const months = Array.from({ length: 24 }, (_, i) => `${2020 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`);
    const qty = { A: months.map(() => 2), B: months.map((_, t) => (t === 3 || t === 9 || t > 14 ? 1 : 0)), C: months.map((_, t) => (t >= 15 ? 3 : 0)) };
    writeFileSync(path('history.csv'), `sku,${months.join(',')}\n${Object.entries(qty).map(([id, q]) => `${id},${q.join(',')}`).join('\n')}\n`);
    const args = ['simulate', '--input', path('history.csv'), '--lead-time', '1', '--start', '12', '--policy', 'cover:2', '--series-only', 'cover:2'];
    const [one, two, all, none] = await Promise.all([
      cli(...args, '--min-history', '1', '--out', path('out-h1')),
      cli(...args, '--min-history', '3', '--out', path('out-h3')),
      cli(...args, '--out', path('out-h0')),
      cli(...args, '--min-history', '13', '--out', path('out-h13')),
    ]);
    const kept = (out: string) => readFileSync(join(out, 'series.csv'), 'utf8').trim().split('\n').slice(1).map((r) => splitCsvLine(r)[0]);
    expect(one.status, one.stderr).toBe(0);
    expect(one.stderr).toContain('simulating 2 of 3 series');
    expect(kept(path('out-h1'))).toEqual(['A', 'B']);
    const results = JSON.parse(readFileSync(join(path('out-h1'), 'results.json'), 'utf8')) as ResultsJson & { settings: { seriesRead: number; minHistory: number } };
    expect(results.settings).toMatchObject({ series: 2, seriesRead: 3, minHistory: 1 });
    expect(readFileSync(join(path('out-h1'), 'report.html'), 'utf8')).toContain('2 of 3: those with demand in at least 1 periods before the start');
    expect(two.status, two.stderr).toBe(0);
    expect(kept(path('out-h3'))).toEqual(['A']);
    expect(all.status, all.stderr).toBe(0);
    expect(kept(path('out-h0'))).toEqual(['A', 'B', 'C']);
    expect(none.status).toBe(65);
    expect(none.stderr).toContain('--min-history 13: no series');
    expect(existsSync(path('out-h13'))).toBe(false);
  }, 60_000);

  it('bad flags and bad files: a message naming the fault, the exit code of the other commands, nothing written', async () => {
    writeFileSync(path('bad-cell.csv'), 'id,2020-01,2020-02\nA,1,2\nB,1,two\n');
    const out = path('never');
    const [spec, cell, missing, start, compound, series, column] = await Promise.all([
      cli('simulate', '--input', input, '--policy', 'tsb/XY/fill', '--out', out),
      cli('simulate', '--input', path('bad-cell.csv'), '--out', out),
      cli('simulate', '--input', path('nope.csv'), '--out', out),
      cli('simulate', '--input', input, '--start', '36', '--out', out),
      cli('simulate', '--input', input, '--policy', 'tsb+compound/sS/fill', '--out', out),
      cli('simulate', '--input', input, '--policy', 'cover:1,2', '--series-only', 'cover:3', '--out', out),
      cli('simulate', '--input', input, '--lead-time-column', 'lead', '--out', out),
    ]);
    expect(spec.status).toBe(64);
    expect(spec.stderr).toContain("policy 'tsb/XY/fill'");
    expect(cell.status).toBe(65);
    expect(cell.stderr).toContain("line 3, column '2020-02': quantity 'two' is not a number");
    expect(missing.status).toBe(66);
    expect(missing.stderr).toContain('no such file');
    expect(start.status).toBe(65);
    expect(start.stderr).toContain('--start 36');
    expect(compound.status).toBe(64);
    expect(compound.stderr).toContain("policy 'tsb+compound/sS/fill': the compound law is for RS policies");
    expect(series.status).toBe(64);
    expect(series.stderr).toContain('--series-only cover:3');
    expect(column.status).toBe(65);
    expect(column.stderr).toContain("column 'lead'");
    expect(existsSync(out)).toBe(false);
  }, 60_000);
});
