// panel-knn.ts: the pooled law sees only the panel's past, mixes as documented, and runs the same in chunks as whole.
import { describe, expect, it } from 'vitest';
import { demandModel } from './demand-models.js';
import { exchangeFromCdfs, panelKnnDefaults, panelKnnLevels } from './panel-knn.js';
import { exchangeLevels, knnExchangeRates, parsePolicySpec, type PlanItem } from './policies.js';
import { runPanel, type RunOptions } from './run.js';

function panel(count: number, periods = 36, seed0 = 11): PlanItem[] {
  let seed = seed0;
  const next = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  return Array.from({ length: count }, (_, i) => ({
    id: `P${i}`,
    demand: Float64Array.from({ length: periods }, () => (next() < 0.1 + (i % 4) * 0.15 ? 1 + Math.floor(next() * (1 + (i % 5))) : 0)),
    leadTime: 1,
    unitCost: 1,
    orderCost: 10,
    holdingCostPerYear: 0.25,
  }));
}

const lambdas = [0.2, 0.05, 0.01, 0.002];
/** The fit without a deadline (never null). */
const fit = (...a: Parameters<typeof panelKnnLevels>) => panelKnnLevels(...a)!;

describe('panelKnnLevels', () => {
  it('never peeks: changing every series after period h - 1 leaves the levels up to history length h alone', () => {
    const items = panel(40);
    const start = 20;
    const before = fit(items, start, 1, lambdas);
    const cut = 27;
    const changed = items.map((it) => ({ ...it, demand: Float64Array.from(it.demand, (v, t) => (t >= cut ? v * 3 + 7 : v)) }));
    const after = fit(changed, start, 1, lambdas);
    for (const it of items) {
      const a = before.levels.get(it.id)!;
      const b = after.levels.get(it.id)!;
      // History length h covers periods 0..h-1: lengths start..cut see nothing that changed.
      expect(b.slice(0, cut - start + 1), it.id).toEqual(a.slice(0, cut - start + 1));
    }
    // ... and the later ones do move (the test would pass vacuously otherwise).
    expect(items.some((it) => JSON.stringify(before.levels.get(it.id)!.slice(cut - start + 1)) !== JSON.stringify(after.levels.get(it.id)!.slice(cut - start + 1)))).toBe(true);
  });

  it('one row per history length start..n, a level per lambda, none for an item never demanded', () => {
    const items = [...panel(10), { ...panel(1)[0]!, id: 'never', demand: new Float64Array(36) }];
    const p = fit(items, 30, 1, lambdas);
    expect(p.from).toBe(30);
    for (const rows of p.levels.values()) {
      expect(rows).toHaveLength(36 - 30 + 1);
      for (const row of rows) expect(row).toHaveLength(lambdas.length);
    }
    expect(p.levels.get('never')!.flat().every((s) => s === 0)).toBe(true);
  });

  it('smaller exchange rates never give lower levels', () => {
    const p = fit(panel(30), 24, 1, lambdas);
    for (const rows of p.levels.values()) for (const row of rows) for (let k = 1; k < row.length; k++) expect(row[k]!).toBeGreaterThanOrEqual(row[k - 1]!);
  });

  it('mix 0 is the item own TSB + normal exchange level (policies.ts exchangeLevels)', () => {
    const items = panel(12);
    const s = { ...panelKnnDefaults, mix: 0 };
    const p = fit(items, 24, 1, lambdas, s);
    for (const it of items) {
      const model = demandModel('tsb', 2, 'normal', undefined, { alpha: s.alpha, beta: s.beta, varianceFactor: s.varianceFactor });
      const rows = p.levels.get(it.id)!;
      for (let h = 24; h <= 36; h++) {
        const view = model(it.demand.subarray(0, h));
        expect(rows[h - 24], `${it.id} at ${h}`).toEqual(exchangeLevels(view, 1, 1, lambdas));
      }
    }
  });

  it('gives up (null) once the deadline has passed', () => {
    expect(panelKnnLevels(panel(5), 24, 1, lambdas, panelKnnDefaults, performance.now() - 1)).toBeNull();
  });

  it('refuses series of different lengths and repeated ids', () => {
    expect(() => panelKnnLevels([...panel(2), { ...panel(1)[0]!, id: 'x', demand: new Float64Array(5) }], 3, 1, lambdas)).toThrow(/same number of periods/);
    expect(() => panelKnnLevels([...panel(2), panel(1)[0]!], 3, 1, lambdas)).toThrow(/distinct/);
  });
});

describe('exchangeFromCdfs', () => {
  it('stops at the first S where the fill gained per period falls below lambda x the time held', () => {
    // D_L always 0 (cdf 1), D_{L+R} uniform on 0..3: gained(S) = 1 - (S + 1) / 4, held(S) = (S + 1) / 4.
    const cdf = (S: number) => Math.min(1, (S + 1) / 4);
    // lambda 1: S = 0 (0.75 >= 0.25), S = 1 (0.5 >= 0.5), stop at S = 2 (0.25 < 0.75).
    expect(exchangeFromCdfs(() => 1, cdf, 1, 10, [1, 0.2, 0.001])).toEqual([2, 3, 3]);
    // Review 2 halves the fill gained per period.
    expect(exchangeFromCdfs(() => 1, cdf, 2, 10, [1])).toEqual([1]);
  });
});

describe('the knn family', () => {
  it('parses with its defaults and its bracket, and refuses what it cannot do', () => {
    expect(parsePolicySpec('knn/RS/exchange').name).toBe('knn/RS/exchange');
    expect(parsePolicySpec('knn/RS/exchange').settings).toEqual(knnExchangeRates);
    const f = parsePolicySpec('knn[k=50,m=0.5]/RS/exchange:0.1,0.01');
    expect(f.name).toBe('knn[k=50,m=0.5]/RS/exchange');
    expect(f.settings).toEqual([0.1, 0.01]);
    expect(() => parsePolicySpec('knn/RS/fill')).toThrow(/exchange/);
    expect(() => parsePolicySpec('knn[q=3]/RS/exchange')).toThrow(/k=<value>/);
    expect(() => parsePolicySpec('knn[k=0.5]/RS/exchange')).toThrow(/whole number/);
    expect(() => parsePolicySpec('knn[m=2]/RS/exchange')).toThrow(/\[0, 1\]/);
    expect(() => parsePolicySpec('knn[k=5,k=6]/RS/exchange')).toThrow(/twice/);
  });

  it('in chunks with the whole panel fitted first: the same as the whole panel at once', () => {
    const items = panel(24);
    const o: RunOptions = { start: 24, measureFrom: 26, review: 1, periodsPerYear: 12, keepItems: true };
    const fam = parsePolicySpec('knn/RS/exchange:0.05,0.005');
    const whole = runPanel(items, [fam], o);
    const panels = [fam.fitPanel!(items, o.start, { review: 1, periodsPerYear: 12 })];
    const chunks = [items.slice(0, 10), items.slice(10)].map((c) => runPanel(c, [fam], o, panels));
    whole.forEach((r, k) => expect([...chunks[0]![k]!.items!, ...chunks[1]![k]!.items!]).toEqual(r.items));
    // A chunk fitted on itself alone sees a different panel: it must be given the whole panel's fit.
    expect(() => fam.prepare(items[0]!, { review: 1, periodsPerYear: 12 })).toThrow(/not in the panel/);
  });
});
