/**
 * One backorder: why it waits (its root cause, its place in line, every allocation decision and why), its promise
 * and basis, and what a planner can do about it now: transfer stock from another warehouse (the suggestions that
 * would serve it sooner), after which the page shows the promise move.
 */
import { api } from '../api.js';
import { ErrorBox, Loading, useAction, useAsync } from '../components/async.js';
import { int } from '../format.js';
import { Link } from '../router.js';
import type { BackorderWithHistory, Explanation, TransferSuggestion } from '../types.js';

type Suggestion = TransferSuggestion;

async function load(id: string) {
  const backorder = await api.get<BackorderWithHistory>(`/backorders/${encodeURIComponent(id)}`);
  const [explanation, suggestions] = await Promise.all([
    api.get<Explanation>(`/backorders/${encodeURIComponent(id)}/explain`),
    api.get<Suggestion[]>('/transfers/suggestions', { skuId: backorder.skuId, transitDays: 2 }),
  ]);
  return { backorder, explanation, suggestions: suggestions.filter((s) => s.backorderId === id) };
}

export function BackorderPage({ id }: { id: string }) {
  const data = useAsync(() => load(id), id);
  const action = useAction();
  if (data.loading && !data.data) return <Loading label={`Loading backorder ${id}`} />;
  if (data.error != null && !data.data) return <ErrorBox error={data.error} what={`Loading backorder ${id}`} onRetry={data.reload} />;
  const { backorder: b, explanation, suggestions } = data.data!;

  const transfer = async (s: Suggestion) => {
    const before = b.promisedDate;
    const done = await action.run('The transfer', async () => {
      await api.post('/stock/transfers', { skuId: s.skuId, fromWarehouseId: s.fromWarehouseId, toWarehouseId: s.toWarehouseId, quantity: s.quantity, transitDays: s.transitDays, reason: `for ${b.id}` });
      const after = await api.get<BackorderWithHistory>(`/backorders/${encodeURIComponent(id)}`);
      return `Transferred ${s.quantity} from ${s.fromWarehouseId}. Promise: ${before ?? 'none'} → ${after.promisedDate ?? 'none'}.`;
    });
    if (done) data.reload();
  };

  return (
    <>
      <h1>Backorder {b.id}</h1>
      <p>
        <Link to={`/orders/${b.orderId}`}>Order {b.orderId}</Link> · {b.quantity} × <Link to={`/skus/${b.skuId}`}>{b.skuId}</Link> at {b.warehouseId}
        {b.flexible ? ' (or any warehouse)' : ''} · {b.status.replace('_', ' ')} · waiting {int(b.waiting)} · {b.ageDays} days old
      </p>
      <section aria-labelledby="promise-h">
        <h2 id="promise-h">Promise</h2>
        <p data-testid="promise">
          {b.promisedDate ? `Promised for ${b.promisedDate}` : 'No date yet'}
          {b.promisedDate && (b.promiseConfirmed ? ' (covered by inbound supply)' : ' (an estimate from the lead time)')}
          {b.firstPromisedDate && b.firstPromisedDate !== b.promisedDate ? `; first promised ${b.firstPromisedDate}` : ''}.
        </p>
        {action.notice && (
          <p role="status" className="notice">
            {action.notice}
          </p>
        )}
      </section>
      <section aria-labelledby="why-h">
        <h2 id="why-h">Why it waits</h2>
        {b.cause && (
          <p>
            <strong>Root cause: {b.cause.cause.replaceAll('_', ' ')}.</strong> {b.cause.reason}
          </p>
        )}
        <p data-testid="explanation">{explanation.summary}</p>
      </section>
      <section aria-labelledby="act-h">
        <h2 id="act-h">Transfer stock</h2>
        {action.failure && <ErrorBox error={action.failure.error} what={action.failure.what} />}
        {suggestions.length === 0 ? (
          <p>No other warehouse has stock that would serve it sooner.</p>
        ) : (
          <ul>
            {suggestions.map((s) => (
              <li key={`${s.fromWarehouseId}`}>
                {s.quantity} from {s.fromWarehouseId} in {s.transitDays} days: ships {s.promisedDateWithTransfer} instead of {s.currentPromisedDate ?? 'no date'}{' '}
                <button type="button" disabled={action.busy !== null} onClick={() => transfer(s)}>
                  Transfer {s.quantity} from {s.fromWarehouseId}
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="history-h">
        <h2 id="history-h">History</h2>
        <ol className="timeline">
          {b.history.map((e) => (
            <li key={e.id}>
              <time dateTime={e.at}>{e.at.replace('T', ' ').slice(0, 16)}</time> {e.type.replace('backorder.', '').replaceAll('_', ' ')}
              {typeof e.data.reason === 'string' ? `: ${e.data.reason}` : ''}
            </li>
          ))}
        </ol>
      </section>
    </>
  );
}
