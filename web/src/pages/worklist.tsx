/**
 * The backorders worklist: filters in the address (so a filtered list can be shared and reloaded), a page of 50 at a
 * time (cursor paging, newest or oldest first), selection and bulk actions: a dry run of an allocation run for the
 * selected SKUs, and cancellation of the selected backorders.
 */
import { useState, type FormEvent } from 'react';
import { api } from '../api.js';
import { ActionResult, ErrorBox, Loading, useAction, useAsync } from '../components/async.js';
import { int } from '../format.js';
import { Link, navigate, type Route } from '../router.js';
import type { Backorder, Page, TransferSuggestion } from '../types.js';

const filters = ['skuId', 'warehouseId', 'customerId', 'tier', 'status', 'minAgeDays', 'maxAgeDays', 'cause', 'atRisk', 'sort'] as const;
type Filters = Partial<Record<(typeof filters)[number] | 'cursor', string>>;
const causes = ['data_error', 'supplier_late', 'supplier_short', 'demand_spike', 'no_replenishment', 'reorder_point_too_low', 'allocation_priority'];

export function Worklist({ route }: { route: Route }) {
  const current: Filters = Object.fromEntries([...filters, 'cursor'].map((k) => [k, route.query.get(k) ?? undefined]));
  const key = JSON.stringify(current);
  const page = useAsync(() => api.get<Page<Backorder>>('/backorders', { ...current, status: current.status ?? 'open,partially_allocated', limit: 50 }), key);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const action = useAction();

  const apply = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    navigate('/backorders', Object.fromEntries(filters.map((k) => [k, String(data.get(k) ?? '') || undefined])));
    setSelected(new Set());
  };
  const items = page.data?.items ?? [];
  const chosen = items.filter((b) => selected.has(b.id));
  const toggle = (id: string) => setSelected((s) => (s.has(id) ? new Set([...s].filter((x) => x !== id)) : new Set([...s, id])));

  /** Runs an action over the selection, then says what happened (or what failed) and reloads the page. */
  const bulk = async (act: () => Promise<string>) => {
    if (await action.run('The bulk action', act)) {
      setSelected(new Set());
      page.reload();
    }
  };
  const repromise = () =>
    bulk(async () => {
      const r = await api.post<{ skus: number; moved: number }>('/backorders/repromise', { backorderIds: chosen.map((b) => b.id) });
      return `Re-promised ${r.skus} SKU(s): ${r.moved} date(s) moved.`;
    });
  const notify = () =>
    bulk(async () => {
      const r = await api.post<{ orders: number; messages: number; skipped: number }>('/backorders/notify', { backorderIds: chosen.map((b) => b.id) });
      const skipped = r.skipped > 0 ? ` ${r.skipped} backorder(s) no longer waiting were skipped.` : '';
      return `Told ${r.messages} customer(s) about ${r.orders} order(s).${skipped}`;
    });
  const transfer = () =>
    bulk(async () => {
      // The suggestions that would serve the selected backorders sooner (2 days in transit), each made as a transfer.
      const wanted = new Set(chosen.map((b) => b.id));
      let moved = 0;
      for (const skuId of new Set(chosen.map((b) => b.skuId))) {
        const suggestions = await api.get<TransferSuggestion[]>('/transfers/suggestions', { skuId, transitDays: 2 });
        for (const s of suggestions.filter((x) => wanted.has(x.backorderId))) {
          await api.post('/stock/transfers', { skuId: s.skuId, fromWarehouseId: s.fromWarehouseId, toWarehouseId: s.toWarehouseId, quantity: s.quantity, transitDays: s.transitDays, reason: `for ${s.backorderId}` });
          moved += s.quantity;
        }
      }
      return moved === 0 ? 'No other warehouse has stock that would serve the selection sooner.' : `Transferred ${moved} unit(s); their promises moved to the arrival.`;
    });
  const cancelSelected = async () => {
    if (!window.confirm(`Cancel ${chosen.length} backorder(s)? Their waiting and allocated units are released.`)) return;
    await bulk(async () => {
      for (const b of chosen) await api.post(`/backorders/${b.id}/cancel`, { reason: 'cancelled from the worklist' });
      return `${chosen.length} backorder(s) cancelled.`;
    });
  };

  return (
    <>
      <h1>Backorders</h1>
      <form className="filters" onSubmit={apply} aria-label="Filter backorders">
        <label>
          SKU <input name="skuId" defaultValue={current.skuId} />
        </label>
        <label>
          Warehouse <input name="warehouseId" defaultValue={current.warehouseId} />
        </label>
        <label>
          Customer <input name="customerId" defaultValue={current.customerId} />
        </label>
        <label>
          Tier <input name="tier" type="number" min={1} defaultValue={current.tier} />
        </label>
        <label>
          Status
          <select name="status" defaultValue={current.status ?? ''}>
            <option value="">waiting</option>
            <option value="open">open</option>
            <option value="partially_allocated">partially allocated</option>
            <option value="allocated">allocated</option>
            <option value="fulfilled">fulfilled</option>
            <option value="cancelled">cancelled</option>
          </select>
        </label>
        <label>
          Older than (days) <input name="minAgeDays" type="number" min={0} defaultValue={current.minAgeDays} />
        </label>
        <label>
          Younger than (days) <input name="maxAgeDays" type="number" min={0} defaultValue={current.maxAgeDays} />
        </label>
        <label>
          Cause
          <select name="cause" defaultValue={current.cause ?? ''}>
            <option value="">any</option>
            {causes.map((c) => (
              <option key={c} value={c}>
                {c.replaceAll('_', ' ')}
              </option>
            ))}
          </select>
        </label>
        <label>
          At risk only <input type="checkbox" name="atRisk" value="true" defaultChecked={current.atRisk === 'true'} />
        </label>
        <label>
          Order
          <select name="sort" defaultValue={current.sort ?? 'oldest'}>
            <option value="oldest">oldest first</option>
            <option value="newest">newest first</option>
          </select>
        </label>
        <button type="submit">Apply filters</button>
      </form>

      <div className="bulk" role="toolbar" aria-label="Actions on the selected backorders">
        <span>{chosen.length} selected</span>
        <button type="button" disabled={chosen.length === 0} onClick={() => navigate('/runs', { skuIds: [...new Set(chosen.map((b) => b.skuId))].join(',') })}>
          Allocation dry run for their SKUs
        </button>
        <button type="button" disabled={chosen.length === 0} onClick={repromise}>
          Re-promise now
        </button>
        <button type="button" disabled={chosen.length === 0} onClick={notify}>
          Notify customers now
        </button>
        <button type="button" disabled={chosen.length === 0} onClick={transfer}>
          Transfer stock to them
        </button>
        <button type="button" disabled={chosen.length === 0} onClick={cancelSelected}>
          Cancel selected
        </button>
      </div>
      <ActionResult action={action} />
      {page.loading && <Loading label="Loading backorders" />}
      {page.error != null && <ErrorBox error={page.error} what="Loading the backorders" onRetry={page.reload} />}
      {page.data && (
        <table className="worklist" aria-busy={page.loading}>
          <caption>
            {items.length === 0 ? 'No backorder matches these filters.' : `Backorders ${current.cursor ? 'after the previous page' : ''} (${items.length} shown)`}
          </caption>
          <thead>
            <tr>
              <th scope="col">
                <span className="sr-only">Select</span>
              </th>
              <th scope="col">Backorder</th>
              <th scope="col">Order</th>
              <th scope="col">SKU</th>
              <th scope="col">Warehouse</th>
              <th scope="col">Customer</th>
              <th scope="col">Waiting</th>
              <th scope="col">Age (days)</th>
              <th scope="col">Promised</th>
              <th scope="col">Cause</th>
            </tr>
          </thead>
          <tbody>
            {items.map((b) => (
              <tr key={b.id} className={b.promisedDate === null ? 'unpromised' : undefined}>
                <td>
                  <input type="checkbox" aria-label={`Select ${b.id}`} checked={selected.has(b.id)} onChange={() => toggle(b.id)} />
                </td>
                <td>
                  <Link to={`/backorders/${b.id}`}>{b.id}</Link>
                </td>
                <td>
                  <Link to={`/orders/${b.orderId}`}>{b.orderId}</Link>
                </td>
                <td>
                  <Link to={`/skus/${b.skuId}`}>{b.skuId}</Link>
                </td>
                <td>{b.warehouseId}</td>
                <td>{b.customerId}</td>
                <td>{int(b.waiting)}</td>
                <td>{b.ageDays}</td>
                <td>{b.promisedDate ?? 'not yet'}{b.promisedDate && !b.promiseConfirmed ? ' (estimate)' : ''}</td>
                <td>{b.cause?.cause.replaceAll('_', ' ') ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <nav className="pager" aria-label="Pages of backorders">
        {current.cursor && (
          <Link to="/backorders" query={{ ...current, cursor: undefined }}>
            First page
          </Link>
        )}
        {page.data?.nextCursor && (
          <Link to="/backorders" query={{ ...current, cursor: page.data.nextCursor }}>
            Next page
          </Link>
        )}
      </nav>
    </>
  );
}
