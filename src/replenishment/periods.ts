/**
 * Calendar periods for demand history, as pure functions over ISO days (UTC): days, ISO weeks (Monday to Sunday,
 * labelled `2026-W02` by the ISO week-numbering year, so 2027-01-01 is in `2026-W53`) and calendar months.
 */
export type PeriodKind = 'day' | 'week' | 'month';

export interface Period {
  /** `2026-01-05`, `2026-W02` or `2026-01`. */
  period: string;
  /** First and last day of the period (ISO days, inclusive). */
  start: string;
  end: string;
}

const msPerDay = 86_400_000;

/** Days since 1970-01-01 of an ISO day. */
export const dayNumber = (day: string): number => Math.round(Date.parse(`${day.slice(0, 10)}T00:00:00.000Z`) / msPerDay);

/** The ISO day of a day number. */
export const dayOfNumber = (n: number): string => new Date(n * msPerDay).toISOString().slice(0, 10);

/** ISO day `days` after `day`. */
export const shiftDay = (day: string, days: number): string => dayOfNumber(dayNumber(day) + days);

/** First day of the period holding `day`. */
export function periodStart(day: string, kind: PeriodKind): string {
  if (kind === 'day') return day.slice(0, 10);
  if (kind === 'month') return `${day.slice(0, 7)}-01`;
  const n = dayNumber(day);
  // Day 0 (1970-01-01) was a Thursday: (n + 3) mod 7 counts days since the Monday of n's week.
  return dayOfNumber(n - (((n + 3) % 7) + 7) % 7);
}

/** First day of the period after the one starting on `start`. */
export function nextPeriodStart(start: string, kind: PeriodKind): string {
  if (kind === 'day') return shiftDay(start, 1);
  if (kind === 'week') return shiftDay(start, 7);
  const d = new Date(`${start}T00:00:00.000Z`);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)).toISOString().slice(0, 10);
}

/** The label of the period starting on `start`. */
export function periodLabel(start: string, kind: PeriodKind): string {
  if (kind === 'day') return start;
  if (kind === 'month') return start.slice(0, 7);
  // An ISO week belongs to the year of its Thursday, and week 1 is the one holding that year's first Thursday.
  const thursday = dayOfNumber(dayNumber(start) + 3);
  const year = thursday.slice(0, 4);
  const week = Math.floor((dayNumber(thursday) - dayNumber(`${year}-01-01`)) / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** Every period from the one holding `from` to the one holding `to`, in order (whole periods). */
export function periodsCovering(from: string, to: string, kind: PeriodKind): Period[] {
  const out: Period[] = [];
  for (let start = periodStart(from, kind); start <= to; ) {
    const next = nextPeriodStart(start, kind);
    out.push({ period: periodLabel(start, kind), start, end: shiftDay(next, -1) });
    start = next;
  }
  return out;
}

/** How many periods `periodsCovering` would return, without building them (to refuse huge ranges first). */
export function countPeriods(from: string, to: string, kind: PeriodKind): number {
  if (to < from) return 0;
  if (kind === 'day') return dayNumber(to) - dayNumber(from) + 1;
  if (kind === 'week') return (dayNumber(periodStart(to, 'week')) - dayNumber(periodStart(from, 'week'))) / 7 + 1;
  const months = (d: string) => Number(d.slice(0, 4)) * 12 + Number(d.slice(5, 7));
  return months(to) - months(from) + 1;
}
