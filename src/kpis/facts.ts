/**
 * Day facts: what each day added to the KPIs, per slice, in forms that add up. A day's facts never change once
 * the day is over (intake facts are fixed at intake, the ledger is append-only, an order closes once, a backorder
 * is created once and resolves once), so past days are folded into a table (rollup.ts) and only the days after the
 * fold are read from the source tables. Percentiles come from minute histograms: exact to the minute.
 */
import { dayNumber } from '../replenishment/periods.js';
import type { IntakeSums } from './domain.js';
import type { CsatReport, CsatStats } from '../selfservice/csat.js';

/** Minutes -> how many. */
export type Histogram = Record<string, number>;

export interface StockDay {
  units: number;
  valueMinor: number;
  shippedUnits: number;
  shippedValueMinor: number;
}

/** Backorders created on the day: how many and their units, and of those, how many resolved on each later day. */
export interface AgingDay {
  created: [number, number];
  resolved: Record<string, [number, number]>;
}

/** Backorders resolved on the day: their resolved - created in minutes; fulfilled ones and those on their first promise. */
export interface ClearedDay {
  minutes: Histogram;
  fulfilled: number;
  kept: number;
}

/** CSAT answers of the day: [answers, sum of scores, scores of 4-5] per segment. */
export type CsatDay = Record<CsatSegment, [number, number, number]>;
export const csatSegments = [
  'all',
  'backordered.yes', 'backordered.no',
  'notified.yes', 'notified.no', 'notified.na',
  'kept.yes', 'kept.no', 'kept.na',
] as const;
export type CsatSegment = (typeof csatSegments)[number];

export interface FactData {
  intake: IntakeSums;
  stock: StockDay;
  /** Orders closed on the day: last shipment (within the slice) - order time. */
  cycle: Histogram;
  cleared: ClearedDay;
  aging: AgingDay;
  csat: CsatDay;
}
export type FactKind = keyof FactData;
export const factKinds = ['intake', 'stock', 'cycle', 'cleared', 'aging', 'csat'] as const satisfies readonly FactKind[];

export interface DayFact<K extends FactKind> {
  day: string;
  key: string;
  data: FactData[K];
}

/** Adds `b` into `a` (mutating `a`): merging thousands of facts must not copy a growing histogram per fact. */
function addInto<K extends FactKind>(kind: K, a: FactData[K], b: FactData[K]): void {
  const numbers = (x: Record<string, number>, y: Record<string, number>) => {
    for (const k in y) x[k] = (x[k] ?? 0) + y[k]!;
  };
  const tuples = (x: Record<string, number[]>, y: Record<string, number[]>) => {
    for (const k in y) {
      const t = x[k];
      if (t) for (let i = 0; i < t.length; i++) t[i]! += y[k]![i]!;
      else x[k] = [...y[k]!];
    }
  };
  switch (kind) {
    case 'intake':
    case 'stock':
    case 'cycle':
      return numbers(a as Record<string, number>, b as Record<string, number>);
    case 'cleared': {
      const x = a as ClearedDay;
      const y = b as ClearedDay;
      numbers(x.minutes, y.minutes);
      x.fulfilled += y.fulfilled;
      x.kept += y.kept;
      return;
    }
    case 'aging': {
      const x = a as AgingDay;
      const y = b as AgingDay;
      x.created[0] += y.created[0];
      x.created[1] += y.created[1];
      return tuples(x.resolved, y.resolved);
    }
    case 'csat':
      return tuples(a as CsatDay, b as CsatDay);
  }
  throw new Error(`unknown fact kind ${String(kind)}`);
}

const copyOf = <T>(x: T): T => structuredClone(x);

/** The sum of two facts of one kind (facts add: that is what lets past days be folded); the inputs are left alone. */
export function addFact<K extends FactKind>(kind: K, a: FactData[K], b: FactData[K]): FactData[K] {
  const sum = copyOf(a);
  addInto(kind, sum, b);
  return sum;
}

/** The sum of many facts of one kind, or `empty` when there are none (the inputs are left alone). */
export function sumFacts<K extends FactKind>(kind: K, facts: readonly FactData[K][], empty: FactData[K]): FactData[K] {
  const sum = copyOf(empty);
  for (const f of facts) addInto(kind, sum, f);
  return sum;
}

/** Adds facts that share a day and key (the inputs are left alone). */
export function mergeFacts<K extends FactKind>(kind: K, facts: readonly DayFact<K>[]): DayFact<K>[] {
  const out = new Map<string, DayFact<K>>();
  for (const f of facts) {
    const id = `${f.day}\u0000${f.key}`;
    const seen = out.get(id);
    if (seen) addInto(kind, seen.data, f.data);
    else out.set(id, { day: f.day, key: f.key, data: copyOf(f.data) });
  }
  return [...out.values()];
}

const minutesBetween = (from: string, to: string) => String(Math.round((Date.parse(to) - Date.parse(from)) / 60_000));

/** Orders closed within the window -> cycle facts on their closing day. */
export function cycleFacts(orders: readonly { key: string; placedAt: string; lastShippedAt: string; closedAt: string }[]): DayFact<'cycle'>[] {
  return mergeFacts('cycle', orders.map((o) => ({ day: o.closedAt.slice(0, 10), key: o.key, data: { [minutesBetween(o.placedAt, o.lastShippedAt)]: 1 } })));
}

export interface BackorderEvents {
  key: string;
  quantity: number;
  createdAt: string;
  resolvedAt: string | null;
  fulfilled: boolean;
  firstPromisedDate: string | null;
}

/**
 * Backorders -> the facts of a window [start, end): creation (on the creation day) when created in it, resolution
 * (on the creation day's resolved map, and as a cleared fact on the resolution day) when resolved in it.
 */
export function backorderFacts(lives: readonly BackorderEvents[], start: string, end: string): { aging: DayFact<'aging'>[]; cleared: DayFact<'cleared'>[] } {
  const aging: DayFact<'aging'>[] = [];
  const cleared: DayFact<'cleared'>[] = [];
  const inWindow = (iso: string) => iso >= start && iso < end;
  for (const b of lives) {
    const created = b.createdAt.slice(0, 10);
    if (inWindow(b.createdAt)) aging.push({ day: created, key: b.key, data: { created: [1, b.quantity], resolved: {} } });
    if (b.resolvedAt !== null && inWindow(b.resolvedAt)) {
      const resolved = b.resolvedAt.slice(0, 10);
      aging.push({ day: created, key: b.key, data: { created: [0, 0], resolved: { [resolved]: [1, b.quantity] } } });
      const kept = b.fulfilled && b.firstPromisedDate !== null && resolved <= b.firstPromisedDate ? 1 : 0;
      cleared.push({ day: resolved, key: b.key, data: { minutes: { [minutesBetween(b.createdAt, b.resolvedAt)]: 1 }, fulfilled: b.fulfilled ? 1 : 0, kept } });
    }
  }
  return { aging: mergeFacts('aging', aging), cleared: mergeFacts('cleared', cleared) };
}

export interface SurveyAnswer {
  day: string;
  key: string;
  score: number;
  backordered: number;
  notified_on_time: number | null;
  promise_kept: number | null;
}

const flag = (v: number | null) => (v === null ? 'na' : v === 1 ? 'yes' : 'no');

export function csatFacts(answers: readonly SurveyAnswer[]): DayFact<'csat'>[] {
  return mergeFacts(
    'csat',
    answers.map((a) => {
      const data = Object.fromEntries(csatSegments.map((s) => [s, [0, 0, 0]])) as CsatDay;
      const top = a.score >= 4 ? 1 : 0;
      for (const s of ['all', `backordered.${a.backordered === 1 ? 'yes' : 'no'}`, `notified.${flag(a.notified_on_time)}`, `kept.${flag(a.promise_kept)}`] as CsatSegment[]) {
        data[s] = [1, a.score, top];
      }
      return { day: a.day, key: a.key, data };
    }),
  );
}

/** Nearest-rank percentile of a histogram (the smallest value with at least p of the counts at or below it). */
export function histogramPercentile(h: Histogram, p: number): number | null {
  const entries = Object.entries(h).map(([v, n]) => [Number(v), n] as const).filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
  const total = entries.reduce((s, [, n]) => s + n, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(p * total));
  let seen = 0;
  for (const [v, n] of entries) {
    seen += n;
    if (seen >= rank) return v;
  }
  return entries.at(-1)![0];
}

export const histogramCount = (h: Histogram) => Object.values(h).reduce((s, n) => s + n, 0);
export const histogramSum = (h: Histogram) => Object.entries(h).reduce((s, [v, n]) => s + Number(v) * n, 0);

/** Whole calendar days from `createdDay` to `atDay`, counting both: a backorder created today is 1 day old. */
export const calendarAge = (createdDay: string, atDay: string) => dayNumber(atDay) - dayNumber(createdDay) + 1;

/** The figures of GET /csat, from sums. */
export type CsatSummary = Pick<CsatReport, 'count' | 'mean' | 'share45' | 'segments'>;

/** CSAT of some days' answers: mean and share of 4-5, overall and by segment (the same figures as GET /csat). */
export function csatSummary(days: readonly CsatDay[]): CsatSummary {
  const total = days.length === 0 ? null : sumFacts('csat', days, Object.fromEntries(csatSegments.map((k) => [k, [0, 0, 0]])) as CsatDay);
  const stats = (s: CsatSegment): CsatStats => {
    const [n, sum, top] = total?.[s] ?? [0, 0, 0];
    return { n, mean: n > 0 ? sum / n : null, share45: n > 0 ? top / n : null };
  };
  const all = stats('all');
  return {
    count: all.n,
    mean: all.mean,
    share45: all.share45,
    segments: {
      backordered: { yes: stats('backordered.yes'), no: stats('backordered.no') },
      notifiedOnTime: { yes: stats('notified.yes'), no: stats('notified.no'), notApplicable: stats('notified.na') },
      promiseKept: { yes: stats('kept.yes'), no: stats('kept.no'), notApplicable: stats('kept.na') },
    },
  };
}
