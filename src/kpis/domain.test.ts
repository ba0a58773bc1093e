// The KPI formulas of kpis/domain.ts (README "Words and KPI formulas"), by hand and against plain re-implementations.
//
// What this proves:
//   - worked examples for rollIntake, intakeKpis, histogramPercentile, cycleKpis, backorderKpis and inventoryKpis,
//     with the arithmetic in a comment;
//   - rollIntake conserves every field: the sums per span and slice are the sums of the rows in the span, rows outside
//     every span are ignored;
//   - intakeKpis: from per-line facts aggregated here into IntakeSums, every rate is the direct count ratio, in [0, 1],
//     and null exactly when its denominator is 0;
//   - histogramPercentile is the nearest-rank percentile of the histogram's values counted with their multiplicity
//     (the smallest value with at least p of the counts at or below it) and is monotone in p;
//   - cycleKpis merges minute histograms: orders and p50 / p90 (hours) of the merged values;
//   - backorderKpis over the day facts of backorderFacts: open (by calendar age at the span end or asOf's day, if
//     sooner) / cleared / promise accuracy equal brute-force counts over the lives, whatever windows the facts came in;
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
  rollIntake,
  type IntakeSums,
  type Keyed,
  type MovementSums,
  type Span,
} from './domain.js';
import { backorderFacts, histogramPercentile, type BackorderEvents, type Histogram } from './facts.js';

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
// histogramPercentile and cycleKpis
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

/** The histogram of a list of values: value -> how many times it occurs. */
function hist(values: readonly number[]): Histogram {
  const h: Histogram = {};
  for (const v of values) h[String(v)] = (h[String(v)] ?? 0) + 1;
  return h;
}

describe('histogramPercentile', () => {
  const ten = hist([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);

  it('nearest rank by hand', () => {
    // n = 10: p50 -> rank ceil(5) = 5 -> 5; p90 -> rank 9 -> 9; p95 -> rank ceil(9.5) = 10 -> 10;
    // p0 -> rank 0, clamped to the first -> 1; p100 -> rank 10 -> 10; p0.01 -> rank ceil(0.1) = 1 -> 1.
    expect(histogramPercentile(ten, 0.5)).toBe(5);
    expect(histogramPercentile(ten, 0.9)).toBe(9);
    expect(histogramPercentile(ten, 0.95)).toBe(10);
    expect(histogramPercentile(ten, 0)).toBe(1);
    expect(histogramPercentile(ten, 1)).toBe(10);
    expect(histogramPercentile(ten, 0.01)).toBe(1);
    // n = 4, {2: 1, 4: 2, 8: 1} ([2, 4, 4, 8]): p50 -> rank 2 -> 4; p51 -> rank ceil(2.04) = 3 -> 4;
    // p76 -> rank ceil(3.04) = 4 -> 8; p25 -> rank 1 -> 2; p26 -> rank 2 -> 4.
    const h = { '8': 1, '2': 1, '4': 2 };
    expect(histogramPercentile(h, 0.5)).toBe(4);
    expect(histogramPercentile(h, 0.51)).toBe(4);
    expect(histogramPercentile(h, 0.76)).toBe(8);
    expect(histogramPercentile(h, 0.25)).toBe(2);
    expect(histogramPercentile(h, 0.26)).toBe(4);
    expect(histogramPercentile({ '7': 1 }, 0.9)).toBe(7);
    // A single value counted 1000 times is every percentile.
    expect(histogramPercentile({ '42': 1000 }, 0)).toBe(42);
    expect(histogramPercentile({ '42': 1000 }, 1)).toBe(42);
    expect(histogramPercentile({}, 0.5)).toBeNull();
  });

  it('weighs values by their counts, orders them numerically and ignores zero counts', () => {
    // {1: 9, 100: 1}: n = 10, p90 -> rank 9 -> 1 (nine 1s); p91 -> rank ceil(9.1) = 10 -> 100.
    expect(histogramPercentile({ '1': 9, '100': 1 }, 0.9)).toBe(1);
    expect(histogramPercentile({ '1': 9, '100': 1 }, 0.91)).toBe(100);
    // Numeric, not lexicographic or insertion order, negatives included: [-5, 9, 10, 100] -> p50 rank 2 -> 9;
    // p25 -> rank 1 -> -5; p75 -> rank 3 -> 10.
    const h = { '10': 1, '-5': 1, '100': 1, '9': 1 };
    expect(histogramPercentile(h, 0.5)).toBe(9);
    expect(histogramPercentile(h, 0.25)).toBe(-5);
    expect(histogramPercentile(h, 0.75)).toBe(10);
    // Zero counts are no values: {3: 0, 7: 2, 9: 0} is [7, 7].
    expect(histogramPercentile({ '3': 0, '7': 2, '9': 0 }, 0)).toBe(7);
    expect(histogramPercentile({ '3': 0, '7': 2, '9': 0 }, 1)).toBe(7);
    expect(histogramPercentile({ '3': 0 }, 0.5)).toBeNull();
  });

  it('is the nearest-rank percentile (p = num / 64, exact in binary) and p50, p90 as used', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 0, maxLength: 60 }), fc.integer({ min: 0, max: 64 }), (values, num) => {
        const h = hist(values);
        expect(histogramPercentile(h, num / 64)).toBe(nearestRank(values, num, 64));
        expect(histogramPercentile(h, 0.5)).toBe(nearestRank(values, 1, 2));
        expect(histogramPercentile(h, 0.9)).toBe(nearestRank(values, 9, 10));
      }),
      { numRuns: 400 },
    );
  });

  it('p50 and p90 agree with the exact rank for every n up to 2000', () => {
    // 0.9 is not exact in binary: p * n must still land on the integer rank whenever 0.9 n is an integer.
    for (let n = 1; n <= 2000; n++) {
      const h = hist(Array.from({ length: n }, (_, i) => i + 1));
      expect(histogramPercentile(h, 0.9)).toBe(Math.ceil((9 * n) / 10));
      expect(histogramPercentile(h, 0.5)).toBe(Math.ceil(n / 2));
    }
  });

  it('with large counts: {0: a, 1: b} has p90 = 0 exactly when 10a >= 9(a + b), p50 = 0 when 2a >= a + b', () => {
    for (let a = 0; a <= 300; a++) {
      for (let b = 0; b <= 300; b += a % 7 === 0 ? 1 : 13) {
        if (a + b === 0) continue;
        const h = { '0': a, '1': b };
        expect(histogramPercentile(h, 0.9)).toBe(10 * a >= 9 * (a + b) ? 0 : 1);
        expect(histogramPercentile(h, 0.5)).toBe(2 * a >= a + b ? 0 : 1);
      }
    }
  });

  it('with totals far beyond any list: p90 of {0: 9k, 1: k} is 0, of {0: 9k - 1, 1: k + 1} is 1', () => {
    // 0.9 * 10k must not overshoot the integer rank 9k at large totals (a fold over years of orders).
    for (const k of [1, 7, 1_000, 12_345, 99_999, 1_000_000, 33_333_333, 123_456_789]) {
      expect(histogramPercentile({ '0': 9 * k, '1': k }, 0.9)).toBe(0);
      expect(histogramPercentile({ '0': 9 * k - 1, '1': k + 1 }, 0.9)).toBe(1);
      expect(histogramPercentile({ '0': k, '1': k }, 0.5)).toBe(0);
      expect(histogramPercentile({ '0': k, '1': k + 1 }, 0.5)).toBe(1);
    }
  });

  it('is monotone in p and returns a value with a positive count', () => {
    fc.assert(
      fc.property(
        // `+ 0` turns -0 into 0 (a histogram key cannot tell them apart).
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((x) => x + 0), { minLength: 1, maxLength: 50 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (values, a, b) => {
          const h = hist(values);
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          const pl = histogramPercentile(h, lo)!;
          const ph = histogramPercentile(h, hi)!;
          expect(pl).toBeLessThanOrEqual(ph);
          expect(values).toContain(pl);
          // At least p of the values are at or below it (with a float-rounding allowance of one rank).
          expect(values.filter((x) => x <= ph).length).toBeGreaterThanOrEqual(Math.ceil(hi * values.length) - 1);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('does not modify the histogram', () => {
    const h = { '30': 2, '10': 1, '20': 0 };
    histogramPercentile(h, 0.5);
    expect(h).toEqual({ '30': 2, '10': 1, '20': 0 });
  });
});

describe('cycleKpis', () => {
  it('merges the days, counts and takes p50 and p90 by hand, in hours, without touching its input', () => {
    // Day 1 {120: 1, 600: 2}, day 2 {30: 1, 1800: 1}: minutes [30, 120, 600, 600, 1800], n = 5;
    // p50 rank ceil(2.5) = 3 -> 600 min = 10 h; p90 rank ceil(4.5) = 5 -> 1800 min = 30 h.
    const days = [{ '120': 1, '600': 2 }, { '30': 1, '1800': 1 }];
    expect(cycleKpis(days)).toEqual({ orders: 5, p50Hours: 10, p90Hours: 30 });
    expect(days).toEqual([{ '120': 1, '600': 2 }, { '30': 1, '1800': 1 }]);
  });

  it('adds the counts of one minute value over days', () => {
    // {60: 2} + {60: 1, 90: 1} = {60: 3, 90: 1}: n = 4; p50 rank 2 -> 60 min = 1 h; p90 rank ceil(3.6) = 4 -> 90 = 1.5 h.
    expect(cycleKpis([{ '60': 2 }, { '60': 1, '90': 1 }])).toEqual({ orders: 4, p50Hours: 1, p90Hours: 1.5 });
    // Ten orders of 15 min on one day and one of 45 on another: p50 and p90 are 0.25 h (rank 6 and 10 of 11).
    expect(cycleKpis([{ '15': 10 }, { '45': 1 }])).toEqual({ orders: 11, p50Hours: 0.25, p90Hours: 0.25 });
  });

  it('orders minute values numerically, not lexicographically', () => {
    // [540, 600, 6000] -> p50 rank 2 -> 600 = 10 h; p90 rank 3 -> 6000 = 100 h.
    expect(cycleKpis([{ '6000': 1 }, { '540': 1 }, { '600': 1 }])).toEqual({ orders: 3, p50Hours: 10, p90Hours: 100 });
    // A zero-minute cycle (shipped the moment it was placed) is a value like any other.
    expect(cycleKpis([{ '0': 1, '120': 1 }])).toEqual({ orders: 2, p50Hours: 0, p90Hours: 2 });
  });

  it('no orders: zero and nulls', () => {
    expect(cycleKpis([])).toEqual({ orders: 0, p50Hours: null, p90Hours: null });
    expect(cycleKpis([{}, {}])).toEqual({ orders: 0, p50Hours: null, p90Hours: null });
    expect(cycleKpis([{ '30': 0 }])).toEqual({ orders: 0, p50Hours: null, p90Hours: null });
  });

  it('is the count and nearest-rank p50 / p90 of all the minute values, however they are split into days', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ minutes: fc.integer({ min: 0, max: 60 * 24 * 30 }), d: fc.integer({ min: 0, max: 5 }) }), { maxLength: 60 }),
        (orders) => {
          const days = [0, 1, 2, 3, 4, 5].map((d) => hist(orders.filter((o) => o.d === d).map((o) => o.minutes)));
          const values = orders.map((o) => o.minutes);
          const hours = (m: number | null) => (m === null ? null : m / 60);
          expect(cycleKpis(days)).toEqual({ orders: values.length, p50Hours: hours(nearestRank(values, 1, 2)), p90Hours: hours(nearestRank(values, 9, 10)) });
        },
      ),
      { numRuns: 300 },
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// backorderKpis
// ---------------------------------------------------------------------------------------------------------------

const life = (createdAt: string, resolvedAt: string | null, over: Partial<BackorderEvents> = {}): BackorderEvents => ({
  key: 'all',
  quantity: 1,
  createdAt,
  resolvedAt,
  fulfilled: resolvedAt !== null,
  firstPromisedDate: null,
  ...over,
});

/** The KPIs of lives, through their day facts over all time. */
const kpisOf = (lives: readonly BackorderEvents[], span: Span, asOf: string) => {
  const f = backorderFacts(lives, '', 'far future');
  return backorderKpis(f.aging, f.cleared, span, asOf);
};

const noBuckets = () => ageBuckets.map((b) => ({ bucket: b.label, count: 0, units: 0 }));

describe('backorderKpis', () => {
  const span: Span = { label: 'W02', start: '2026-01-05', end: '2026-01-11' };
  // Ages in calendar days, counting both ends: created on the day aged at -> 1.
  const lives: BackorderEvents[] = [
    // Open on 2026-01-11 (the span's last day), aged on it:
    life('2026-01-10T00:00:00.000Z', null, { quantity: 3 }), //   a:  01-10..01-11 = 2 days            -> 0-7d
    life('2026-01-05T23:59:00.000Z', null, { quantity: 1 }), //   a2: 01-05..01-11 = 7 days (any hour)  -> 0-7d
    life('2026-01-11T12:00:00.000Z', '2026-01-12T01:00:00.000Z', { quantity: 1 }), // h: created on the day, resolved after it: 1 day -> 0-7d
    life('2026-01-04T08:00:00.000Z', null, { quantity: 5 }), //   b:  8 days                            -> 8-14d
    life('2025-12-29T23:00:00.000Z', null, { quantity: 4 }), //   j:  3 + 11 = 14 days                  -> 8-14d
    life('2025-12-28T00:00:00.000Z', null, { quantity: 6 }), //   k:  4 + 11 = 15 days                  -> 15-30d
    life('2025-12-13T00:00:00.000Z', null, { quantity: 2 }), //   l:  19 + 11 = 30 days                 -> 15-30d
    life('2025-12-12T00:00:00.000Z', null, { quantity: 7 }), //   m:  20 + 11 = 31 days                 -> 31-60d
    life('2025-11-13T00:00:00.000Z', null, { quantity: 1 }), //   n:  18 + 31 + 11 = 60 days            -> 31-60d
    life('2025-11-12T00:00:00.000Z', null, { quantity: 2 }), //   c:  19 + 31 + 11 = 61 days            -> 61d+
    life('2025-11-01T00:00:00.000Z', null, { quantity: 1 }), //   c2: 30 + 31 + 11 = 72 days            -> 61d+
    life('2026-01-12T00:00:00.000Z', null, { quantity: 50 }), //  i:  created after the last day: not open
    // Resolved within the span:
    life('2026-01-02T00:00:00.000Z', '2026-01-06T12:00:00.000Z', { firstPromisedDate: '2026-01-06' }), // d: 6480 min = 4.5 days, kept
    life('2026-01-03T00:00:00.000Z', '2026-01-09T00:00:00.000Z', { firstPromisedDate: '2026-01-08' }), // e: 8640 min = 6 days, late
    life('2026-01-04T00:00:00.000Z', '2026-01-05T00:00:00.000Z', { fulfilled: false, firstPromisedDate: '2026-01-10' }), // f: 1440 min = 1 day, cancelled
    // g: resolved on the last day itself: 2 d 13 h 59.5 min = 3719.5 min -> rounds to 3720 min = 31/12 days; kept (on the promised day).
    life('2026-01-09T10:00:00.000Z', '2026-01-11T23:59:30.000Z', { quantity: 2, firstPromisedDate: '2026-01-11' }),
    // Resolved before the span: nowhere.
    life('2025-12-01T00:00:00.000Z', '2026-01-03T00:00:00.000Z', { quantity: 9 }),
  ];

  it('ages open ones on the span end in calendar days, into all five buckets, and clears those resolved within the span', () => {
    const k = kpisOf(lives, span, '2026-02-01T00:00:00.000Z');
    // Open: a 3, a2 1, h 1, b 5, j 4, k 6, l 2, m 7, n 1, c 2, c2 1 -> 11 backorders, 33 units.
    expect(k.open.count).toBe(11);
    expect(k.open.units).toBe(33);
    expect(k.open.buckets).toEqual([
      { bucket: '0-7d', count: 3, units: 5 }, //   a, a2, h
      { bucket: '8-14d', count: 2, units: 9 }, //  b, j
      { bucket: '15-30d', count: 2, units: 8 }, // k, l
      { bucket: '31-60d', count: 2, units: 8 }, // m, n
      { bucket: '61d+', count: 2, units: 3 }, //   c, c2
    ]);
    // Cleared: f 1440, g 3720, d 6480, e 8640 minutes -> mean 20280 / 4 / 1440 = 3.5208...;
    // p50 rank 2 -> 3720 / 1440; p90 rank ceil(3.6) = 4 -> 6 days.
    expect(k.cleared.count).toBe(4);
    expect(k.cleared.meanDays).toBeCloseTo(20280 / 4 / 1440, 12);
    expect(k.cleared.p50Days).toBe(3720 / 1440);
    expect(k.cleared.p90Days).toBe(6);
    // Fulfilled d, e, g; kept d and g (e on 01-09, promised 01-08; f cancelled, so neither fulfilled nor kept).
    expect(k.promiseAccuracy).toEqual({ fulfilled: 3, kept: 2, rate: 2 / 3 });
  });

  it('any asOf on or after the span end gives the same figures (the span end is sooner)', () => {
    const k = kpisOf(lives, span, '2026-02-01T00:00:00.000Z');
    expect(kpisOf(lives, span, '2026-01-12T00:00:00.000Z')).toEqual(k);
    // asOf on the last day itself, any hour: the day is what counts.
    expect(kpisOf(lives, span, '2026-01-11T00:00:00.000Z')).toEqual(k);
    expect(kpisOf(lives, span, '2026-01-11T23:59:59.999Z')).toEqual(k);
  });

  it('stops at asOf\'s day when it comes before the span ends', () => {
    // On 2026-01-08: a, h, i and g not yet created; f (01-05) and d (01-06) cleared; e (resolved 01-09) still open.
    // Ages on 01-08: a2 4, b 5, e 6 -> 0-7d (1 + 5 + 1 units); j 11, k 12 -> 8-14d (4 + 6); l 27, m 28 -> 15-30d
    // (2 + 7); n 57, c 58 -> 31-60d (1 + 2); c2 69 -> 61d+ (1). Open: 10 backorders, 30 units.
    const k = kpisOf(lives, span, '2026-01-08T00:00:00.000Z');
    expect(k.open.count).toBe(10);
    expect(k.open.units).toBe(30);
    expect(k.open.buckets.map((b) => [b.count, b.units])).toEqual([[3, 7], [2, 10], [2, 9], [2, 3], [1, 1]]);
    // Cleared f 1 day and d 4.5 days: mean 2.75, p50 rank 1 -> 1, p90 rank ceil(1.8) = 2 -> 4.5.
    expect(k.cleared).toEqual({ count: 2, meanDays: 2.75, p50Days: 1, p90Days: 4.5 });
    expect(k.promiseAccuracy).toEqual({ fulfilled: 1, kept: 1, rate: 1 });
  });

  it('asOf before the span starts: open counted on asOf\'s day, nothing cleared', () => {
    // On 2026-01-03: d 2 days, e 1 (created that day), j 6, k 7 -> 0-7d (1 + 1 + 4 + 6); l 22, m 23 -> 15-30d;
    // n 52, c 53 -> 31-60d; c2 64 -> 61d+. The one resolved on 01-03 is not open, and not cleared (before the span).
    const k = kpisOf(lives, span, '2026-01-03T06:00:00.000Z');
    expect(k.open.count).toBe(9);
    expect(k.open.units).toBe(25);
    expect(k.open.buckets.map((b) => [b.count, b.units])).toEqual([[4, 12], [0, 0], [2, 9], [2, 3], [1, 1]]);
    expect(k.cleared).toEqual({ count: 0, meanDays: null, p50Days: null, p90Days: null });
    expect(k.promiseAccuracy).toEqual({ fulfilled: 0, kept: 0, rate: null });
  });

  it('a backorder resolved on the day it is aged at is not open then, and is cleared', () => {
    // Resolved late on the span's last day: not open, cleared (2 days + 23 h 59 min = 4319 min).
    const atEnd = life('2026-01-09T00:00:00.000Z', '2026-01-11T23:59:00.000Z', { quantity: 7, firstPromisedDate: '2026-01-11' });
    const k = kpisOf([atEnd], span, '2026-02-01T00:00:00.000Z');
    expect(k.open).toEqual({ count: 0, units: 0, buckets: noBuckets() });
    expect(k.cleared).toEqual({ count: 1, meanDays: 4319 / 1440, p50Days: 4319 / 1440, p90Days: 4319 / 1440 });
    expect(k.promiseAccuracy).toEqual({ fulfilled: 1, kept: 1, rate: 1 });
    // Resolved at midnight after the last day: still open on it (3 days old), not cleared.
    const after = life('2026-01-09T00:00:00.000Z', '2026-01-12T00:00:00.000Z', { quantity: 7 });
    const m = kpisOf([after], span, '2026-02-01T00:00:00.000Z');
    expect(m.open.buckets[0]).toEqual({ bucket: '0-7d', count: 1, units: 7 });
    expect(m.open.count).toBe(1);
    expect(m.cleared.count).toBe(0);
    // asOf early on 01-08, resolved later that day: days are what count, so not open and cleared (2 days 20 h = 4080 min).
    const sameDay = life('2026-01-06T00:00:00.000Z', '2026-01-08T20:00:00.000Z', { quantity: 2 });
    const n = kpisOf([sameDay], span, '2026-01-08T00:00:00.000Z');
    expect(n.open.count).toBe(0);
    expect(n.cleared).toEqual({ count: 1, meanDays: 4080 / 1440, p50Days: 4080 / 1440, p90Days: 4080 / 1440 });
    expect(n.promiseAccuracy).toEqual({ fulfilled: 1, kept: 0, rate: 0 });
    // Created and resolved on the same day it is aged at: neither open nor ever counted as open; cleared (90 min).
    const quick = life('2026-01-07T10:00:00.000Z', '2026-01-07T11:30:00.000Z', { quantity: 4 });
    const q = kpisOf([quick], span, '2026-01-07T09:00:00.000Z');
    expect(q.open.count).toBe(0);
    expect(q.open.units).toBe(0);
    expect(q.cleared).toEqual({ count: 1, meanDays: 90 / 1440, p50Days: 90 / 1440, p90Days: 90 / 1440 });
  });

  it('the same figures from facts handed over directly, resolutions after the day ignored', () => {
    // Created 01-03: 4 backorders, 10 units; 1 (2 units) resolved 01-05, 2 (5 units) 01-09, and 1 (3 units) still open.
    // On 01-08 (asOf): open 4 - 1 = 3 (8 units), age 6 -> 0-7d. A creation day after 01-08 is ignored.
    const aging = [
      { day: '2026-01-03', data: { created: [4, 10] as [number, number], resolved: { '2026-01-05': [1, 2] as [number, number], '2026-01-09': [2, 5] as [number, number] } } },
      { day: '2026-01-09', data: { created: [5, 5] as [number, number], resolved: {} } },
    ];
    // Cleared 01-05 (in the span) counts; 01-09 (after asOf) and 01-04 (before the span) do not.
    const cleared = [
      { day: '2026-01-04', data: { minutes: { '100': 1 }, fulfilled: 1, kept: 1 } },
      { day: '2026-01-05', data: { minutes: { '2880': 1 }, fulfilled: 1, kept: 0 } },
      { day: '2026-01-09', data: { minutes: { '8640': 2 }, fulfilled: 2, kept: 2 } },
    ];
    const k = backorderKpis(aging, cleared, span, '2026-01-08T10:00:00.000Z');
    expect(k.open).toEqual({
      count: 3,
      units: 8,
      buckets: [{ bucket: '0-7d', count: 3, units: 8 }, ...noBuckets().slice(1)],
    });
    expect(k.cleared).toEqual({ count: 1, meanDays: 2, p50Days: 2, p90Days: 2 });
    expect(k.promiseAccuracy).toEqual({ fulfilled: 1, kept: 0, rate: 0 });
    // On the span end (01-11): 4 - 1 - 2 = 1 open (3 units) aged 9 -> 8-14d; the 01-09 creation day: 5 (5 units), age 3.
    const m = backorderKpis(aging, cleared, span, '2026-03-01T00:00:00.000Z');
    expect(m.open.count).toBe(6);
    expect(m.open.units).toBe(8);
    expect(m.open.buckets.map((b) => [b.count, b.units])).toEqual([[5, 5], [1, 3], [0, 0], [0, 0], [0, 0]]);
    expect(m.cleared).toEqual({ count: 3, meanDays: (2880 + 2 * 8640) / 3 / 1440, p50Days: 6, p90Days: 6 });
    expect(m.promiseAccuracy).toEqual({ fulfilled: 3, kept: 2, rate: 2 / 3 });
  });

  it('facts of one creation day split over two windows: a window holding only a resolution still counts its units', () => {
    // Found by the property below: A (2 units, open) and B (1 unit, resolved at once) both created on 12-31; the
    // window cut between B's creation and its resolution puts A's creation and B's resolution in one fact whose
    // count nets to 0 but whose units do not (2 - 1). Open on 01-01: A alone, 2 units.
    const lives = [life('2025-12-31T23:59:59.000Z', null, { quantity: 2 }), life('2025-12-31T23:59:47.000Z', '2025-12-31T23:59:48.000Z')];
    const t = '2025-12-31T23:59:48.000Z';
    const f1 = backorderFacts(lives, '', t);
    const f2 = backorderFacts(lives, t, 'far future');
    const k = backorderKpis([...f2.aging, ...f1.aging], [...f1.cleared, ...f2.cleared], { label: 'S', start: '2026-01-01', end: '2026-01-01' }, '2026-01-01T00:00:00.000Z');
    expect(k.open).toMatchObject({ count: 1, units: 2 });
  });

  it('does not modify the facts handed to it', () => {
    const f = backorderFacts(lives, '', 'far future');
    const copy = structuredClone(f);
    backorderKpis(f.aging, f.cleared, span, '2026-02-01T00:00:00.000Z');
    backorderKpis(f.aging, f.cleared, span, '2026-01-08T00:00:00.000Z');
    expect(f).toEqual(copy);
  });

  it('no lives: zeros and nulls', () => {
    const k = kpisOf([], span, '2026-02-01T00:00:00.000Z');
    expect(k.open).toEqual({ count: 0, units: 0, buckets: noBuckets() });
    expect(k.cleared).toEqual({ count: 0, meanDays: null, p50Days: null, p90Days: null });
    expect(k.promiseAccuracy).toEqual({ fulfilled: 0, kept: 0, rate: null });
  });

  it('open, cleared and promise accuracy are the brute-force counts over the lives, from facts of any windows', () => {
    const second = 1000;
    const lifeArb = fc.record({
      createdS: fc.integer({ min: -86_400 * 90, max: 86_400 * 40 }),
      durationS: fc.option(fc.integer({ min: 0, max: 86_400 * 60 }), { nil: null }),
      quantity: fc.integer({ min: 1, max: 9 }),
      key: fc.constantFrom('A', 'B'),
      fulfilled: fc.boolean(),
      promiseOffset: fc.option(fc.integer({ min: -5, max: 5 }), { nil: null }),
    });
    fc.assert(
      fc.property(
        fc.array(lifeArb, { maxLength: 30 }),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 1, max: 14 }),
        fc.integer({ min: -86_400 * 5, max: 86_400 * 40 }),
        fc.integer({ min: -86_400 * 90, max: 86_400 * 100 }),
        (raw, startDay, length, asOfS, splitS) => {
          const span: Span = { label: 'S', start: day(startDay), end: day(startDay + length - 1) };
          const asOf = iso(base + asOfS * second);
          const lives = raw.map((r) => {
            const created = base + r.createdS * second;
            const resolved = r.durationS === null ? null : created + r.durationS * second;
            return life(iso(created), resolved === null ? null : iso(resolved), {
              key: r.key,
              quantity: r.quantity,
              fulfilled: resolved !== null && r.fulfilled,
              firstPromisedDate: r.promiseOffset === null ? null : iso(created + r.promiseOffset * dayMs).slice(0, 10),
            });
          });
          const k = kpisOf(lives, span, asOf);
          // The facts of two windows [-inf, t) and [t, +inf), not merged, give the same figures.
          const t = iso(base + splitS * second);
          const f1 = backorderFacts(lives, '', t);
          const f2 = backorderFacts(lives, t, 'far future');
          expect(backorderKpis([...f2.aging, ...f1.aging], [...f1.cleared, ...f2.cleared], span, asOf)).toEqual(k);

          // The day aged at: the earlier of asOf's day and the span's last day (day numbers since 2026-01-01).
          const dayOf = (s: string) => Math.floor((Date.parse(s) - base) / dayMs);
          const atDay = Math.min(dayOf(asOf), startDay + length - 1);
          const open = lives.filter((b) => dayOf(b.createdAt) <= atDay && (b.resolvedAt === null || dayOf(b.resolvedAt) > atDay));
          expect(k.open.count).toBe(open.length);
          expect(k.open.units).toBe(open.reduce((s, b) => s + b.quantity, 0));
          // Buckets by calendar age counting both ends: [1, 7], [8, 14], [15, 30], [31, 60], [61, inf).
          const bounds = [0, 7, 14, 30, 60, Infinity];
          k.open.buckets.forEach((bucket, i) => {
            expect(bucket.bucket).toBe(ageBuckets[i]!.label);
            const inBucket = open.filter((b) => {
              const age = atDay - dayOf(b.createdAt) + 1;
              return age > bounds[i]! && age <= bounds[i + 1]!;
            });
            expect(bucket.count).toBe(inBucket.length);
            expect(bucket.units).toBe(inBucket.reduce((s, b) => s + b.quantity, 0));
          });

          const cleared = lives.filter((b) => b.resolvedAt !== null && dayOf(b.resolvedAt) >= startDay && dayOf(b.resolvedAt) <= atDay);
          expect(k.cleared.count).toBe(cleared.length);
          const minutes = cleared.map((b) => Math.round((Date.parse(b.resolvedAt!) - Date.parse(b.createdAt)) / 60_000));
          const days = minutes.map((m) => m / 1440);
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
