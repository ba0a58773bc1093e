/** A report's date range: two ISO days, checked, and the instants the store compares against. */
import { shiftDay } from '../replenishment/periods.js';
import { fail, ok, type Result } from '../shared/result.js';

const isoDay = /^\d{4}-\d{2}-\d{2}$/;
/** A real calendar day: 2026-02-30 parses to an invalid date, 2026-02-29 rolls over to March. */
function validDay(d: string): boolean {
  const t = Date.parse(`${d}T00:00:00Z`);
  return isoDay.test(d) && !Number.isNaN(t) && new Date(t).toISOString().startsWith(d);
}

/** The first instant of `from` and the first after `to` (ISO text sorts as time). */
export function instantsOf(from: string, to: string): { start: string; end: string } {
  return { start: `${from}T00:00:00.000Z`, end: `${shiftDay(to, 1)}T00:00:00.000Z` };
}

export function checkRange(from: string, to: string): Result<{ start: string; end: string }> {
  if (!validDay(from)) return fail('validation_failed', `from must be an ISO day (YYYY-MM-DD), got '${from}'`, { field: 'from' });
  if (!validDay(to)) return fail('validation_failed', `to must be an ISO day (YYYY-MM-DD), got '${to}'`, { field: 'to' });
  if (from > to) return fail('validation_failed', `from (${from}) is after to (${to})`, { field: 'from' });
  return ok(instantsOf(from, to));
}
