// The KPI formulas of kpis/domain.ts (README "Words and KPI formulas"), by hand and against plain re-implementations.
//
// What this proves:
//   - worked examples for rollIntake, intakeKpis, percentile, cycleKpis, backorderKpis and inventoryKpis, with the
//     arithmetic in a comment;
//   - rollIntake conserves every field: the sums per span and slice are the sums of the rows in the span, rows outside
//     every span are ignored;
//   - intakeKpis: from per-line facts aggregated here into IntakeSums, every rate is the direct count ratio, in [0, 1],
//     and null exactly when its denominator is 0;
//   - percentile is the nearest-rank percentile (the smallest value with at least p of the values at or below it)
//     and is monotone in p;
//   - backorderKpis: open / cleared / promise accuracy equal brute-force counts over the lives;
//   - inventoryKpis: the average is the mean of each day's closing balance, the end balance and shipments are sums.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ageBuckets,
  backorderKpis,
  cycleKpis,
  emptyIntake,
  intakeFields,
  intakeKpis,
  inventoryKpis,
  percentile,
  rollIntake,
  type BackorderLife,
  type IntakeSums,
  type Keyed,
  type MovementSums,
  type Span,
} from './domain.js';

const dayMs = 86_400_000;
/** ISO day `n` days after 2026-01-01 (plain Date arithmetic, independent of the module's helpers). */
const day = (n: number): string => new Date(Date.UTC(2026, 0, 1) + n * dayMs).toISOString().slice(0, 10);
const iso = (ms: number): string => new Date(ms).toISOString();
const base = Date.UTC(2026, 0, 1);

const sums = (over: Partial<IntakeSums> = {}): IntakeSums => ({ ...emptyIntake(), ...over });

// ---------------------------------------------------------------------------------------------------------------
// rollIntake
// ---------------------------------------------------------------------------------------------------------------

describe('rollIntake', () => {
  const w1: Span = { label: 'W1', start: '2026-01-05', end: '2026-01-11' };
  const w2: Span = { label: 'W2', start: '2026-01-12', end: '2026-01-18' };

  it('adds each day row into its span and slice; days outside every span are ignored', () => {
    const rows: (Keyed & IntakeSums)[] = [
      { day: '2026-01-05', key: 'A', ...sums({ orders: 2, lines: 3, units: 10, unitsRejected: 1 }) },
      { day: '2026-01-11', key: 'A', ...sums({ orders: 1, lines: 1, units: 4 }) },
      { day: '2026-01-07', key: 'B', ...sums({ orders: 5, linesBackordered: 2 }) },
      { day: '2026-01-12', key: 'A', ...sums({ orders: 7, unitsBackordered: 3 }) },
      { day: '2026-01-04', key: 'A', ...sums({ orders: 100 }) }, // before W1: ignored
      { day: '2026-01-19', key: 'B', ...sums({ orders: 100 }) }, // after W2: ignored
    ];
    const out = rollIntake(rows, [w1, w2]);
    expect([...out.keys()]).toEqual(['W1', 'W2']);
    // W1, A: orders 2 + 1 = 3, lines 3 + 1 = 4, units 10 + 4 = 14, rejected 1.
    expect(out.get('W1')!.get('A')).toEqual(sums({ orders: 3, lines: 4, units: 14, unitsRejected: 1 }));
    expect(out.get('W1')!.get('B')).toEqual(sums({ orders: 5, linesBackordered: 2 }));
    expect(out.get('W2')!.get('A')).toEqual(sums({ orders: 7, unitsBackordered: 3 }));
    expect(out.get('W2')!.has('B')).toBe(false);
  });

  it('gives every span an entry, empty when nothing fell in it, and does not alias the rows', () => {
    const row = { day: '2026-01-06', key: 'A', ...sums({ orders: 1 }) };
    const out = rollIntake([row], [w1, w2]);
    expect(out.get('W2')!.size).toBe(0);
    out.get('W1')!.get('A')!.orders += 10;
    expect(row.orders).toBe(1);
  });

  it('conserves every field over a partition of days into spans', () => {
    const spanArb = fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 5 });
    const rowArb = fc.record({
      d: fc.integer({ min: -5, max: 50 }),
      key: fc.constantFrom('A', 'B', 'C'),
      values: fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: intakeFields.length, maxLength: intakeFields.length }),
    });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 }), spanArb, fc.array(rowArb, { maxLength: 40 }), (first, lengths, raw) => {
        // Consecutive spans from day `first`, each `length` days.
        const spans: Span[] = [];
        let at = first;
        for (const [i, len] of lengths.entries()) {
          spans.push({ label: `S${i}`, start: day(at), end: day(at + len - 1) });
          at += len;
        }
        const lastDay = at - 1;
        const rows = raw.map((r) => ({ day: day(r.d), key: r.key, ...(Object.fromEntries(intakeFields.map((f, i) => [f, r.values[i]!])) as unknown as IntakeSums) }));
        const out = rollIntake(rows, spans);
        expect(out.size).toBe(spans.length);
        // Per span and key, every field is the sum of that key's rows whose day is in the span.
        spans.forEach((span, si) => {
          const start = first + lengths.slice(0, si).reduce((s, x) => s + x, 0);
          const end = start + lengths[si]! - 1;
          const inSpan = raw.filter((r) => r.d >= start && r.d <= end);
          const keys = new Set(inSpan.map((r) => r.key));
          expect(new Set(out.get(span.label)!.keys())).toEqual(keys);
          for (const key of keys) {
            const got = out.get(span.label)!.get(key)!;
            intakeFields.forEach((f, i) => {
              expect(got[f]).toBe(inSpan.filter((r) => r.key === key).reduce((s, r) => s + r.values[i]!, 0));
            });
          }
        });
        // Totals over the partition: exactly the rows inside [first, lastDay].
        intakeFields.forEach((f, i) => {
          let total = 0;
          for (const bySlice of out.values()) for (const s of bySlice.values()) total += s[f];
          expect(total).toBe(raw.filter((r) => r.d >= first && r.d <= lastDay).reduce((s, r) => s + r.values[i]!, 0));
        });
      }),
      { numRuns: 150 },
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// intakeKpis
// ---------------------------------------------------------------------------------------------------------------

/** One order line at intake: quantity, units rejected, units backordered (the rest filled from stock). */
interface LineFact {
  quantity: number;
  rejected: number;
  backordered: number;
}

/** IntakeSums of orders, as the store aggregates them (kpis/repository.ts: per order, then summed). */
function aggregate(orders: readonly (readonly LineFact[])[]): IntakeSums {
  const s = emptyIntake();
  for (const lines of orders) {
    const accepted = lines.filter((l) => l.quantity > l.rejected).length;
    const backordered = lines.filter((l) => l.backordered > 0).length;
    const filled = lines.filter((l) => l.backordered === 0 && l.rejected === 0).length;
    s.orders += 1;
    s.ordersAccepted += accepted > 0 ? 1 : 0;
    s.ordersBackordered += backordered > 0 ? 1 : 0;
    s.ordersFilled += filled === lines.length ? 1 : 0;
    s.lines += lines.length;
    s.linesAccepted += accepted;
    s.linesBackordered += backordered;
    s.linesFilled += filled;
    for (const l of lines) {
      s.units += l.quantity;
      s.unitsAccepted += l.quantity - l.rejected;
      s.unitsBackordered += l.backordered;
      s.unitsRejected += l.rejected;
    }
  }
  return s;
}

describe('intakeKpis', () => {
  it('a worked example: two orders, four lines', () => {
    // Order 1: (q 10, rej 0, bo 4), (q 5, rej 5, bo 0), (q 3, rej 0, bo 0); order 2: (q 2, rej 0, bo 0).
    // Lines 4, accepted 3 (all but the fully rejected one), backordered 1, filled 2 (the 3 and the 2).
    // Units 20, accepted 15, backordered 4, rejected 5. Orders 2, accepted 2, backordered 1, filled 1 (order 2).
    const s = aggregate([
      [
        { quantity: 10, rejected: 0, backordered: 4 },
        { quantity: 5, rejected: 5, backordered: 0 },
        { quantity: 3, rejected: 0, backordered: 0 },
      ],
      [{ quantity: 2, rejected: 0, backordered: 0 }],
    ]);
    expect(s).toEqual({
      orders: 2, ordersAccepted: 2, ordersBackordered: 1, ordersFilled: 1,
      lines: 4, linesAccepted: 3, linesBackordered: 1, linesFilled: 2,
      units: 20, unitsAccepted: 15, unitsBackordered: 4, unitsRejected: 5,
    });
    // backorder rate: lines 1/3, units 4/15, orders 1/2; fill: units (15 - 4)/20 = 0.55, lines 2/4, orders 1/2;
    // lost demand 5/20 = 0.25.
    expect(intakeKpis(s)).toEqual({
      backorderRate: { lines: 1 / 3, units: 4 / 15, orders: 0.5 },
      fillRate: { units: 0.55, lines: 0.5, orders: 0.5 },
      lostDemandRate: 0.25,
    });
  });

  it('every rate is null with nothing ordered', () => {
    expect(intakeKpis(emptyIntake())).toEqual({
      backorderRate: { lines: null, units: null, orders: null },
      fillRate: { units: null, lines: null, orders: null },
      lostDemandRate: null,
    });
  });

  it('everything rejected: backorder rates are null (nothing accepted), fill 0, lost demand 1', () => {
    // One order, one line of 4 all rejected: accepted 0 everywhere, units 4, rejected 4.
    const k = intakeKpis(aggregate([[{ quantity: 4, rejected: 4, backordered: 0 }]]));
    expect(k.backorderRate).toEqual({ lines: null, units: null, orders: null });
    expect(k.fillRate).toEqual({ units: 0, lines: 0, orders: 0 });
    expect(k.lostDemandRate).toBe(1);
  });

  it('every rate is the direct count ratio, in [0, 1], and null exactly when its denominator is 0', () => {
    const lineArb = fc
      .integer({ min: 1, max: 20 })
      .chain((quantity) =>
        fc.oneof(
          fc.constant({ quantity, rejected: quantity, backordered: 0 }),
          fc.constant({ quantity, rejected: 0, backordered: 0 }),
          fc.integer({ min: 0, max: quantity }).chain((rejected) =>
            fc.integer({ min: 0, max: quantity - rejected }).map((backordered) => ({ quantity, rejected, backordered })),
          ),
        ),
      );
    const ordersArb = fc.array(fc.array(lineArb, { minLength: 1, maxLength: 4 }), { maxLength: 6 });
    fc.assert(
      fc.property(ordersArb, (orders) => {
        const k = intakeKpis(aggregate(orders));
        const lines = orders.flat();
        const count = <T>(xs: readonly T[], p: (x: T) => boolean) => xs.filter(p).length;
        const total = (xs: readonly LineFact[], f: (l: LineFact) => number) => xs.reduce((s, l) => s + f(l), 0);
        const rate = (num: number, den: number) => (den === 0 ? null : num / den);
        const accepted = lines.filter((l) => l.rejected < l.quantity);
        const ordersAccepted = orders.filter((o) => o.some((l) => l.rejected < l.quantity));
        const expected = {
          backorderRate: {
            lines: rate(count(accepted, (l) => l.backordered > 0), accepted.length),
            units: rate(total(lines, (l) => l.backordered), total(lines, (l) => l.quantity - l.rejected)),
            orders: rate(count(ordersAccepted, (o) => o.some((l) => l.backordered > 0)), ordersAccepted.length),
          },
          fillRate: {
            units: rate(total(lines, (l) => l.quantity - l.rejected - l.backordered), total(lines, (l) => l.quantity)),
            lines: rate(count(lines, (l) => l.rejected === 0 && l.backordered === 0), lines.length),
            orders: rate(count(orders, (o) => o.every((l) => l.rejected === 0 && l.backordered === 0)), orders.length),
          },
          lostDemandRate: rate(total(lines, (l) => l.rejected), total(lines, (l) => l.quantity)),
        };
        expect(k).toEqual(expected);
        const all = [...Object.values(k.backorderRate), ...Object.values(k.fillRate), k.lostDemandRate];
        for (const r of all) if (r !== null) expect(r >= 0 && r <= 1).toBe(true);
        // Null exactly when the denominator is 0.
        expect(k.backorderRate.lines === null).toBe(accepted.length === 0);
        expect(k.backorderRate.orders === null).toBe(ordersAccepted.length === 0);
        expect(k.fillRate.lines === null).toBe(lines.length === 0);
        expect(k.lostDemandRate === null).toBe(lines.length === 0);
        // Fill and lost demand and backordered share add up to the whole demand.
        if (k.fillRate.units !== null) {
          const bo = total(lines, (l) => l.backordered) / total(lines, (l) => l.quantity);
          expect(k.fillRate.units + k.lostDemandRate! + bo).toBeCloseTo(1, 12);
        }
      }),
      { numRuns: 300 },
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// percentile and cycleKpis
// ---------------------------------------------------------------------------------------------------------------

/** Nearest rank, plainly: the smallest value v of the list with count(x <= v) / n >= num / den (integers, exact). */
function nearestRank(values: readonly number[], num: number, den: number): number | null {
  if (values.length === 0) return null;
  const candidates = [...values].sort((a, b) => a - b);
  for (const v of candidates) {
    if (values.filter((x) => x <= v).length * den >= num * values.length) return v;
  }
  throw new Error('unreachable: the largest value has every value at or below it');
}

describe('percentile', () => {
  const ten = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

  it('nearest rank by hand', () => {
    // n = 10: p50 -> rank ceil(5) = 5 -> 5; p90 -> rank 9 -> 9; p95 -> rank ceil(9.5) = 10 -> 10;
    // p0 -> rank 0, clamped to the first -> 1; p100 -> rank 10 -> 10; p0.01 -> rank ceil(0.1) = 1 -> 1.
    expect(percentile(ten, 0.5)).toBe(5);
    expect(percentile(ten, 0.9)).toBe(9);
    expect(percentile(ten, 0.95)).toBe(10);
    expect(percentile(ten, 0)).toBe(1);
    expect(percentile(ten, 1)).toBe(10);
    expect(percentile(ten, 0.01)).toBe(1);
    // n = 4, [2, 4, 4, 8]: p50 -> rank 2 -> 4; p51 -> rank ceil(2.04) = 3 -> 4; p76 -> rank ceil(3.04) = 4 -> 8.
    expect(percentile([2, 4, 4, 8], 0.5)).toBe(4);
    expect(percentile([2, 4, 4, 8], 0.51)).toBe(4);
    expect(percentile([2, 4, 4, 8], 0.76)).toBe(8);
    expect(percentile([7], 0.9)).toBe(7);
    expect(percentile([], 0.5)).toBeNull();
  });

  it('is the nearest-rank percentile (p = num / 64, exact in binary) and p50, p90 as used', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 0, maxLength: 60 }), fc.integer({ min: 0, max: 64 }), (values, num) => {
        const sorted = [...values].sort((a, b) => a - b);
        expect(percentile(sorted, num / 64)).toBe(nearestRank(values, num, 64));
        expect(percentile(sorted, 0.5)).toBe(nearestRank(values, 1, 2));
        expect(percentile(sorted, 0.9)).toBe(nearestRank(values, 9, 10));
      }),
      { numRuns: 400 },
    );
  });

  it('p50 and p90 agree with the exact rank for every n up to 2000', () => {
    // 0.9 is not exact in binary: p * n must still land on the integer rank whenever 0.9 n is an integer.
    for (let n = 1; n <= 2000; n++) {
      const values = Array.from({ length: n }, (_, i) => i + 1);
      expect(percentile(values, 0.9)).toBe(Math.ceil((9 * n) / 10));
      expect(percentile(values, 0.5)).toBe(Math.ceil(n / 2));
    }
  });

  it('is monotone in p and returns a member of the list', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 50 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (values, a, b) => {
          const sorted = [...values].sort((x, y) => x - y);
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          const pl = percentile(sorted, lo)!;
          const ph = percentile(sorted, hi)!;
          expect(pl).toBeLessThanOrEqual(ph);
          expect(sorted).toContain(pl);
          // At least p of the values are at or below it (with a float-rounding allowance of one rank).
          expect(sorted.filter((x) => x <= ph).length).toBeGreaterThanOrEqual(Math.ceil(hi * sorted.length) - 1);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('cycleKpis', () => {
  it('sorts, counts and takes p50 and p90 by hand, without touching its input', () => {
    // Sorted [2, 4, 10, 20, 30]: p50 rank ceil(2.5) = 3 -> 10; p90 rank ceil(4.5) = 5 -> 30.
    const hours = [30, 2, 10, 4, 20];
    expect(cycleKpis(hours)).toEqual({ orders: 5, p50Hours: 10, p90Hours: 30 });
    expect(hours).toEqual([30, 2, 10, 4, 20]);
    // Numeric, not lexicographic, order: [9, 10, 100] -> p50 rank 2 -> 10.
    expect(cycleKpis([100, 9, 10]).p50Hours).toBe(10);
    expect(cycleKpis([])).toEqual({ orders: 0, p50Hours: null, p90Hours: null });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// backorderKpis
// ---------------------------------------------------------------------------------------------------------------

const life = (createdAt: string, resolvedAt: string | null, over: Partial<BackorderLife> = {}): BackorderLife => ({
  key: 'all',
  quantity: 1,
  createdAt,
  resolvedAt,
  fulfilled: resolvedAt !== null,
  firstPromisedDate: null,
  ...over,
});

describe('backorderKpis', () => {
  const span: Span = { label: 'W02', start: '2026-01-05', end: '2026-01-11' };
  const lives: BackorderLife[] = [
    // Open at 2026-01-12T00:00Z (the span's end), aged from there:
    life('2026-01-10T00:00:00.000Z', null, { quantity: 3 }), //            a: 2 days    -> 0-7d
    life('2026-01-01T00:00:00.000Z', null, { quantity: 5 }), //            b: 11 days   -> 8-14d
    life('2025-11-01T00:00:00.000Z', null, { quantity: 2 }), //            c: 30+31+11 = 72 days -> 61d+
    life('2025-12-29T00:00:00.000Z', null, { quantity: 4 }), //            j: exactly 14 days -> 8-14d
    life('2026-01-11T12:00:00.000Z', '2026-01-12T01:00:00.000Z', { quantity: 1 }), // h: resolved after the end: open, 0.5 days
    life('2026-01-12T00:00:00.000Z', null, { quantity: 50 }), //           i: created at the end instant: not open
    // Resolved within the span:
    life('2026-01-02T00:00:00.000Z', '2026-01-06T12:00:00.000Z', { firstPromisedDate: '2026-01-06' }), // d: 4.5 days, kept
    life('2026-01-03T00:00:00.000Z', '2026-01-09T00:00:00.000Z', { firstPromisedDate: '2026-01-08' }), // e: 6 days, late
    life('2026-01-04T00:00:00.000Z', '2026-01-05T00:00:00.000Z', { fulfilled: false }), //               f: 1 day, cancelled
    // Resolved before the span: nowhere.
    life('2025-12-01T00:00:00.000Z', '2026-01-03T00:00:00.000Z', { quantity: 9 }),
  ];

  it('ages open ones at the span end, and clears those resolved within the span', () => {
    const k = backorderKpis(lives, span, '2026-02-01T00:00:00.000Z');
    // Open: a 3, b 5, c 2, j 4, h 1 -> 5 backorders, 15 units.
    expect(k.open.count).toBe(5);
    expect(k.open.units).toBe(15);
    expect(k.open.buckets).toEqual([
      { bucket: '0-7d', count: 2, units: 4 }, //   a, h
      { bucket: '8-14d', count: 2, units: 9 }, //  b, j
      { bucket: '15-30d', count: 0, units: 0 },
      { bucket: '31-60d', count: 0, units: 0 },
      { bucket: '61d+', count: 1, units: 2 }, //   c
    ]);
    // Cleared: f 1, d 4.5, e 6 -> mean 11.5 / 3; p50 rank 2 -> 4.5; p90 rank ceil(2.7) = 3 -> 6.
    expect(k.cleared.count).toBe(3);
    expect(k.cleared.meanDays).toBeCloseTo(11.5 / 3, 12);
    expect(k.cleared.p50Days).toBe(4.5);
    expect(k.cleared.p90Days).toBe(6);
    // Fulfilled d, e; kept d only (e on 01-09, promised 01-08).
    expect(k.promiseAccuracy).toEqual({ fulfilled: 2, kept: 1, rate: 0.5 });
  });

  it('stops at asOf when it comes before the span ends', () => {
    // At 2026-01-08T00:00Z: d is cleared (4.5 days, kept); e (resolved 01-09) is still open, 5 days old;
    // f cleared (1 day); a, h and i not yet created; b exactly 7 days -> 0-7d; j 10 days -> 8-14d;
    // c 30 + 31 + 7 = 68 days -> 61d+. Open: b 5, e 1, j 4, c 2 -> 4 backorders, 12 units.
    const k = backorderKpis(lives, span, '2026-01-08T00:00:00.000Z');
    expect(k.open.count).toBe(4);
    expect(k.open.units).toBe(12);
    expect(k.open.buckets.map((b) => [b.count, b.units])).toEqual([[2, 6], [1, 4], [0, 0], [0, 0], [1, 2]]);
    expect(k.cleared.count).toBe(2);
    expect(k.cleared.meanDays).toBeCloseTo((4.5 + 1) / 2, 12);
    expect(k.promiseAccuracy).toEqual({ fulfilled: 1, kept: 1, rate: 1 });
  });

  it('a backorder resolved at the very instant it is aged at is still open then, and not yet cleared', () => {
    // Span end: at = 2026-01-12T00:00Z; resolved at that instant -> open (3 days old), not cleared (resolved 01-12,
    // after the span). asOf 2026-01-08T00:00Z, resolved then: open (2 days old), and not cleared though 01-08 is in
    // the span, since it is not resolved before `at`.
    const atEnd = life('2026-01-09T00:00:00.000Z', '2026-01-12T00:00:00.000Z', { quantity: 7 });
    const k = backorderKpis([atEnd], span, '2026-02-01T00:00:00.000Z');
    expect(k.open.count).toBe(1);
    expect(k.open.buckets[0]).toEqual({ bucket: '0-7d', count: 1, units: 7 });
    expect(k.cleared.count).toBe(0);
    const atAsOf = life('2026-01-06T00:00:00.000Z', '2026-01-08T00:00:00.000Z', { quantity: 2 });
    const m = backorderKpis([atAsOf], span, '2026-01-08T00:00:00.000Z');
    expect(m.open).toMatchObject({ count: 1, units: 2 });
    expect(m.cleared.count).toBe(0);
    expect(m.promiseAccuracy.fulfilled).toBe(0);
    // One millisecond later it is cleared (2 days) and no longer open.
    const n = backorderKpis([atAsOf], span, '2026-01-08T00:00:00.001Z');
    expect(n.open.count).toBe(0);
    expect(n.cleared).toEqual({ count: 1, meanDays: 2, p50Days: 2, p90Days: 2 });
  });

  it('no lives: zeros and nulls', () => {
    const k = backorderKpis([], span, '2026-02-01T00:00:00.000Z');
    expect(k.open).toEqual({ count: 0, units: 0, buckets: ageBuckets.map((b) => ({ bucket: b.label, count: 0, units: 0 })) });
    expect(k.cleared).toEqual({ count: 0, meanDays: null, p50Days: null, p90Days: null });
    expect(k.promiseAccuracy).toEqual({ fulfilled: 0, kept: 0, rate: null });
  });

  it('open, cleared and promise accuracy are the brute-force counts', () => {
    const hour = 3_600_000;
    const lifeArb = fc.record({
      createdH: fc.integer({ min: -24 * 90, max: 24 * 40 }),
      durationH: fc.option(fc.integer({ min: 0, max: 24 * 60 }), { nil: null }),
      quantity: fc.integer({ min: 1, max: 9 }),
      fulfilled: fc.boolean(),
      promiseOffset: fc.option(fc.integer({ min: -5, max: 5 }), { nil: null }),
    });
    fc.assert(
      fc.property(
        fc.array(lifeArb, { maxLength: 30 }),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 1, max: 14 }),
        fc.integer({ min: 0, max: 24 * 40 }),
        (raw, startDay, length, asOfH) => {
          const span: Span = { label: 'S', start: day(startDay), end: day(startDay + length - 1) };
          const asOf = iso(base + asOfH * hour);
          const lives = raw.map((r) => {
            const created = base + r.createdH * hour;
            const resolved = r.durationH === null ? null : created + r.durationH * hour;
            return life(iso(created), resolved === null ? null : iso(resolved), {
              quantity: r.quantity,
              fulfilled: resolved !== null && r.fulfilled,
              firstPromisedDate: r.promiseOffset === null || resolved === null ? null : iso(resolved + r.promiseOffset * dayMs).slice(0, 10),
            });
          });
          const k = backorderKpis(lives, span, asOf);

          // `at`: the earlier of asOf and the first instant after the span's last day.
          const atMs = Math.min(base + asOfH * hour, base + (startDay + length) * dayMs);
          const ms = (s: string) => new Date(s).getTime();
          const open = lives.filter((b) => ms(b.createdAt) < atMs && (b.resolvedAt === null || ms(b.resolvedAt) >= atMs));
          expect(k.open.count).toBe(open.length);
          expect(k.open.units).toBe(open.reduce((s, b) => s + b.quantity, 0));
          expect(k.open.buckets.reduce((s, b) => s + b.count, 0)).toBe(open.length);
          expect(k.open.buckets.reduce((s, b) => s + b.units, 0)).toBe(k.open.units);
          // Buckets by age in whole-or-fractional days: (0, 7], (7, 14], (14, 30], (30, 60], (60, inf).
          const bounds = [0, 7, 14, 30, 60, Infinity];
          k.open.buckets.forEach((bucket, i) => {
            const inBucket = open.filter((b) => {
              const age = (atMs - ms(b.createdAt)) / dayMs;
              return (i === 0 ? age >= 0 : age > bounds[i]!) && age <= bounds[i + 1]!;
            });
            expect(bucket.count).toBe(inBucket.length);
          });

          const firstMs = base + startDay * dayMs;
          const afterMs = base + (startDay + length) * dayMs;
          const cleared = lives.filter((b) => b.resolvedAt !== null && ms(b.resolvedAt) >= firstMs && ms(b.resolvedAt) < afterMs && ms(b.resolvedAt) < atMs);
          expect(k.cleared.count).toBe(cleared.length);
          const days = cleared.map((b) => (ms(b.resolvedAt!) - ms(b.createdAt)) / dayMs);
          if (days.length === 0) expect(k.cleared.meanDays).toBeNull();
          else expect(k.cleared.meanDays).toBeCloseTo(days.reduce((s, d) => s + d, 0) / days.length, 9);
          expect(k.cleared.p50Days).toBe(nearestRank(days, 1, 2));
          expect(k.cleared.p90Days).toBe(nearestRank(days, 9, 10));

          const fulfilled = cleared.filter((b) => b.fulfilled);
          const kept = fulfilled.filter((b) => b.firstPromisedDate !== null && b.resolvedAt!.slice(0, 10) <= b.firstPromisedDate);
          expect(k.promiseAccuracy.fulfilled).toBe(fulfilled.length);
          expect(k.promiseAccuracy.kept).toBe(kept.length);
          expect(k.promiseAccuracy.kept).toBeLessThanOrEqual(k.promiseAccuracy.fulfilled);
          expect(k.promiseAccuracy.rate).toBe(fulfilled.length === 0 ? null : kept.length / fulfilled.length);
        },
      ),
      { numRuns: 300 },
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// inventoryKpis
// ---------------------------------------------------------------------------------------------------------------

const move = (d: string, units: number, valueMinor: number, shippedUnits = 0, shippedValueMinor = 0): MovementSums => ({
  day: d,
  key: 'all',
  units,
  valueMinor,
  shippedUnits,
  shippedValueMinor,
});

describe('inventoryKpis', () => {
  const span: Span = { label: 'S', start: '2026-01-01', end: '2026-01-04' };

  it('a worked example over four days', () => {
    // Opening 10 units worth 100. 01-02: ship 4 (-4 units, -40); 01-04: receive 6 (+6, +60). Rows outside the span
    // (12-31, 01-05) are ignored and rows come unsorted.
    // Day-end units 10, 6, 6, 12 -> 34 / 4 = 8.5; value 100, 60, 60, 120 -> 340 / 4 = 85.
    // Shipped 4 units costing 40; turnover 40 / 85; on hand 12 (120); demand 8 over 4 days = 2/day -> 12 / 2 = 6 days.
    const days = [
      move('2026-01-04', 6, 60),
      move('2025-12-31', 99, 990, 7, 70),
      move('2026-01-02', -4, -40, 4, 40),
      move('2026-01-05', -12, -120, 12, 120),
    ];
    expect(inventoryKpis({ units: 10, valueMinor: 100 }, days, span, 8)).toEqual({
      averageUnits: 8.5,
      averageValueMinor: 85,
      shippedUnits: 4,
      cogsMinor: 40,
      turnover: 40 / 85,
      onHandUnits: 12,
      onHandValueMinor: 120,
      daysOfSupply: 6,
    });
  });

  it('a movement on the first day counts for every day; on the last day for one', () => {
    // Opening 0. +8 on 01-01: day-ends 8, 8, 8, 8 -> 8. Or +8 on 01-04: 0, 0, 0, 8 -> 2.
    expect(inventoryKpis({ units: 0, valueMinor: 0 }, [move('2026-01-01', 8, 80)], span, 0).averageUnits).toBe(8);
    expect(inventoryKpis({ units: 0, valueMinor: 0 }, [move('2026-01-04', 8, 80)], span, 0).averageUnits).toBe(2);
  });

  it('two rows of one day add up', () => {
    // 01-02: -3 and -2 -> day-ends 10, 5, 5, 5 -> 25 / 4 = 6.25.
    const k = inventoryKpis({ units: 10, valueMinor: 10 }, [move('2026-01-02', -3, -3, 3, 3), move('2026-01-02', -2, -2, 2, 2)], span, 0);
    expect(k.averageUnits).toBe(6.25);
    expect(k.shippedUnits).toBe(5);
    expect(k.onHandUnits).toBe(5);
  });

  it('turnover and days of supply are null with no inventory value or no demand', () => {
    const k = inventoryKpis({ units: 0, valueMinor: 0 }, [], span, 0);
    expect(k).toEqual({
      averageUnits: 0, averageValueMinor: 0, shippedUnits: 0, cogsMinor: 0, turnover: null,
      onHandUnits: 0, onHandValueMinor: 0, daysOfSupply: null,
    });
  });

  it('matches a day-by-day re-computation', () => {
    const rowArb = fc.record({
      d: fc.integer({ min: -6, max: 40 }),
      units: fc.integer({ min: -50, max: 50 }),
      unitCost: fc.integer({ min: 1, max: 20 }),
      shipped: fc.integer({ min: 0, max: 30 }),
    });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 200 }),
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 1, max: 31 }),
        fc.array(rowArb, { maxLength: 25 }),
        fc.integer({ min: 0, max: 500 }),
        (openingUnits, startDay, length, raw, demanded) => {
          const span: Span = { label: 'S', start: day(startDay), end: day(startDay + length - 1) };
          const opening = { units: openingUnits, valueMinor: openingUnits * 10 };
          const rows = raw.map((r) => move(day(r.d), r.units, r.units * r.unitCost, r.shipped, r.shipped * r.unitCost));
          const k = inventoryKpis(opening, rows, span, demanded);

          const inSpan = raw.filter((r) => r.d >= startDay && r.d <= startDay + length - 1);
          let unitSum = 0;
          let valueSum = 0;
          for (let d = startDay; d < startDay + length; d++) {
            const upTo = inSpan.filter((r) => r.d <= d);
            unitSum += opening.units + upTo.reduce((s, r) => s + r.units, 0);
            valueSum += opening.valueMinor + upTo.reduce((s, r) => s + r.units * r.unitCost, 0);
          }
          const averageValue = valueSum / length;
          expect(k.averageUnits).toBe(unitSum / length);
          expect(k.averageValueMinor).toBe(averageValue);
          const onHand = opening.units + inSpan.reduce((s, r) => s + r.units, 0);
          expect(k.onHandUnits).toBe(onHand);
          expect(k.onHandValueMinor).toBe(opening.valueMinor + inSpan.reduce((s, r) => s + r.units * r.unitCost, 0));
          expect(k.shippedUnits).toBe(inSpan.reduce((s, r) => s + r.shipped, 0));
          const cogs = inSpan.reduce((s, r) => s + r.shipped * r.unitCost, 0);
          expect(k.cogsMinor).toBe(cogs);
          if (averageValue > 0) expect(k.turnover).toBeCloseTo(cogs / averageValue, 9);
          else expect(k.turnover).toBeNull();
          if (demanded > 0) expect(k.daysOfSupply).toBeCloseTo((onHand * length) / demanded, 9);
          else expect(k.daysOfSupply).toBeNull();
        },
      ),
      { numRuns: 300 },
    );
  });
});
