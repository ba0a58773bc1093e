/**
 * Simulation: load the results.json of a `raincheck simulate --out DIR` run (it stays in the browser) and see each
 * family's trade-off curve, fill rate against average inventory, with the comparison at matched inventory.
 */
import { useState, type ChangeEvent } from 'react';
import { Chart } from '../components/chart.js';
import { ErrorBox } from '../components/async.js';
import { num, pct } from '../format.js';
import type { SimulationReport } from '../types.js';

function check(x: unknown): SimulationReport {
  const r = x as Partial<SimulationReport>;
  if (!r || !Array.isArray(r.families) || !r.inventory || typeof r.targetFillRate !== 'number')
    throw new Error('this is not a results.json of raincheck simulate (it needs families, inventory and targetFillRate)');
  return r as SimulationReport;
}

export function Simulation() {
  const [report, setReport] = useState<SimulationReport | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const open = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    if (!file) return;
    setFailure(null);
    try {
      setReport(check(JSON.parse(await file.text())));
    } catch (err) {
      setReport(null);
      setFailure(err);
    }
  };
  const x = (s: SimulationReport['families'][number]['settings'][number]) => s[report?.inventory.measure ?? 'averageOnHandUnitsPerItem'];
  return (
    <>
      <h1>Simulation</h1>
      <p>
        Run <code>npx raincheck simulate --input FILE --policy cover --policy tsb/RS/fill --out DIR</code> (see the README), then load <code>DIR/results.json</code> here.
      </p>
      <label>
        Results file <input type="file" accept="application/json,.json" onChange={open} />
      </label>
      {failure != null && <ErrorBox error={failure} what="Reading the results file" />}
      {report && (
        <>
          <h2>Fill rate against {report.inventory.label}</h2>
          <Chart
            height={360}
            label={`Trade-off curves: ${report.families.map((f) => `${f.name} needs ${num(f.inventoryForTargetFill)} for ${pct(report.targetFillRate)} fill`).join('; ')}`}
            option={{
              animation: false,
              tooltip: { trigger: 'item' },
              legend: { top: 0, data: report.families.map((f) => f.name), type: 'scroll' },
              grid: { left: 50, right: 20, top: 40, bottom: 40 },
              xAxis: { type: 'value', name: report.inventory.label, nameLocation: 'middle', nameGap: 25 },
              yAxis: { type: 'value', name: 'fill rate', min: (v: { min: number }) => Math.floor(v.min * 20) / 20, max: 1 },
              series: report.families.map((f) => ({ name: f.name, type: 'line', data: [...f.settings].sort((a, b) => x(a) - x(b)).map((s) => [x(s), s.fillRate]) })),
            }}
          />
          <h2>At the same inventory</h2>
          <ul>
            {report.comparison.sentences.map((s) => (
              <li key={s}>{s}</li>
            ))}
          </ul>
          <table>
            <thead>
              <tr>
                <th scope="col">Family</th>
                <th scope="col">Inventory for {pct(report.targetFillRate)} fill</th>
              </tr>
            </thead>
            <tbody>
              {report.families.map((f) => (
                <tr key={f.name}>
                  <th scope="row">{f.name}</th>
                  <td>{num(f.inventoryForTargetFill, 2)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </>
  );
}
