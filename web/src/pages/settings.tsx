/**
 * Settings: warehouses, the allocation strategy for received stock, the nightly run, the playbook (view, validate,
 * save), and for admins the API keys (make one and see it once, revoke) and the latest entries of the audit log.
 */
import { useState } from 'react';
import { api } from '../api.js';
import { ActionResult, ErrorBox, Loading, useAction, useAsync } from '../components/async.js';
import type { Page, Session, Warehouse } from '../types.js';
import { ApiKeys } from './api-keys.js';

interface Playbook {
  version: number;
  source: string;
  rules: number;
}
interface Validation {
  valid: boolean;
  message: string | null;
  problems: { line?: number | null; message: string }[];
}
interface Schedule {
  enabled: boolean;
  hourUtc: number;
  strategy: string;
}

export function Settings({ session }: { session: Session }) {
  const warehouses = useAsync(() => api.get<Page<Warehouse>>('/warehouses', { limit: 100 }), 'warehouses');
  const strategy = useAsync(() => api.get<{ strategy: string; available: { name: string; description: string }[] }>('/settings/allocation'), 'strategy');
  const schedule = useAsync(() => api.get<Schedule | null>('/settings/allocation/schedule'), 'schedule');
  const playbook = useAsync(() => api.get<Playbook>('/playbook'), 'playbook');
  const [source, setSource] = useState<string | null>(null);
  const [validation, setValidation] = useState<Validation | null>(null);
  const action = useAction();
  const act = action.run;
  const text = source ?? playbook.data?.source ?? '';

  return (
    <>
      <h1>Settings</h1>
      <ActionResult action={action} />
      <h2>Warehouses</h2>
      {warehouses.loading && <Loading label="Loading the warehouses" />}
      {warehouses.error != null && <ErrorBox error={warehouses.error} what="Loading the warehouses" onRetry={warehouses.reload} />}
      {warehouses.data && (
        <table>
          <thead>
            <tr>
              <th scope="col">Id</th>
              <th scope="col">Name</th>
              <th scope="col">Regions</th>
              <th scope="col">Priority</th>
            </tr>
          </thead>
          <tbody>
            {warehouses.data.items.map((w) => (
              <tr key={w.id}>
                <td>{w.id}</td>
                <td>{w.name}</td>
                <td>{w.regions.join(', ')}</td>
                <td>{w.priority}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Allocation of received stock</h2>
      {strategy.data && (
        <label>
          Strategy{' '}
          <select
            value={strategy.data.strategy}
            onChange={(e) => act('Changing the strategy', async () => (await api.put('/settings/allocation', { strategy: e.target.value }), strategy.reload(), `Strategy set to ${e.target.value}; every promise was projected again.`))}
          >
            {strategy.data.available.map((s) => (
              <option key={s.name} value={s.name}>
                {s.name}: {s.description}
              </option>
            ))}
          </select>
        </label>
      )}
      <h2>Nightly allocation run</h2>
      {schedule.data === null && !schedule.loading && <p>No run is scheduled.</p>}
      {schedule.data && (
        <p>
          {schedule.data.enabled ? 'Enabled' : 'Disabled'}: {schedule.data.strategy} from {schedule.data.hourUtc}:00 UTC, once a day.
        </p>
      )}
      <form
        className="filters"
        aria-label="Schedule the nightly run"
        onSubmit={(e) => {
          e.preventDefault();
          const d = new FormData(e.currentTarget);
          const body = { enabled: d.get('enabled') === 'on', hourUtc: Number(d.get('hourUtc')), strategy: String(d.get('strategy')) };
          void act('Saving the schedule', async () => (await api.put('/settings/allocation/schedule', body), schedule.reload(), 'Schedule saved.'));
        }}
      >
        <label>
          Enabled <input type="checkbox" name="enabled" defaultChecked={schedule.data?.enabled ?? true} />
        </label>
        <label>
          Hour (UTC) <input type="number" name="hourUtc" min={0} max={23} defaultValue={schedule.data?.hourUtc ?? 2} />
        </label>
        <label>
          Strategy
          <select name="strategy" defaultValue={schedule.data?.strategy ?? 'tier-then-fifo'}>
            {['fifo', 'tier-then-fifo', 'earliest-promise', 'fair-share'].map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <button type="submit">Save schedule</button>
      </form>
      <h2>Communication playbook</h2>
      {playbook.data && (
        <p>
          Version {playbook.data.version}, {playbook.data.rules} rules.
        </p>
      )}
      <label className="block">
        <span className="sr-only">Playbook (YAML)</span>
        <textarea value={text} onChange={(e) => (setSource(e.target.value), setValidation(null))} rows={18} spellCheck={false} style={{ width: '100%', fontFamily: 'monospace' }} />
      </label>
      <div className="bulk">
        <button type="button" onClick={() => act('Validating the playbook', async () => {
          const v = await api.post<Validation>('/playbook/validate', { source: text });
          setValidation(v);
          return v.valid ? 'The playbook is valid.' : 'The playbook has problems (below).';
        })}>
          Validate
        </button>
        <button type="button" disabled={source === null} onClick={() => act('Saving the playbook', async () => {
          const saved = await api.put<Playbook>('/playbook', { source: text, note: 'edited in the dashboard' });
          setSource(null);
          playbook.reload();
          return `Playbook version ${saved.version} is in force.`;
        })}>
          Save as a new version
        </button>
      </div>
      {validation && !validation.valid && (
        <ul role="alert">
          {validation.problems.map((p, i) => (
            <li key={i}>
              {p.line ? `line ${p.line}: ` : ''}
              {p.message}
            </li>
          ))}
        </ul>
      )}
      <h2>API keys</h2>
      {session.role === 'admin' ? <ApiKeys session={session} /> : <p>Only an admin can see and make API keys. You are signed in as {session.name} ({session.role}).</p>}
    </>
  );
}
