/**
 * The dashboard's one way to the API: JSON in and out, problem+json errors turned into ApiError with the field.
 * It is signed in by a session cookie the page cannot read (HttpOnly); changes carry the session's CSRF token.
 * A 401 means the session ended: the app is told, and shows the sign-in form again.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly field: string | null,
  ) {
    super(detail || title);
  }
}

type Query = Record<string, string | number | boolean | undefined | null>;

export function withQuery(path: string, query: Query = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

let csrfToken: string | null = null;
let onSignedOut: () => void = () => {};

/** Set when a session opens (and cleared when it ends); `signedOut` is called when the API says it has ended. */
export function setSessionToken(token: string | null, signedOut: () => void): void {
  csrfToken = token;
  onSignedOut = signedOut;
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  let res: Response;
  const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  try {
    res = await fetch(path, { method, headers, credentials: 'same-origin', ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  } catch {
    throw new ApiError(0, 'The server did not answer', 'Check that Raincheck is running and reachable, then try again.', null);
  }
  const text = await res.text();
  const json = text ? (JSON.parse(text) as unknown) : null;
  if (!res.ok) {
    const p = (json ?? {}) as { title?: string; detail?: string; field?: string };
    if (res.status === 401 && !path.startsWith('/auth/')) onSignedOut();
    throw new ApiError(res.status, p.title ?? res.statusText, p.detail ?? '', p.field ?? null);
  }
  return json as T;
}

export const api = {
  get: <T>(path: string, query?: Query) => call<T>('GET', withQuery(path, query)),
  post: <T>(path: string, body: unknown) => call<T>('POST', path, body),
  put: <T>(path: string, body: unknown) => call<T>('PUT', path, body),
  delete: <T>(path: string) => call<T>('DELETE', path),
};
