/** Loading and failure, the same on every page: a slow request shows progress; an error says what failed and what to do. */
import { useCallback, useEffect, useState } from 'react';
import { ApiError } from '../api.js';

export interface AsyncState<T> {
  data: T | null;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/** Runs `load` when `key` changes (and on reload); keeps the last data while a new load runs. */
export function useAsync<T>(load: () => Promise<T>, key: string): AsyncState<T> {
  const [state, setState] = useState<{ data: T | null; error: unknown; loading: boolean }>({ data: null, error: null, loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true, error: null }));
    load().then(
      (data) => live && setState({ data, error: null, loading: false }),
      (error: unknown) => live && setState((s) => ({ data: s.data, error, loading: false })),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}

export function Loading({ label }: { label: string }) {
  return (
    <div className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> {label}
    </div>
  );
}

/** What failed, why (the API's own words, naming the field), and what to do. */
export function ErrorBox({ error, what, onRetry }: { error: unknown; what: string; onRetry?: () => void }) {
  const e = error instanceof ApiError ? error : null;
  const advice =
    e === null
      ? 'Reload the page; if it happens again, the server log says more.'
      : e.status === 0
        ? e.detail
        : e.status === 404
          ? 'It may have been removed, or the link is wrong.'
          : e.status >= 500
            ? 'The server failed; try again, and check its log if it persists.'
            : e.field
              ? `Correct "${e.field}" and try again.`
              : 'Correct the request and try again.';
  return (
    <div className="error" role="alert">
      <strong>{what} failed.</strong> {e ? `${e.title}${e.detail ? `: ${e.detail}` : ''}` : String(error)} {advice}{' '}
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

export interface ActionState {
  /** What is running, as a progress label; null when idle. */
  busy: string | null;
  /** What the last action said when it succeeded. */
  notice: string | null;
  failure: { error: unknown; what: string } | null;
  /** Runs `action` (labelled `what` for progress and failure); true when it succeeded. */
  run: (what: string, action: () => Promise<string | null>) => Promise<boolean>;
}

/** A user action on a page (a transfer, a bulk change, a save): its progress, then its notice or its failure. */
export function useAction(): ActionState {
  const [busy, setBusy] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [failure, setFailure] = useState<ActionState['failure']>(null);
  const run = useCallback(async (what: string, action: () => Promise<string | null>) => {
    setBusy(what);
    setNotice(null);
    setFailure(null);
    try {
      setNotice(await action());
      return true;
    } catch (error) {
      setFailure({ error, what });
      return false;
    } finally {
      setBusy(null);
    }
  }, []);
  return { busy, notice, failure, run };
}

/** An action's progress, notice or failure, where the page shows it. */
export function ActionResult({ action }: { action: ActionState }) {
  return (
    <>
      {action.busy && <Loading label={action.busy} />}
      {action.notice && (
        <p role="status" className="notice">
          {action.notice}
        </p>
      )}
      {action.failure && <ErrorBox error={action.failure.error} what={action.failure.what} />}
    </>
  );
}
