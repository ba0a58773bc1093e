/**
 * One SKU: stock by warehouse, weekly demand with the forecast behind the policy (mean and a 90% band from its fitted
 * law's mean and variance), the policy (reorder point, order-up-to, expected fill rate), its risk, and the recommended
 * orders, each of which a planner can approve (a draft purchase order).
 */
import { api } from '../api.js';
import { Chart } from '../components/chart.js';
import { ActionResult, ErrorBox, Loading, useAction, useAsync } from '../components/async.js';
import { int, num, pct } from '../format.js';
import type { Demand, Page, Policy, PurchaseOrder, Recommendations, Risk, StockLevel } from '../types.js';

async function load(id: string) {
  const [stock, demand, policies, risk, recommendations, orders] = await Promise.all([
    api.get<Page<StockLevel>>('/stock', { skuId: id, limit: 100 }),
    api.get<Demand>('/demand', { skuId: id, period: 'week' }),
    api.get<Policy[]>('/replenishment/policies', { skuId: id }),
    api.get<Risk[]>('/replenishment/risk', { skuId: id }),
    api.get<Recommendations>('/replenishment/recommendations', { skuId: id }),
    api.get<Page<PurchaseOrder>>('/purchase-orders', { skuId: id, limit: 100 }),
  ]);
  // Inbound: the open units of this SKU on placed (or partly received) purchase orders.
  const inbound = orders.items
    .filter((po) => po.status === 'placed' || po.status === 'partially_received')
    .flatMap((po) => po.lines.filter((l) => l.skuId === id && l.open > 0).map((l) => ({ po, line: l })));
  return { stock: stock.items, demand, policies, risk, recommendations, inbound };
}

export function SkuPage({ id }: { id: string }) {
  const data = useAsync(() => load(id), id);
  const action = useAction();
  if (data.loading && !data.data) return <Loading label={`Loading SKU ${id}`} />;
  if (data.error != null && !data.data) return <ErrorBox error={data.error} what={`Loading SKU ${id}`} onRetry={data.reload} />;
  const { stock, demand, policies, risk, recommendations, inbound } = data.data!;

  const approve = async (r: Recommendations['items'][number]) => {
    const done = await action.run('The approval', async () => {
      const po = await api.post<{ id: string }>('/replenishment/recommendations/approve', { skuId: r.skuId, warehouseId: r.warehouseId, supplierId: r.supplierId, quantity: r.quantity });
      return `Draft purchase order ${po.id} created for ${r.quantity} from ${r.supplierId}; place it to make it inbound supply.`;
    });
    if (done) data.reload();
  };

  return (
    <>
      <h1>SKU {id}</h1>
      <h2>Stock by warehouse</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Warehouse</th>
            <th scope="col">On hand</th>
            <th scope="col">Allocated</th>
            <th scope="col">Available</th>
            <th scope="col">Risk of a backorder</th>
          </tr>
        </thead>
        <tbody>
          {stock.map((s) => (
            <tr key={s.warehouseId}>
              <td>{s.warehouseId}</td>
              <td>{int(s.onHand)}</td>
              <td>{int(s.allocated)}</td>
              <td>{int(s.available)}</td>
              <td>{pct(risk.find((r) => r.warehouseId === s.warehouseId)?.stockoutProbability)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Inbound purchase orders</h2>
      {inbound.length === 0 ? (
        <p>Nothing is on order.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Purchase order</th>
              <th scope="col">Supplier</th>
              <th scope="col">Warehouse</th>
              <th scope="col">Open units</th>
              <th scope="col">Expected</th>
            </tr>
          </thead>
          <tbody>
            {inbound.map(({ po, line }) => (
              <tr key={line.id}>
                <td>{po.id}</td>
                <td>{po.supplierId}</td>
                <td>{line.warehouseId}</td>
                <td>{int(line.open)}</td>
                <td>
                  {line.expectedDate}
                  {line.expectedDate !== line.originalExpectedDate ? ` (was ${line.originalExpectedDate})` : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Weekly demand and forecast</h2>
      {demand.series.map((series) => {
        const p = policies.find((x) => x.warehouseId === series.warehouseId);
        const mean = p ? p.demand.dailyMean * 7 : null;
        const sd = p ? Math.sqrt(p.demand.dailyVariance * 7) : null;
        const band = (z: number) => series.periods.map(() => (mean === null || sd === null ? null : Math.max(0, mean + z * sd)));
        return (
          <div key={series.warehouseId}>
            <h3>{series.warehouseId}</h3>
            <Chart
              label={`Weekly demand of ${id} at ${series.warehouseId}: ${series.periods.map((x) => `${x.period} ${x.quantity}`).join(', ')}; forecast ${num(mean)} a week`}
              option={{
                animation: false,
                tooltip: { trigger: 'axis' },
                legend: { top: 0, data: ['demand', 'forecast', '90% band'] },
                grid: { left: 40, right: 10, top: 36, bottom: 30 },
                xAxis: { type: 'category', data: series.periods.map((x) => x.period) },
                yAxis: { type: 'value' },
                series: [
                  { name: 'demand', type: 'bar', data: series.periods.map((x) => x.quantity) },
                  { name: 'forecast', type: 'line', showSymbol: false, data: series.periods.map(() => mean) },
                  { name: '90% band', type: 'line', showSymbol: false, lineStyle: { type: 'dashed' }, data: band(1.645) },
                  { name: '90% band', type: 'line', showSymbol: false, lineStyle: { type: 'dashed' }, data: band(-1.645) },
                ],
              }}
            />
          </div>
        );
      })}
      <h2>Policy</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Warehouse</th>
            <th scope="col">Kind</th>
            <th scope="col">Reorder point</th>
            <th scope="col">Order-up-to / quantity</th>
            <th scope="col">Safety stock</th>
            <th scope="col">Expected fill rate</th>
            <th scope="col">Cycle service level</th>
            <th scope="col">Mean line size</th>
            <th scope="col">Forecast method</th>
          </tr>
        </thead>
        <tbody>
          {policies.map((p) => (
            <tr key={p.warehouseId}>
              <td>{p.warehouseId}</td>
              <td>{p.policy?.kind ?? 'no supplier'}</td>
              <td>{num(p.policy?.reorderPoint)}</td>
              <td>{num(p.policy?.orderUpTo ?? p.policy?.orderQuantity)}</td>
              <td>{num(p.policy?.safetyStock)}</td>
              <td>{pct(p.expected?.fillRate)}</td>
              <td>{pct(p.expected?.cycleServiceLevel)}</td>
              <td>{num(p.demand.meanLineSize)}</td>
              <td>{p.demand.method}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Recommended orders</h2>
      <ActionResult action={action} />
      {recommendations.items.length === 0 ? (
        <p>Nothing to order now.</p>
      ) : (
        <ul>
          {recommendations.items.map((r) => (
            <li key={`${r.warehouseId} ${r.supplierId}`}>
              {r.quantity} for {r.warehouseId} from {r.supplierId} ({r.basis.replaceAll('-', ' ')}), order by {r.orderBy ?? 'now'}, arrives {r.expectedArrival ?? '–'}, risk {pct(r.risk)}{' '}
              <button type="button" onClick={() => approve(r)}>
                Approve {r.quantity} from {r.supplierId}
              </button>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
