/** The admin's keys section of Settings: every key and its role, make one (shown this once), revoke, the audit log. */
import { useState } from 'react';
import { api } from '../api.js';
import { ActionResult, ErrorBox, Loading, useAction, useAsync } from '../components/async.js';
import { dateTime } from '../format.js';
import type { ApiKey, AuditEntry, Session } from '../types.js';

const roleNames = ['admin', 'planner', 'agent', 'viewer', 'integration'] as const;

export function ApiKeys({ session }: { session: Session }) {
  const keys = useAsync(() => api.get<{ items: ApiKey[]; roles: Record<string, string> }>('/api-keys'), 'keys');
  const audit = useAsync(() => api.get<{ entries: AuditEntry[] }>('/audit-log', { limit: 20 }), 'audit');
  const [issued, setIssued] = useState<(ApiKey & { secret: string }) | null>(null);
  const action = useAction();
  const reload = () => (keys.reload(), audit.reload());
  return (
    <>
      <ActionResult action={action} />
      {issued && (
        <div className="notice" role="status">
          <p>
            <strong>The key for {issued.name} ({issued.role}):</strong> copy it now; it will not be shown again.
          </p>
          <label>
            <span className="sr-only">New key</span>
            <input readOnly value={issued.secret} onFocus={(e) => e.currentTarget.select()} size={70} aria-label="New key" />
          </label>
        </div>
      )}
      <form
        className="filters"
        aria-label="Make an API key"
        onSubmit={(e) => {
          e.preventDefault();
          const form = e.currentTarget;
          const d = new FormData(form);
          const body = { name: String(d.get('name')), role: String(d.get('role')) };
          void action.run('Making the key', async () => {
            setIssued(await api.post<ApiKey & { secret: string }>('/api-keys', body));
            form.reset();
            reload();
            return null;
          });
        }}
      >
        <label>
          For <input name="name" required maxLength={100} placeholder="e.g. shop integration" />
        </label>
        <label>
          Role{' '}
          <select name="role" defaultValue="viewer">
            {roleNames.map((r) => (
              <option key={r} value={r}>
                {r}
                {keys.data?.roles[r] ? `: ${keys.data.roles[r]}` : ''}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">Make key</button>
      </form>
      {keys.loading && !keys.data && <Loading label="Loading the keys" />}
      {keys.error != null && <ErrorBox error={keys.error} what="Loading the keys" onRetry={keys.reload} />}
      {keys.data && (
        <table aria-label="API keys">
          <thead>
            <tr>
              <th scope="col">Id</th>
              <th scope="col">For</th>
              <th scope="col">Role</th>
              <th scope="col">Made</th>
              <th scope="col">Last used</th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            {keys.data.items.map((k) => (
              <tr key={k.id}>
                <td>{k.id}</td>
                <td>{k.name}</td>
                <td>{k.role}</td>
                <td>{dateTime(k.createdAt)}</td>
                <td>{k.lastUsedAt ? dateTime(k.lastUsedAt) : 'never'}</td>
                <td>
                  {k.revokedAt ? (
                    `revoked ${dateTime(k.revokedAt)}`
                  ) : k.id === session.keyId ? (
                    'live (yours)'
                  ) : (
                    <button type="button" onClick={() => void action.run(`Revoking ${k.name}`, async () => (await api.delete(`/api-keys/${k.id}`), reload(), `Revoked the key for ${k.name}.`))}>
                      Revoke {k.name}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>Audit log (latest 20)</h3>
      {audit.error != null && <ErrorBox error={audit.error} what="Loading the audit log" onRetry={audit.reload} />}
      {audit.data && (
        <table aria-label="Audit log">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">What</th>
              <th scope="col">Outcome</th>
            </tr>
          </thead>
          <tbody>
            {audit.data.entries.map((a) => (
              <tr key={a.id}>
                <td>{dateTime(a.at)}</td>
                <td>
                  {a.actor}
                  {a.role ? ` (${a.role}, ${a.via})` : ''}
                </td>
                <td>
                  {a.method} {a.path}
                </td>
                <td>
                  {a.outcome} ({a.status})
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
