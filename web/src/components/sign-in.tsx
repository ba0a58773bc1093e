/**
 * Signing in: the dashboard uses the same API keys as every other client. The key opens a session (an HttpOnly
 * cookie) and is then forgotten by the page; the form is shown whenever no session is open.
 */
import { useEffect, useState, type ReactNode } from 'react';
import { api, setSessionToken } from '../api.js';
import type { Session } from '../types.js';
import { ErrorBox, Loading } from './async.js';

/** Renders `children(session, signOut)` once signed in, the sign-in form until then. */
export function SignedIn({ children }: { children: (session: Session, signOut: () => void) => ReactNode }) {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  setSessionToken(session?.csrfToken ?? null, () => setSession(null));
  useEffect(() => {
    api.get<{ session: Session | null }>('/auth/session').then((r) => setSession(r.session), setError);
  }, []);
  const signOut = () => void api.delete('/auth/session').finally(() => setSession(null));
  if (error) return <ErrorBox error={error} what="Checking the session" onRetry={() => location.reload()} />;
  if (session === undefined) return <Loading label="Checking the session" />;
  if (session === null) return <SignInForm onSignedIn={setSession} />;
  return <>{children(session, signOut)}</>;
}

function SignInForm({ onSignedIn }: { onSignedIn: (s: Session) => void }) {
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  return (
    <main id="main" className="sign-in">
      <h1>Sign in to Raincheck</h1>
      <p>
        Paste an API key. <code>npm start</code> prints the demo&apos;s admin key; an admin makes keys under Settings, or with{' '}
        <code>raincheck keys create --name &lt;who&gt; --role &lt;role&gt;</code>.
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setBusy(true);
          setError(null);
          api.post<Session>('/auth/session', { key: key.trim() }).then(
            (s) => onSignedIn(s),
            (err: unknown) => (setError(err), setBusy(false)),
          );
        }}
      >
        <label>
          API key <input type="password" autoComplete="off" value={key} onChange={(e) => setKey(e.target.value)} required />
        </label>{' '}
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      {error != null && <ErrorBox error={error} what="Signing in" />}
    </main>
  );
}
