/** Allocation runs: choose a strategy (and SKUs, transfers), dry-run it, read the diff, commit it; past runs below. */
import { useState, type FormEvent } from 'react';
import { api } from '../api.js';
import { ErrorBox, Loading, useAsync } from '../components/async.js';
import { int } from '../format.js';
import { Link, type Route } from '../router.js';
import type { CommittedRun, DryRun, Page, RunSummary } from '../types.js';

const strategies = ['fifo', 'tier-then-fifo', 'earliest-promise', 'fair-share', 'categories'] as const;
const protectTierOne = { segments: [{ name: 'tier 1', category: 'protect', match: { tierAtMost: 1 } }], default: 'redistribute' };

export function Runs({ route }: { route: Route }) {
  const [request, setRequest] = useState<Record<string, unknown> | null>(null);
  const [dry, setDry] = useState<DryRun | null>(null);
  const [committed, setCommitted] = useState<CommittedRun | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [failure, setFailure] = useState<{ error: unknown; what: string } | null>(null);
  const runs = useAsync(() => api.get<Page<RunSummary>>('/allocation/runs', { limit: 10 }), String(committed?.id ?? ''));

  const plan = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const strategy = String(data.get('strategy'));
    const skuIds = String(data.get('skuIds') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    const transit = String(data.get('transitDays') ?? '');
    const body = {
      strategy,
      ...(strategy === 'categories' ? { categories: protectTierOne } : {}),
      ...(skuIds.length > 0 ? { skuIds } : {}),
      ...(transit !== '' ? { transfers: { transitDays: Number(transit) } } : {}),
    };
    setBusy('Planning the run (nothing changes)');
    setFailure(null);
    setCommitted(null);
    try {
      setDry(await api.post<DryRun>('/allocation/runs/dry-run', body));
      setRequest(body);
    } catch (error) {
      setFailure({ error, what: 'The dry run' });
    } finally {
      setBusy(null);
    }
  };

  const commit = async () => {
    if (!request) return;
    setBusy('Committing the run');
    setFailure(null);
    try {
      setCommitted(await api.post<CommittedRun>('/allocation/runs', { ...request, requestedBy: 'dashboard' }));
      setDry(null);
    } catch (error) {
      setFailure({ error, what: 'The commit' });
    } finally {
      setBusy(null);
    }
  };

  return (
    <>
      <h1>Allocation runs</h1>
      <form className="filters" onSubmit={plan} aria-label="Plan an allocation run">
        <label>
          Strategy
          <select name="strategy" defaultValue="tier-then-fifo">
            {strategies.map((s) => (
              <option key={s} value={s}>
                {s === 'categories' ? 'categories (tier 1 protected, others redistribute)' : s}
              </option>
            ))}
          </select>
        </label>
        <label>
          SKUs (comma-separated; empty: all) <input name="skuIds" defaultValue={route.query.get('skuIds') ?? ''} />
        </label>
        <label>
          Transfers (transit days; empty: none) <input name="transitDays" type="number" min={0} max={60} />
        </label>
        <button type="submit" disabled={busy !== null}>
          Dry run
        </button>
      </form>
      {busy && <Loading label={busy} />}
      {failure && <ErrorBox error={failure.error} what={failure.what} />}
      {dry && (
        <section aria-labelledby="diff-h">
          <h2 id="diff-h">What the run would change</h2>
          <p data-testid="dry-summary">
            {dry.strategy} over {int(dry.skus)} SKUs and {int(dry.backorders)} open backorders: {int(dry.changes.length)} changes, {int(dry.unitsGained)} units gained,{' '}
            {int(dry.unitsLost)} lost, {int(dry.promiseMoves.length)} other promises moved, {int(dry.customersAffected)} customers affected, {int(dry.transfers.length)} transfers.
          </p>
          <button type="button" onClick={commit} disabled={busy !== null || (dry.changes.length === 0 && dry.transfers.length === 0)}>
            Commit this run
          </button>
          <Diff changes={dry.changes} />
          {dry.promiseMoves.length > 0 && (
            <>
              <h3>Promises that move without a change of allocation ({int(dry.promiseMoves.length)})</h3>
              <ul>
                {dry.promiseMoves.slice(0, 100).map((m) => (
                  <li key={m.backorderId}>
                    <Link to={`/backorders/${m.backorderId}`}>{m.backorderId}</Link> ({m.customerId}, {m.skuId}): {m.from ?? 'no date'} → {m.to ?? 'no date'}
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
      )}
      {committed && (
        <p role="status" className="notice" data-testid="committed">
          Run {committed.id} {committed.status}: {int(committed.changes.length)} changes, {int(committed.unitsGained)} units gained, {int(committed.customersAffected)} customers affected.
        </p>
      )}
      <section aria-labelledby="past-h">
        <h2 id="past-h">Recent runs</h2>
        {runs.error != null && <ErrorBox error={runs.error} what="Loading the runs" onRetry={runs.reload} />}
        {runs.data && runs.data.items.length === 0 && <p>No run yet.</p>}
        {runs.data && runs.data.items.length > 0 && (
          <table>
            <thead>
              <tr>
                <th scope="col">Run</th>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Strategy</th>
                <th scope="col">Status</th>
                <th scope="col">Changes</th>
              </tr>
            </thead>
            <tbody>
              {runs.data.items.map((r) => (
                <tr key={r.id}>
                  <td>{r.id}</td>
                  <td>{r.startedAt.replace('T', ' ').slice(0, 16)}</td>
                  <td>{r.requestedBy} ({r.trigger})</td>
                  <td>{r.strategy}</td>
                  <td>{r.status}{r.error ? `: ${r.error}` : ''}</td>
                  <td>{int(r.changes)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}

function Diff({ changes }: { changes: DryRun['changes'] }) {
  if (changes.length === 0) return <p>Nothing would change: the stock already goes as this strategy says.</p>;
  const shown = changes.slice(0, 500);
  return (
    <table className="diff">
      <caption>{changes.length > shown.length ? `The first ${shown.length} of ${changes.length} changes` : `${changes.length} changes`}</caption>
      <thead>
        <tr>
          <th scope="col">SKU</th>
          <th scope="col">Backorder</th>
          <th scope="col">Customer</th>
          <th scope="col">Warehouse</th>
          <th scope="col">Before → after</th>
          <th scope="col">Promise</th>
          <th scope="col">Why</th>
        </tr>
      </thead>
      <tbody>
        {shown.map((c) => (
          <tr key={`${c.backorderId} ${c.warehouseId}`} className={c.delta > 0 ? 'gain' : 'loss'}>
            <td>{c.skuId}</td>
            <td>
              <Link to={`/backorders/${c.backorderId}`}>{c.backorderId}</Link>
            </td>
            <td>{c.customerId}</td>
            <td>{c.warehouseId}</td>
            <td>
              {c.before} → {c.after} ({c.delta > 0 ? `+${c.delta}` : c.delta})
            </td>
            <td>
              {c.promisedBefore ?? '–'} → {c.promisedAfter ?? 'ready'}
            </td>
            <td>{c.reason}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
