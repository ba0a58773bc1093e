/** Supplier scorecards: lead time (mean, p50, p80, p95), lateness, on-time and quantity fill rates, the monthly trend, from receipts. */
import { api } from '../api.js';
import { Chart } from '../components/chart.js';
import { ErrorBox, Loading, useAsync } from '../components/async.js';
import { int, num, pct } from '../format.js';
import type { Page, Supplier, SupplierPerformance } from '../types.js';

async function load() {
  const suppliers = (await api.get<Page<Supplier>>('/suppliers', { limit: 500 })).items;
  const performance = await Promise.all(suppliers.map((s) => api.get<SupplierPerformance>(`/suppliers/${encodeURIComponent(s.id)}/performance`)));
  return suppliers.map((s, i) => ({ supplier: s, performance: performance[i]! }));
}

export function Suppliers() {
  const data = useAsync(load, 'suppliers');
  if (data.loading && !data.data) return <Loading label="Loading the suppliers" />;
  if (data.error != null) return <ErrorBox error={data.error} what="Loading the suppliers" onRetry={data.reload} />;
  const rows = data.data!;
  return (
    <>
      <h1>Suppliers</h1>
      {rows.length === 0 ? (
        <p>No supplier yet.</p>
      ) : (
        <>
          <table>
            <thead>
              <tr>
                <th scope="col">Supplier</th>
                <th scope="col">Receipts</th>
                <th scope="col">Lead time mean / p50 / p95 (days)</th>
                <th scope="col">Lateness p80 (days)</th>
                <th scope="col">On time</th>
                <th scope="col">Quantity fill rate</th>
              </tr>
            </thead>
            <tbody>
              {rows.map(({ supplier: s, performance: p }) => (
                <tr key={s.id}>
                  <th scope="row">
                    {s.name} ({s.id})
                  </th>
                  <td>{int(p.receipts)}</td>
                  <td>{p.leadTimeDays ? `${num(p.leadTimeDays.mean)} / ${num(p.leadTimeDays.p50)} / ${num(p.leadTimeDays.p95)}` : '–'}</td>
                  <td>{num(p.latenessDays?.p80)}</td>
                  <td>{pct(p.onTimeRate)}</td>
                  <td>{pct(p.quantityFillRate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>On-time rate by month</h2>
          <Chart
            label={`On-time rate by month: ${rows.map((r) => `${r.supplier.id}: ${r.performance.trend.map((m) => `${m.month} ${pct(m.onTimeRate)}`).join(', ')}`).join('; ')}`}
            option={{
              animation: false,
              tooltip: { trigger: 'axis' },
              legend: { top: 0, data: rows.map((r) => r.supplier.id) },
              grid: { left: 50, right: 10, top: 36, bottom: 30 },
              xAxis: { type: 'category', data: [...new Set(rows.flatMap((r) => r.performance.trend.map((m) => m.month)))].sort() },
              yAxis: { type: 'value', min: 0, max: 1, axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` } },
              series: rows.map((r) => {
                const byMonth = new Map(r.performance.trend.map((m) => [m.month, m.onTimeRate]));
                const months = [...new Set(rows.flatMap((x) => x.performance.trend.map((m) => m.month)))].sort();
                return { name: r.supplier.id, type: 'line', connectNulls: true, data: months.map((m) => byMonth.get(m) ?? null) };
              }),
            }}
          />
          <h2>Lead time distribution</h2>
          <Chart
            label={`Lead time by supplier: ${rows.map((r) => `${r.supplier.id} p50 ${num(r.performance.leadTimeDays?.p50)} p95 ${num(r.performance.leadTimeDays?.p95)}`).join('; ')}`}
            option={{
              animation: false,
              tooltip: { trigger: 'axis' },
              legend: { top: 0, data: ['p50', 'p80', 'p95'] },
              grid: { left: 40, right: 10, top: 30, bottom: 30 },
              xAxis: { type: 'category', data: rows.map((r) => r.supplier.id) },
              yAxis: { type: 'value', name: 'days' },
              series: (['p50', 'p80', 'p95'] as const).map((k) => ({ name: k, type: 'bar', data: rows.map((r) => r.performance.leadTimeDays?.[k] ?? null) })),
            }}
          />
        </>
      )}
    </>
  );
}
