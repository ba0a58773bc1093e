/** One order: its lines and allocations by warehouse, its backorders with promise and basis, the timeline, its messages. */
import { api } from '../api.js';
import { ErrorBox, Loading, useAsync } from '../components/async.js';
import { int, pct } from '../format.js';
import { Link } from '../router.js';
import type { BackorderWithHistory, Message, Order, Page } from '../types.js';

interface OrderData {
  order: Order;
  backorders: BackorderWithHistory[];
  messages: Message[];
}

async function loadOrder(id: string): Promise<OrderData> {
  const order = await api.get<Order>(`/orders/${encodeURIComponent(id)}`);
  const list = await api.get<Page<{ id: string }>>('/backorders', { orderId: id, status: 'open,partially_allocated,allocated,fulfilled,cancelled', limit: 500 });
  const backorders = await Promise.all(list.items.map((b) => api.get<BackorderWithHistory>(`/backorders/${b.id}`)));
  const messages = (await api.get<Page<Message>>(`/orders/${encodeURIComponent(id)}/messages`, { limit: 200 })).items;
  return { order, backorders, messages };
}

const basisWords = (b: BackorderWithHistory): string => {
  const p = b.promiseBasis;
  if (!p) return '';
  if (p.kind === 'po') return `purchase order ${p.poId}, expected ${p.expectedDate}${p.shiftDays ? ` + ${p.shiftDays} days of supplier lateness` : ''}`;
  if (p.kind === 'transfer') return `transfer ${p.transferId} from ${p.fromWarehouseId}, arriving ${p.arrivalDate}`;
  if (p.kind === 'lead_time') return `${p.supplierId}'s lead time of ${p.leadTimeDays} days (estimate)`;
  if (p.kind === 'stock') return 'stock on hand';
  return p.reason;
};

export function OrderPage({ id }: { id: string }) {
  const data = useAsync(() => loadOrder(id), id);
  if (data.loading && !data.data) return <Loading label={`Loading order ${id}`} />;
  if (data.error != null) return <ErrorBox error={data.error} what={`Loading order ${id}`} onRetry={data.reload} />;
  const { order, backorders, messages } = data.data!;
  const timeline = backorders.flatMap((b) => b.history.map((e) => ({ ...e, backorderId: b.id }))).sort((a, b) => (a.at < b.at ? -1 : 1));
  return (
    <>
      <h1>Order {order.id}</h1>
      <p>
        Customer <strong>{order.customerId}</strong>, placed {order.placedAt}, {order.status}
        {order.reference ? `, reference ${order.reference}` : ''}.
      </p>
      <h2>Lines</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">SKU</th>
            <th scope="col">Ordered</th>
            <th scope="col">Allocated by warehouse</th>
            <th scope="col">Shipped</th>
            <th scope="col">Waiting</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {order.lines.map((l) => (
            <tr key={l.id}>
              <td>{l.lineNo}</td>
              <td>
                <Link to={`/skus/${l.skuId}`}>{l.skuId}</Link>
              </td>
              <td>{int(l.quantity)}</td>
              <td>{l.allocations.filter((a) => a.quantity > 0).map((a) => `${a.warehouseId}: ${a.quantity}`).join(', ') || '–'}</td>
              <td>{int(l.shipped)}</td>
              <td>{int(l.waiting)}</td>
              <td>{l.status}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Backorders</h2>
      {backorders.length === 0 ? (
        <p>Nothing of this order waits.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Backorder</th>
              <th scope="col">SKU</th>
              <th scope="col">Waiting</th>
              <th scope="col">Promised</th>
              <th scope="col">Confidence</th>
              <th scope="col">Basis</th>
            </tr>
          </thead>
          <tbody>
            {backorders.map((b) => (
              <tr key={b.id}>
                <td>
                  <Link to={`/backorders/${b.id}`}>{b.id}</Link> ({b.status.replace('_', ' ')})
                </td>
                <td>{b.skuId}</td>
                <td>{int(b.waiting)}</td>
                <td>{b.promisedDate ?? 'not yet'}</td>
                <td>{b.promiseConfidence === null ? '–' : pct(b.promiseConfidence)}</td>
                <td>{basisWords(b)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Timeline</h2>
      <ol className="timeline">
        {timeline.map((e) => (
          <li key={e.id}>
            <time dateTime={e.at}>{e.at.replace('T', ' ').slice(0, 16)}</time> {e.type.replace('backorder.', '').replaceAll('_', ' ')} ({e.backorderId})
            {typeof e.data.reason === 'string' ? `: ${e.data.reason}` : ''}
            {e.type === 'backorder.promise_changed' ? `: ${String(e.data.from)} → ${String(e.data.to)}` : ''}
          </li>
        ))}
      </ol>
      <h2>Messages to the customer</h2>
      {messages.length === 0 ? (
        <p>No message yet.</p>
      ) : (
        <ul>
          {messages.map((m) => (
            <li key={m.id}>
              {m.createdAt.slice(0, 16).replace('T', ' ')}: {m.subject ?? m.template} ({m.channel}, {m.status})
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
