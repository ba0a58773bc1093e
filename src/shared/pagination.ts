import { fail, ok, type Result } from './result.js';

/** Cursor pagination over id-ordered lists: the cursor is the last id served, opaque to clients. */
export interface Page<T> {
  items: T[];
  /** Pass as `cursor` to get the next page; null on the last page. */
  nextCursor: string | null;
}

export const encodeCursor = (lastId: string): string => Buffer.from(JSON.stringify({ after: lastId })).toString('base64url');

/** The id to continue after, or null when the cursor is not one we issued. */
export function decodeCursor(cursor: string): string | null {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { after?: unknown };
    return typeof parsed.after === 'string' && parsed.after.length > 0 ? parsed.after : null;
  } catch {
    return null;
  }
}

/** The id to continue after (null for the first page), or a 400 naming `cursor` when it is not one we issued. */
export function resumeAfter(cursor: string | undefined): Result<string | null> {
  if (cursor === undefined) return ok(null);
  const after = decodeCursor(cursor);
  return after === null ? fail('validation_failed', 'cursor is not one this API issued', { field: 'cursor' }) : ok(after);
}

/** Rows were fetched with limit + 1: the extra row only tells that another page exists. */
export function toPage<R, T>(rows: readonly R[], limit: number, idOf: (r: R) => string, map: (r: R) => T): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items: items.map(map), nextCursor: rows.length > limit && last !== undefined ? encodeCursor(idOf(last)) : null };
}
