/** The simulation report as one self-contained HTML page: the charts as inline SVG, the table, the comparisons. */
import { chartSvg, escapeHtml, tradeoffCharts } from './chart.js';
import { num, pct, settingLabel, type SettingRow, type SimulationReport } from './report.js';

const tableColumns: [string, (s: SettingRow) => string][] = [
  ['fill rate', (s) => pct(s.fillRate)],
  ['backorder rate (units)', (s) => pct(s.backorderRateUnits)],
  ['backorder rate (lines)', (s) => pct(s.backorderRateLines)],
  ['backordered units', (s) => num(s.backorderedUnits)],
  ['lost units', (s) => num(s.lostUnits)],
  ['on hand per series (units)', (s) => num(s.averageOnHandUnitsPerItem)],
  ['on hand (value)', (s) => num(s.averageOnHandValue)],
  ['turnover per year', (s) => num(s.inventoryTurnover)],
  ['backorder duration mean', (s) => num(s.backorderDurationMean)],
  ['backorder duration p90', (s) => num(s.backorderDurationP90)],
  ['orders', (s) => num(s.orders)],
  ['holding cost', (s) => num(s.holdingCost)],
  ['ordering cost', (s) => num(s.orderingCost)],
  ['backorder cost', (s) => num(s.backorderCost)],
  ['total cost', (s) => num(s.totalCost)],
];

/** The whole report as one HTML page with no external resources. */
export function reportHtml(report: SimulationReport): string {
  const e = escapeHtml;
  const s = report.settings;
  const charts = tradeoffCharts(report);
  const facts: [string, string][] = [
    ['input', s.input],
    ['series', typeof s['minHistory'] === 'number' ? `${s.series} of ${String(s['seriesRead'])}: those with demand in at least ${s['minHistory']} periods before the start` : String(s.series)],
    ['periods', `${s.periods} (${s.periodKind})`],
    ['policies run from', `period ${s.start + 1}${s.startLabel ? ` (${s.startLabel})` : ''}`],
    ['measured from', `period ${s.measureFrom + 1}${s.measureFromLabel ? ` (${s.measureFromLabel})` : ''}`],
    ['review', `every ${s.review} period(s)`],
    ['unserved demand', s.lostSales ? 'lost' : 'backordered'],
    ['periods per year', num(s.periodsPerYear)],
    ['policies', s.policies.join(', ')],
  ];
  const head = `<tr><th>family</th><th>setting</th>${tableColumns.map(([h]) => `<th>${e(h)}</th>`).join('')}</tr>`;
  const rows = report.families.flatMap((f) => f.settings.map((r) => `<tr><td>${e(f.name)}</td><td>${settingLabel(r.setting)}</td>${tableColumns.map(([, v]) => `<td>${e(v(r))}</td>`).join('')}</tr>`));
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Raincheck policy simulation: ${e(s.input)}</title>
<style>
body { font-family: sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; font-size: 13px; }
th, td { border: 1px solid #ccc; padding: 2px 6px; text-align: right; }
th { background: #f4f4f4; }
td:first-child, th:first-child { text-align: left; }
dl { display: grid; grid-template-columns: max-content auto; gap: 2px 12px; }
dt { font-weight: bold; }
dd { margin: 0; }
</style>
</head>
<body>
<h1>Policy simulation</h1>
<dl>
${facts.map(([k, v]) => `<dt>${e(k)}</dt><dd>${e(v)}</dd>`).join('\n')}
</dl>
<h2>At matched inventory</h2>
<ul>
${report.comparison.sentences.map((t) => `<li>${e(t)}</li>`).join('\n')}
</ul>
<h2>Trade-off</h2>
<p>Inventory: ${e(report.inventory.label)}. Each point is one setting of a family's knob.</p>
${chartSvg(charts.fill)}
${chartSvg(charts.backorders)}
${worstHtml(report)}
<h2>Every family and setting</h2>
<table>
${head}
${rows.join('\n')}
</table>
</body>
</html>
`;
}

/** Per family, the series with the most backordered units at the setting nearest the target fill rate. */
function worstHtml(report: SimulationReport): string {
  const e = escapeHtml;
  const parts = report.families.filter((f) => f.mostBackordered !== undefined).map((f) => {
    const w = f.mostBackordered!;
    const rows = w.series.map((s) => `<tr><td>${e(s.id)}</td><td>${num(s.backorderedUnits)}</td><td>${num(s.demandUnits)}</td><td>${pct(s.fillRate)}</td></tr>`);
    const caption = `${f.name} at ${settingLabel(w.setting)} (fill rate ${pct(w.fillRate)})`;
    return `<h3>${e(caption)}</h3>\n${rows.length === 0 ? '<p>No series had backorders.</p>' : `<table>\n<tr><th>series</th><th>backordered units</th><th>demand units</th><th>fill rate</th></tr>\n${rows.join('\n')}\n</table>`}`;
  });
  return parts.length === 0 ? '' : `<h2>Series with the most backordered units</h2>\n${parts.join('\n')}`;
}
