/**
 * Period labels of demand files and their positions on a calendar. Each kind maps a label to an integer ordinal
 * so that consecutive periods differ by exactly 1, which lets readers place values and fill gaps by subtraction.
 *
 * - month `YYYY-MM`: year * 12 + month - 1.
 * - week `YYYY-Www`: ISO 8601 weeks (Monday first; week 1 holds the year's first Thursday). The ordinal counts
 *   weeks since the ISO week holding 1970-01-01 (a Thursday, so that week's Monday is day -3).
 * - day `YYYY-MM-DD`: days since 1970-01-01 (UTC; dates carry no time zone here).
 * - integer: a plain non-negative integer, its own ordinal.
 */

export type PeriodKind = 'month' | 'week' | 'day' | 'integer';

export interface Period {
  kind: PeriodKind;
  ordinal: number;
}

/** The grains order lines can be aggregated to. */
export type Grain = 'day' | 'week' | 'month';

const MONTH = /^(\d{4})-(\d{2})$/;
const WEEK = /^(\d{4})-W(\d{2})$/;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const INTEGER = /^\d{1,9}$/;
const DAY_MS = 86_400_000;

/**
 * A period label's kind and ordinal; `null` when the label does not have a period's shape at all, `'invalid'` when
 * it has the shape but names no real period (month 13, week 54, February 30), so callers can say which.
 */
export function parsePeriod(label: string): Period | 'invalid' | null {
  let m = MONTH.exec(label);
  if (m) {
    const month = Number(m[2]);
    return month >= 1 && month <= 12 ? { kind: 'month', ordinal: Number(m[1]) * 12 + month - 1 } : 'invalid';
  }
  m = WEEK.exec(label);
  if (m) {
    const ordinal = weekOrdinal(Number(m[1]), Number(m[2]));
    return ordinal !== null ? { kind: 'week', ordinal } : 'invalid';
  }
  m = DAY.exec(label);
  if (m) {
    const day = dayNumber(Number(m[1]), Number(m[2]), Number(m[3]));
    return day !== null ? { kind: 'day', ordinal: day } : 'invalid';
  }
  if (INTEGER.test(label)) return { kind: 'integer', ordinal: Number(label) };
  return null;
}

/** The label of the period with this ordinal (inverse of parsePeriod). */
export function periodLabel(kind: PeriodKind, ordinal: number): string {
  if (kind === 'integer') return String(ordinal);
  if (kind === 'month') return `${Math.floor(ordinal / 12)}-${pad(ordinal - Math.floor(ordinal / 12) * 12 + 1)}`;
  if (kind === 'day') return new Date(ordinal * DAY_MS).toISOString().slice(0, 10);
  // The week's Monday is day 7 * ordinal - 3, so its Thursday, which names the ISO year, is day 7 * ordinal.
  const thursday = ordinal * 7;
  const year = new Date(thursday * DAY_MS).getUTCFullYear();
  const week = Math.floor((thursday - Date.UTC(year, 0, 1) / DAY_MS) / 7) + 1;
  return `${year}-W${pad(week)}`;
}

/** The ordinal of the period of this grain holding the day (days since 1970-01-01). */
export function periodOfDay(grain: Grain, day: number): number {
  if (grain === 'day') return day;
  if (grain === 'week') return (mondayOf(day) + 3) / 7;
  const date = new Date(day * DAY_MS);
  return date.getUTCFullYear() * 12 + date.getUTCMonth();
}

/** Days since 1970-01-01 of a calendar date, or null if it does not exist. */
export function dayNumber(year: number, month: number, day: number): number | null {
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  const ms = Date.UTC(year, month - 1, day);
  const check = new Date(ms);
  // Date.UTC rolls February 30 over to March 2: a different month means the date does not exist.
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  return ms / DAY_MS;
}

/** Periods per year of a kind, for annual costs; integer periods have no calendar, so none. */
export function periodsPerYearOf(kind: PeriodKind): number | null {
  if (kind === 'month') return 12;
  if (kind === 'week') return 365.2425 / 7;
  if (kind === 'day') return 365.2425;
  return null;
}

/** The ISO week's ordinal, or null when the year has no such week. */
function weekOrdinal(year: number, week: number): number | null {
  if (week < 1 || week > 53) return null;
  // January 4 is always in week 1.
  const monday = mondayOf(Date.UTC(year, 0, 4) / DAY_MS) + (week - 1) * 7;
  const ordinal = (monday + 3) / 7;
  return periodLabel('week', ordinal) === `${year}-W${pad(week)}` ? ordinal : null;
}

/** The Monday on or before the day (day 0, 1970-01-01, is a Thursday). */
function mondayOf(day: number): number {
  const weekday = (((day + 3) % 7) + 7) % 7;
  return day - weekday;
}

const pad = (n: number) => String(n).padStart(2, '0');
