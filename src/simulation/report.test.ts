// report.ts: curves, the best rule of thumb, matched-inventory comparisons and their sentences on a hand-made run;
// per-series rows; the worst series; chart axes; the HTML (escaped, self-contained).
import { describe, expect, it } from 'vitest';
import type { ItemResult } from './engine.js';
import type { PlanItem } from './policies.js';
import {
  buildReport, collectWorstSeries, curvesOf, inventoryMeasureOf, seriesColumns, seriesRows,
  type RunDescription, type WorstSeries,
} from './report.js';
import { escapeHtml, niceAxis, tradeoffCharts } from './chart.js';
import { reportHtml } from './html.js';
import { emptyTotals, type SettingResult } from './run.js';

/**
 * A setting of 10 items x 10 measured periods with 1,000 units asked: `inv` units on hand per item on average and
 * `fill` of the units served from stock (so 1000 x (1 - fill) backordered).
 */
function setting(family: string, value: number, inv: number, fill: number): SettingResult {
  const fromStock = Math.round(fill * 1000);
  return {
    family,
    knob: family === 'cover' ? 'periods of cover' : 'k',
    setting: value,
    totals: { ...emptyTotals(), items: 10, itemPeriods: 100, demandUnits: 1000, demandLines: 400, fromStockUnits: fromStock, shortUnits: 1000 - fromStock, shippedUnits: 1000, shippedValue: 1000, onHandUnitPeriods: inv * 100, onHandValuePeriods: inv * 100 },
  };
}

const results: SettingResult[] = [
  // cover reaches 95% between (2, 90%) and (3, 96%): at 2 + 0.05 / 0.06 = 2.833.
  setting('cover', 1, 1, 0.8), setting('cover', 2, 2, 0.9), setting('cover', 3, 3, 0.96),
  // minmax: between (2.5, 94%) and (3.5, 98%): at 2.5 + 0.01 / 0.04 = 2.75, the best rule.
  setting('minmax', 0.5, 1.5, 0.85), setting('minmax', 1, 2.5, 0.94), setting('minmax', 2, 3.5, 0.98),
  // tsb/RS/fill: 95% at 1 + 0.05 / 0.06 = 1.833; at 2.75 it backorders 40 - 30 x 0.75 = 17.5 (minmax: 60 - 40 x 0.25 = 50).
  setting('tsb/RS/fill', 0.9, 1, 0.9), setting('tsb/RS/fill', 0.95, 2, 0.96), setting('tsb/RS/fill', 0.99, 3, 0.99),
  // Never below 97% and never below 5 units: no 95% crossing, and nothing at 2.75.
  setting('odd/RS/fill', 0.9, 5, 0.97), setting('odd/RS/fill', 0.99, 6, 0.99),
];

const description: RunDescription = {
  input: 'data/<demand>.csv', periodKind: 'month', periods: 36, series: 10, start: 18, measureFrom: 21, review: 1, lostSales: false, periodsPerYear: 12,
  backorderCostPerUnitPeriod: 0, policies: ['cover', 'minmax', 'tsb/RS/fill', 'odd/RS/fill'],
};

describe('buildReport', () => {
  const report = buildReport(description, results, 'averageOnHandUnitsPerItem');

  it('groups the settings by family, in order, with the units behind the rates', () => {
    expect(report.families.map((f) => [f.name, f.rule, f.settings.map((s) => s.setting)])).toEqual([
      ['cover', true, [1, 2, 3]], ['minmax', true, [0.5, 1, 2]], ['tsb/RS/fill', false, [0.9, 0.95, 0.99]], ['odd/RS/fill', false, [0.9, 0.99]],
    ]);
    const s = report.families[1]!.settings[1]!;
    expect(s).toMatchObject({ fillRate: 0.94, backorderedUnits: 60, averageOnHandUnitsPerItem: 2.5, units: { demand: 1000, fromStock: 940, short: 60, items: 10 } });
  });

  it('the inventory each family needs for 95%, by interpolation; null when its sweep does not cross 95%', () => {
    const need = report.families.map((f) => f.inventoryForTargetFill);
    expect(need[0]).toBeCloseTo(2 + 0.05 / 0.06, 9);
    expect(need[1]).toBeCloseTo(2.75, 9);
    expect(need[2]).toBeCloseTo(1 + 0.05 / 0.06, 9);
    expect(need[3]).toBeNull();
  });

  it('the best rule is the one needing the least inventory, and every other family is read at its inventory', () => {
    expect(report.comparison.bestRule?.family).toBe('minmax');
    expect(report.comparison.bestRule?.inventory).toBeCloseTo(2.75, 9);
    const [tsb, odd] = report.comparison.matched;
    expect(tsb).toMatchObject({ family: 'tsb/RS/fill', baseline: 'minmax' });
    expect(tsb!.backorderedUnits).toBeCloseTo(17.5, 9);
    expect(tsb!.baselineBackorderedUnits).toBeCloseTo(50, 9);
    expect(tsb!.reduction).toBeCloseTo(0.65, 9);
    expect(odd).toMatchObject({ family: 'odd/RS/fill', backorderedUnits: null, reduction: null });
  });

  it('says so in sentences', () => {
    expect(report.comparison.sentences).toEqual([
      'At the same average inventory as the best rule of thumb (minmax, 2.75 units per series on hand for a 95.0% fill rate), tsb/RS/fill backorders 65.0% fewer units (17.5 vs 50).',
      'At the same average inventory as the best rule of thumb (minmax, 2.75 units per series on hand for a 95.0% fill rate), odd/RS/fill cannot be compared: its sweep does not reach that inventory.',
      'cover needs 2.83 units per series on hand for a 95.0% fill rate.',
      'minmax needs 2.75 units per series on hand for a 95.0% fill rate.',
      'tsb/RS/fill needs 1.83 units per series on hand for a 95.0% fill rate.',
      'odd/RS/fill does not cross a 95.0% fill rate within its sweep (fill rates 97.0% to 99.0%).',
    ]);
  });

  it('more backorders than the rule reads as "more"; no rule reaching the target: no comparison', () => {
    const worse = buildReport(description, [...results.slice(3, 6), setting('bad/RS/fill', 0.9, 2, 0.9), setting('bad/RS/fill', 0.99, 4, 0.94)], 'averageOnHandUnitsPerItem');
    // At 2.75: bad backorders 100 - 40 x 0.375 = 85 against minmax's 50: 70% more.
    expect(worse.comparison.sentences[0]).toContain('bad/RS/fill backorders 70.0% more units (85 vs 50)');
    const none = buildReport(description, results.slice(0, 2).concat(results.slice(6, 9)), 'averageOnHandUnitsPerItem');
    expect(none.comparison.bestRule).toBeNull();
    expect(none.comparison.matched).toEqual([]);
    expect(none.comparison.sentences[0]).toBe('No rule of thumb reaches a 95.0% fill rate within its sweep, so there is no matched-inventory comparison.');
  });

  it('by value: the same comparison on the total on-hand value', () => {
    // onHandValuePeriods = inv x 100 over 10 periods: value = 10 x inv, so minmax needs 27.5.
    const byValue = buildReport(description, results, 'averageOnHandValue');
    expect(byValue.comparison.bestRule?.inventory).toBeCloseTo(27.5, 9);
    expect(byValue.comparison.matched[0]!.reduction).toBeCloseTo(0.65, 9);
    expect(byValue.comparison.sentences[0]).toContain('an average on-hand value of 27.5');
  });
});

describe('inventoryMeasureOf', () => {
  it('units when every unit cost is 1, value otherwise', () => {
    expect(inventoryMeasureOf([{ unitCost: 1 }, { unitCost: 1 }])).toBe('averageOnHandUnitsPerItem');
    expect(inventoryMeasureOf([{ unitCost: 1 }, { unitCost: 2.5 }])).toBe('averageOnHandValue');
  });
});

const itemResult = (id: string, r: Partial<ItemResult>): ItemResult => ({
  id, periods: 10, demandUnits: 0, demandLines: 0, fromStockUnits: 0, shortUnits: 0, shortLines: 0, lostUnits: 0, shippedUnits: 0, onHandSum: 0, backlogSum: 0,
  orders: 0, orderedUnits: 0, waits: [], openWaits: [], initialOnHand: 0, ...r,
});
const planItem = (id: string, unitCost: number): PlanItem => ({ id, demand: new Float64Array(0), leadTime: 1, unitCost, orderCost: 10, holdingCostPerYear: 1 });

describe('per-series rows', () => {
  const items = [planItem('A', 2), planItem('B, "big"', 1)];
  const chunk: SettingResult[] = [
    { ...setting('cover', 1, 1, 0.8), items: [itemResult('A', { demandUnits: 8, demandLines: 4, fromStockUnits: 6, shortUnits: 2, shortLines: 1, onHandSum: 15, backlogSum: 3, orders: 4, orderedUnits: 8 }), itemResult('B, "big"', {})] },
    { ...setting('cover', 2, 2, 0.9), items: [itemResult('A', { demandUnits: 8, fromStockUnits: 8 }), itemResult('B, "big"', { demandUnits: 5, fromStockUnits: 1, shortUnits: 4 })] },
  ];

  it('one row per series x setting; the fill rate, on hand per period and its value; ids quoted as CSV needs', () => {
    const lines = seriesRows(items, chunk).trim().split('\n');
    expect(seriesColumns.slice(0, 4)).toEqual(['series_id', 'family', 'setting', 'periods']);
    expect(lines).toEqual([
      // A: 6 of 8 from stock; 15 unit-periods over 10 periods = 1.5 on hand, x unit cost 2 = 3.
      'A,cover,1,10,8,4,6,2,1,0,0.75,1.5,3,3,4,8',
      // No demand: fill rate 1.
      '"B, ""big""",cover,1,10,0,0,0,0,0,0,1,0,0,0,0,0',
      'A,cover,2,10,8,0,8,0,0,0,1,0,0,0,0,0',
      '"B, ""big""",cover,2,10,5,0,1,4,0,0,0.2,0,0,0,0,0',
    ]);
    expect(lines[0]!.split(',')).toHaveLength(seriesColumns.length);
  });

  it('only the chosen family x setting', () => {
    expect(seriesRows(items, chunk, (f, s) => f === 'cover' && s === 2).trim().split('\n')).toHaveLength(2);
  });

  it('the worst series per setting, across chunks, most backordered first, only those with backorders', () => {
    const worst: WorstSeries = new Map();
    collectWorstSeries(worst, items, chunk, 2);
    const more: SettingResult[] = [{ ...setting('cover', 2, 2, 0.9), items: [itemResult('C', { demandUnits: 10, fromStockUnits: 4, shortUnits: 6 }), itemResult('D', { demandUnits: 1, fromStockUnits: 0, shortUnits: 1 })] }];
    collectWorstSeries(worst, [planItem('C', 1), planItem('D', 1)], more, 2);
    expect(worst.get('cover|1')).toEqual([{ id: 'A', backorderedUnits: 2, demandUnits: 8, fillRate: 0.75 }]);
    expect(worst.get('cover|2')!.map((s) => [s.id, s.backorderedUnits])).toEqual([['C', 6], ['B, "big"', 4]]);
    // In the report: each family at the setting whose fill rate is nearest 95% (cover: 96% at 3).
    const report = buildReport(description, results, 'averageOnHandUnitsPerItem', 0.95, new Map([['cover|3', [{ id: '<b>x</b>', backorderedUnits: 9, demandUnits: 20, fillRate: 0.55 }]]]));
    expect(report.families[0]!.mostBackordered).toMatchObject({ setting: 3, fillRate: 0.96, series: [{ id: '<b>x</b>' }] });
    expect(report.families[1]!.mostBackordered).toMatchObject({ setting: 1, series: [] });
  });
});

describe('charts', () => {
  it('niceAxis: ticks at 1, 2 or 5 x 10^k covering the data', () => {
    expect(niceAxis(0, 7.3)).toEqual({ min: 0, max: 8, ticks: [0, 2, 4, 6, 8] });
    expect(niceAxis(0.3, 1)).toEqual({ min: 0.2, max: 1, ticks: [0.2, 0.4, 0.6, 0.8, 1] });
    // 1234 / 5 = 246.8 a step: the next of 100, 200, 500 is 500.
    expect(niceAxis(0, 1234)).toEqual({ min: 0, max: 1500, ticks: [0, 500, 1000, 1500] });
    expect(niceAxis(0, 0).ticks.length).toBeGreaterThan(1);
  });

  it('one curve per family, points sorted by inventory, fill rates and backorders', () => {
    const { fill, backorders } = tradeoffCharts(buildReport(description, results, 'averageOnHandUnitsPerItem'));
    expect(fill.series.map((s) => s.name)).toEqual(['cover', 'minmax', 'tsb/RS/fill', 'odd/RS/fill']);
    expect(fill.series[1]!.points).toEqual([[1.5, 0.85], [2.5, 0.94], [3.5, 0.98]]);
    expect(backorders.series[2]!.points).toEqual([[1, 100], [2, 40], [3, 10]]);
    expect(fill.x).toMatchObject({ min: 0, max: 6 });
    expect(fill.y).toMatchObject({ min: 0.8, max: 1 });
    expect(new Set(fill.series.map((s) => s.color.join())).size).toBe(4);
  });
});

describe('reportHtml', () => {
  const worst: WorstSeries = new Map([['minmax|1', [{ id: '<b>x</b>', backorderedUnits: 9, demandUnits: 20, fillRate: 0.55 }]]]);
  const html = reportHtml(buildReport(description, results, 'averageOnHandUnitsPerItem', 0.95, worst));

  it('escapes text from the input: the file name and series ids', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(html).toContain('data/&lt;demand&gt;.csv');
    expect(html).toContain('<td>&lt;b&gt;x&lt;/b&gt;</td>');
    expect(html).not.toContain('<b>x</b>');
    expect(html).not.toContain('<demand>');
  });

  it('two inline SVG charts with a polyline and markers per family, a legend, the table and the sentences; nothing external', () => {
    expect(html.match(/<svg /g)).toHaveLength(2);
    expect(html.match(/<polyline /g)).toHaveLength(8);
    expect(html.match(/<circle /g)).toHaveLength(2 * results.length);
    expect(html).toContain('<g class="legend">');
    expect(html.match(/<tr><td>/g)!.length).toBe(results.length + 1);
    expect(html).toContain('tsb/RS/fill backorders 65.0% fewer units (17.5 vs 50).');
    expect(html).not.toMatch(/<script|<link|src=|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
  });

  it('each curve passes through its points: the first minmax marker sits at its inventory and fill rate', () => {
    // Plot area of a 760 x 440 chart: x 72..736, y 40..384; fill axis 0..6 (x) and 0.8..1 (y).
    const svg = html.slice(html.indexOf('<svg '), html.indexOf('</svg>'));
    const x = 72 + (1.5 / 6) * (736 - 72);
    const y = 384 - ((0.85 - 0.8) / 0.2) * (384 - 40);
    expect(svg).toContain(`<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="3" fill="rgb(213,94,0)">`);
  });
});

describe('curvesOf', () => {
  it('summaries with the units, per family', () => {
    const c = curvesOf(results.slice(0, 3), 12);
    expect(c).toHaveLength(1);
    expect(c[0]!.settings.map((s) => s.units.short)).toEqual([200, 100, 40]);
  });
});
