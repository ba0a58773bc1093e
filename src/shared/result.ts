import type { ErrorCode } from './errors.js';

/** A failure the caller is expected to handle: a closed code, a sentence for people, and the field at fault. */
export interface Failure {
  code: ErrorCode;
  message: string;
  /** JSON-pointer-like path of the input at fault, e.g. `lines/2/skuId`. */
  field?: string;
  details?: Record<string, unknown>;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: Failure };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });

/** Builds a failed result; `field` names the input at fault so clients can point at it. */
export function fail<T = never>(
  code: ErrorCode,
  message: string,
  extra: { field?: string; details?: Record<string, unknown> } = {},
): Result<T> {
  const error: Failure = { code, message };
  if (extra.field !== undefined) error.field = extra.field;
  if (extra.details !== undefined) error.details = extra.details;
  return { ok: false, error };
}

/** Not found unless every id asked for was found: names the first ten missing (all in details), and the field. */
export function allFound(ids: readonly string[], found: ReadonlySet<string>, what: string, field: string): Result<void> {
  const missing = ids.filter((id) => !found.has(id));
  return missing.length === 0 ? ok(undefined) : fail('not_found', `unknown ${what}(s): ${missing.slice(0, 10).join(', ')}`, { field, details: { missing } });
}
