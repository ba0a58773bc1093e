/** Overview: KPI tiles with their 8-week trend, the backorder ageing, the top root causes and the SKUs most at risk. */
import { api } from '../api.js';
import { Chart, Sparkline } from '../components/chart.js';
import { ErrorBox, Loading, useAsync } from '../components/async.js';
import { dayBefore, int, num, pct } from '../format.js';
import { Link } from '../router.js';
import type { CauseReport, KpiReport, KpiRow, Risk } from '../types.js';

interface Tile {
  label: string;
  value: (r: KpiRow) => number | null;
  show: (x: number | null) => string;
  better: 'higher' | 'lower';
}

const tiles: Tile[] = [
  { label: 'Backorder rate (lines)', value: (r) => r.intake.backorderRate.lines, show: pct, better: 'lower' },
  { label: 'Fill rate (units)', value: (r) => r.intake.fillRate.units, show: pct, better: 'higher' },
  { label: 'Promise accuracy', value: (r) => r.backorders.promiseAccuracy.rate, show: pct, better: 'higher' },
  { label: 'Order cycle time p50 (hours)', value: (r) => r.cycleTime.p50Hours, show: (x) => num(x), better: 'lower' },
  { label: 'CSAT (mean of 1-5)', value: (r) => r.csat?.mean ?? null, show: (x) => num(x, 2), better: 'higher' },
];

export function Overview() {
  const today = new Date();
  const from = dayBefore(today, 7 * 8 - 1);
  const to = dayBefore(today, 0);
  const kpis = useAsync(() => api.get<KpiReport>('/kpis', { from, to, period: 'week' }), 'kpis');
  const causes = useAsync(() => api.get<CauseReport>('/kpis/causes', { from: dayBefore(today, 90), to }), 'causes');
  const risk = useAsync(() => api.get<Risk[]>('/replenishment/risk', { limit: 8 }), 'risk');
  return (
    <>
      <h1>Overview</h1>
      <section aria-labelledby="kpi-h">
        <h2 id="kpi-h">Last 8 weeks</h2>
        {kpis.loading && !kpis.data && <Loading label="Loading the KPIs" />}
        {kpis.error != null && <ErrorBox error={kpis.error} what="Loading the KPIs" onRetry={kpis.reload} />}
        {kpis.data && <KpiTiles report={kpis.data} />}
      </section>
      <div className="columns">
        <section aria-labelledby="age-h">
          <h2 id="age-h">Open backorders by age</h2>
          {kpis.data && <Ageing report={kpis.data} />}
        </section>
        <section aria-labelledby="causes-h">
          <h2 id="causes-h">Top root causes (90 days)</h2>
          {causes.loading && !causes.data && <Loading label="Loading the root causes" />}
          {causes.error != null && <ErrorBox error={causes.error} what="Loading the root causes" onRetry={causes.reload} />}
          {causes.data && <Causes report={causes.data} />}
        </section>
      </div>
      <section aria-labelledby="risk-h">
        <h2 id="risk-h">SKUs most at risk of a backorder</h2>
        {risk.loading && !risk.data && <Loading label="Loading the risk scores" />}
        {risk.error != null && <ErrorBox error={risk.error} what="Loading the risk scores" onRetry={risk.reload} />}
        {risk.data && <RiskTable rows={risk.data} />}
      </section>
    </>
  );
}

function KpiTiles({ report }: { report: KpiReport }) {
  const total = report.totals[0];
  return (
    <ul className="tiles">
      {tiles.map((t) => {
        const values = report.rows.map(t.value);
        return (
          <li key={t.label} className="tile">
            <span className="tile-label">{t.label}</span>
            <span className="tile-value" data-kpi={t.label}>
              {total ? t.show(t.value(total)) : '–'}
            </span>
            <Sparkline values={values} label={`${t.label} by week: ${values.map((v) => t.show(v)).join(', ')} (${t.better} is better)`} />
          </li>
        );
      })}
    </ul>
  );
}

function Ageing({ report }: { report: KpiReport }) {
  const last = report.rows.at(-1);
  if (!last) return <p>No data yet.</p>;
  const buckets = last.backorders.open.buckets;
  return (
    <>
      <Chart
        label={`Open backorders by age: ${buckets.map((b) => `${b.bucket} ${b.count}`).join(', ')}`}
        option={{ animation: false, grid: { left: 40, right: 10, top: 10, bottom: 30 }, tooltip: {}, xAxis: { type: 'category', data: buckets.map((b) => b.bucket) }, yAxis: { type: 'value' }, series: [{ type: 'bar', data: buckets.map((b) => b.count) }] }}
      />
      <p>
        {int(last.backorders.open.count)} open backorders, {int(last.backorders.open.units)} units. <Link to="/backorders">Open the worklist</Link>
      </p>
    </>
  );
}

function Causes({ report }: { report: CauseReport }) {
  const top = report.rows.slice(0, 5);
  if (top.length === 0) return <p>No backorders in the last 90 days.</p>;
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">Cause</th>
          <th scope="col">Backorders</th>
          <th scope="col">Units</th>
          <th scope="col">Share of units</th>
        </tr>
      </thead>
      <tbody>
        {top.map((r) => (
          <tr key={r.cause}>
            <td>
              <Link to="/backorders" query={{ cause: r.cause }}>
                {r.cause.replaceAll('_', ' ')}
              </Link>
            </td>
            <td>{int(r.count)}</td>
            <td>{int(r.units)}</td>
            <td>{pct(r.shareOfUnits)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function RiskTable({ rows }: { rows: Risk[] }) {
  if (rows.length === 0) return <p>No SKU is at risk.</p>;
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">SKU</th>
          <th scope="col">Warehouse</th>
          <th scope="col">Risk</th>
          <th scope="col">Days of stock</th>
          <th scope="col">Waiting</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={`${r.skuId} ${r.warehouseId}`}>
            <td>
              <Link to={`/skus/${r.skuId}`}>{r.skuId}</Link>
            </td>
            <td>{r.warehouseId}</td>
            <td>{pct(r.stockoutProbability)}</td>
            <td>{num(r.daysUntilStockout)}</td>
            <td>{int(r.backordered)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
