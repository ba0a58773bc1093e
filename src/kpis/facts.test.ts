// The day facts of kpis/facts.ts: that they add up (the property folding rests on), and that the figures read
// from them are the plain definitions.
//
// What this proves:
//   - backorderFacts: per creation day and key, created = the lives created in the window and resolved[d] = those
//     resolved in it on day d; per resolution day and key, the minute histogram, fulfilled and kept of those resolved
//     in it; and the facts of [a, t) merged with those of [t, b) are the facts of [a, b);
//   - cycleFacts and csatFacts: the facts of two parts of the rows (split by day, or any way) merge into the facts of
//     all of them, and cycleFacts is the histogram of each order's minutes on its closing day;
//   - addFact is commutative and associative for every kind, adds component-wise, and leaves its arguments alone;
//   - csatSummary is the mean and share of 4-5 of the answers, overall and per segment, with n;
//   - histogramPercentile is the sorted-array nearest rank; calendarAge counts calendar days, both ends included.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  addFact,
  backorderFacts,
  calendarAge,
  csatFacts,
  csatSegments,
  csatSummary,
  cycleFacts,
  histogramPercentile,
  mergeFacts,
  type BackorderEvents,
  type CsatSegment,
  type DayFact,
  type FactData,
  type FactKind,
  type Histogram,
  type SurveyAnswer,
} from './facts.js';
import type { CsatStats } from '../selfservice/csat.js';
import { intakeFields, type IntakeSums } from './domain.js';

const dayMs = 86_400_000;
const base = Date.UTC(2026, 0, 1);
const iso = (ms: number): string => new Date(ms).toISOString();
/** ISO day `n` days after 2026-01-01. */
const day = (n: number): string => iso(base + n * dayMs).slice(0, 10);

/** Facts in a canonical order (day, then key), for comparing lists that may come in any order. */
const sorted = <K extends FactKind>(facts: readonly DayFact<K>[]): DayFact<K>[] =>
  [...facts].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

/** No two facts of a list share a day and key. */
const distinct = (facts: readonly DayFact<FactKind>[]) => new Set(facts.map((f) => `${f.day}|${f.key}`)).size === facts.length;

// ---------------------------------------------------------------------------------------------------------------
// Arbitraries
// ---------------------------------------------------------------------------------------------------------------

const second = 1000;
const livesArb = fc.array(
  fc
    .record({
      createdS: fc.integer({ min: -86_400 * 20, max: 86_400 * 20 }),
      durationS: fc.option(fc.integer({ min: 0, max: 86_400 * 15 }), { nil: null }),
      quantity: fc.integer({ min: 1, max: 9 }),
      key: fc.constantFrom('A', 'B', 'C'),
      fulfilled: fc.boolean(),
      promiseOffset: fc.option(fc.integer({ min: -3, max: 12 }), { nil: null }),
    })
    .map((r): BackorderEvents => {
      const created = base + r.createdS * second;
      const resolved = r.durationS === null ? null : created + r.durationS * second;
      return {
        key: r.key,
        quantity: r.quantity,
        createdAt: iso(created),
        resolvedAt: resolved === null ? null : iso(resolved),
        fulfilled: resolved !== null && r.fulfilled,
        firstPromisedDate: r.promiseOffset === null ? null : day(Math.floor((created - base) / dayMs) + r.promiseOffset),
      };
    }),
  { maxLength: 30 },
);

/** An instant in the lives' range, as a full ISO timestamp or (sometimes) a bare day, which also bounds windows. */
const instantArb = fc.oneof(
  fc.integer({ min: -86_400 * 22, max: 86_400 * 40 }).map((s) => iso(base + s * second)),
  fc.integer({ min: -22, max: 40 }).map((d) => day(d)),
);

const ordersArb = fc.array(
  fc.record({
    key: fc.constantFrom('A', 'B'),
    placedS: fc.integer({ min: 0, max: 86_400 * 10 }),
    shipS: fc.integer({ min: 0, max: 86_400 * 5 }),
    closeS: fc.integer({ min: 0, max: 86_400 * 2 }),
  }).map((o) => {
    const placed = base + o.placedS * second;
    const shipped = placed + o.shipS * second;
    return { key: o.key, placedAt: iso(placed), lastShippedAt: iso(shipped), closedAt: iso(shipped + o.closeS * second) };
  }),
  { maxLength: 40 },
);

const flagArb = fc.constantFrom<number | null>(0, 1, null);
const answersArb = fc.array(
  fc.record({
    day: fc.integer({ min: 0, max: 9 }).map(day),
    key: fc.constantFrom('A', 'B'),
    score: fc.integer({ min: 1, max: 5 }),
    backordered: fc.constantFrom(0, 1),
    notified_on_time: flagArb,
    promise_kept: flagArb,
  }) as fc.Arbitrary<SurveyAnswer>,
  { maxLength: 40 },
);

const n = fc.integer({ min: 0, max: 1000 });
const pair = fc.tuple(n, n) as fc.Arbitrary<[number, number]>;
const triple = fc.tuple(n, n, n) as fc.Arbitrary<[number, number, number]>;
const histArb: fc.Arbitrary<Histogram> = fc.dictionary(fc.integer({ min: 0, max: 50 }).map(String), fc.integer({ min: 1, max: 20 }), { maxKeys: 8 });
const factArbs: { [K in FactKind]: fc.Arbitrary<FactData[K]> } = {
  intake: fc.tuple(...intakeFields.map(() => n)).map((vs) => Object.fromEntries(intakeFields.map((f, i) => [f, vs[i]!])) as unknown as IntakeSums),
  stock: fc.record({ units: fc.integer({ min: -500, max: 500 }), valueMinor: fc.integer({ min: -5000, max: 5000 }), shippedUnits: n, shippedValueMinor: n }),
  cycle: histArb,
  cleared: fc.record({ minutes: histArb, fulfilled: n, kept: n }),
  aging: fc.record({ created: pair, resolved: fc.dictionary(fc.integer({ min: 0, max: 9 }).map(day), pair, { maxKeys: 4 }) }),
  csat: fc.tuple(...csatSegments.map(() => triple)).map((ts) => Object.fromEntries(csatSegments.map((s, i) => [s, ts[i]!])) as FactData['csat']),
};

// ---------------------------------------------------------------------------------------------------------------
// backorderFacts
// ---------------------------------------------------------------------------------------------------------------

describe('backorderFacts', () => {
  it('a worked example: creation on the creation day, resolution on its resolved map and as a cleared fact', () => {
    const lives: BackorderEvents[] = [
      // Created 01-03 10:00, resolved 01-05 10:00:40 (2880.67 min -> 2881), fulfilled on its promise (01-05): kept.
      { key: 'A', quantity: 3, createdAt: '2026-01-03T10:00:00.000Z', resolvedAt: '2026-01-05T10:00:40.000Z', fulfilled: true, firstPromisedDate: '2026-01-05' },
      // Created 01-03 too, still open.
      { key: 'A', quantity: 2, createdAt: '2026-01-03T23:00:00.000Z', resolvedAt: null, fulfilled: false, firstPromisedDate: '2026-01-04' },
      // Created 01-03 for another key, cancelled 01-04 after 30 min: not fulfilled, so not kept despite its promise.
      { key: 'B', quantity: 1, createdAt: '2026-01-03T23:45:00.000Z', resolvedAt: '2026-01-04T00:15:00.000Z', fulfilled: false, firstPromisedDate: '2026-01-09' },
      // Created before the window (12-30), fulfilled 01-05 late (promised 01-02): 6 days 2 h = 8760 min.
      { key: 'A', quantity: 4, createdAt: '2025-12-30T08:00:00.000Z', resolvedAt: '2026-01-05T10:00:00.000Z', fulfilled: true, firstPromisedDate: '2026-01-02' },
      // Created in the window, resolved after it (01-10): creation only.
      { key: 'A', quantity: 5, createdAt: '2026-01-05T00:00:00.000Z', resolvedAt: '2026-01-10T00:00:00.000Z', fulfilled: true, firstPromisedDate: null },
      // Entirely before, and entirely after the window: nothing.
      { key: 'A', quantity: 6, createdAt: '2025-12-01T00:00:00.000Z', resolvedAt: '2025-12-02T00:00:00.000Z', fulfilled: true, firstPromisedDate: null },
      { key: 'A', quantity: 7, createdAt: '2026-01-10T00:00:00.000Z', resolvedAt: null, fulfilled: false, firstPromisedDate: null },
    ];
    const f = backorderFacts(lives, '2026-01-01', '2026-01-10');
    expect(sorted(f.aging)).toEqual([
      // 12-30 (A): created before the window, so [0, 0]; resolved 01-05: 1, 4 units.
      { day: '2025-12-30', key: 'A', data: { created: [0, 0], resolved: { '2026-01-05': [1, 4] } } },
      { day: '2026-01-03', key: 'A', data: { created: [2, 5], resolved: { '2026-01-05': [1, 3] } } },
      { day: '2026-01-03', key: 'B', data: { created: [1, 1], resolved: { '2026-01-04': [1, 1] } } },
      { day: '2026-01-05', key: 'A', data: { created: [1, 5], resolved: {} } },
    ]);
    expect(sorted(f.cleared)).toEqual([
      { day: '2026-01-04', key: 'B', data: { minutes: { '30': 1 }, fulfilled: 0, kept: 0 } },
      { day: '2026-01-05', key: 'A', data: { minutes: { '2881': 1, '8760': 1 }, fulfilled: 2, kept: 1 } },
    ]);
  });

  it('the window is [start, end): an instant equal to end is outside, one equal to start inside', () => {
    const b: BackorderEvents = { key: 'A', quantity: 2, createdAt: '2026-01-03T00:00:00.000Z', resolvedAt: '2026-01-04T00:00:00.000Z', fulfilled: true, firstPromisedDate: null };
    expect(backorderFacts([b], '2026-01-03T00:00:00.000Z', '2026-01-04T00:00:00.000Z')).toEqual({
      aging: [{ day: '2026-01-03', key: 'A', data: { created: [1, 2], resolved: {} } }],
      cleared: [],
    });
    expect(sorted(backorderFacts([b], '2026-01-04', '2026-01-05').aging)).toEqual([{ day: '2026-01-03', key: 'A', data: { created: [0, 0], resolved: { '2026-01-04': [1, 2] } } }]);
    expect(backorderFacts([b], '', 'far future').cleared).toEqual([{ day: '2026-01-04', key: 'A', data: { minutes: { '1440': 1 }, fulfilled: 1, kept: 0 } }]);
    expect(backorderFacts([], '', 'far future')).toEqual({ aging: [], cleared: [] });
  });

  it('are the brute-force counts over the lives of the window', () => {
    fc.assert(
      fc.property(livesArb, instantArb, instantArb, (lives, x, y) => {
        const [start, end] = x <= y ? [x, y] : [y, x];
        const f = backorderFacts(lives, start, end);
        expect(distinct(f.aging)).toBe(true);
        expect(distinct(f.cleared)).toBe(true);
        const ms = (s: string) => Date.parse(s.length === 10 ? `${s}T00:00:00.000Z` : s);
        const inWindow = (s: string) => ms(s) >= ms(start) && ms(s) < ms(end);
        const created = lives.filter((b) => inWindow(b.createdAt));
        const resolved = lives.filter((b) => b.resolvedAt !== null && inWindow(b.resolvedAt));
        // Aging: one fact per (creation day, key) that had a creation or a resolution in the window.
        const agingIds = new Set([...created, ...resolved].map((b) => `${b.createdAt.slice(0, 10)}|${b.key}`));
        expect(new Set(f.aging.map((a) => `${a.day}|${a.key}`))).toEqual(agingIds);
        for (const a of f.aging) {
          const mine = (b: BackorderEvents) => b.createdAt.slice(0, 10) === a.day && b.key === a.key;
          const c = created.filter(mine);
          expect(a.data.created).toEqual([c.length, c.reduce((s, b) => s + b.quantity, 0)]);
          const r = resolved.filter(mine);
          const expected: Record<string, [number, number]> = {};
          for (const b of r) {
            const d = b.resolvedAt!.slice(0, 10);
            expected[d] = [(expected[d]?.[0] ?? 0) + 1, (expected[d]?.[1] ?? 0) + b.quantity];
          }
          expect(a.data.resolved).toEqual(expected);
        }
        // Cleared: one fact per (resolution day, key).
        expect(new Set(f.cleared.map((c) => `${c.day}|${c.key}`))).toEqual(new Set(resolved.map((b) => `${b.resolvedAt!.slice(0, 10)}|${b.key}`)));
        for (const c of f.cleared) {
          const r = resolved.filter((b) => b.resolvedAt!.slice(0, 10) === c.day && b.key === c.key);
          const minutes: Histogram = {};
          for (const b of r) {
            const m = String(Math.round((ms(b.resolvedAt!) - ms(b.createdAt)) / 60_000));
            minutes[m] = (minutes[m] ?? 0) + 1;
          }
          expect(c.data.minutes).toEqual(minutes);
          expect(c.data.fulfilled).toBe(r.filter((b) => b.fulfilled).length);
          expect(c.data.kept).toBe(r.filter((b) => b.fulfilled && b.firstPromisedDate !== null && c.day <= b.firstPromisedDate).length);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('add: the facts of [a, t) merged with those of [t, b) are the facts of [a, b)', () => {
    fc.assert(
      fc.property(livesArb, instantArb, instantArb, instantArb, fc.boolean(), (lives, x, y, z, open) => {
        let [a, t, b] = [x, y, z].sort();
        // Sometimes the outer window is all time.
        if (open) [a, b] = ['', 'far future'];
        const whole = backorderFacts(lives, a!, b!);
        const left = backorderFacts(lives, a!, t!);
        const right = backorderFacts(lives, t!, b!);
        expect(sorted(mergeFacts('aging', [...left.aging, ...right.aging]))).toEqual(sorted(whole.aging));
        expect(sorted(mergeFacts('cleared', [...right.cleared, ...left.cleared]))).toEqual(sorted(whole.cleared));
      }),
      { numRuns: 300 },
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// cycleFacts and csatFacts
// ---------------------------------------------------------------------------------------------------------------

describe('cycleFacts', () => {
  it('a worked example: minutes from placement to last shipment, on the closing day', () => {
    const facts = cycleFacts([
      // 90 min, closed 01-02.
      { key: 'A', placedAt: '2026-01-01T22:00:00.000Z', lastShippedAt: '2026-01-01T23:30:00.000Z', closedAt: '2026-01-02T01:00:00.000Z' },
      // 90 min too, same day and key: counted twice.
      { key: 'A', placedAt: '2026-01-02T00:00:00.000Z', lastShippedAt: '2026-01-02T01:30:00.000Z', closedAt: '2026-01-02T05:00:00.000Z' },
      // 1 day 29.6 s -> 1440.49 min -> 1440, same day, key B.
      { key: 'B', placedAt: '2026-01-01T00:00:00.000Z', lastShippedAt: '2026-01-02T00:00:29.600Z', closedAt: '2026-01-02T00:00:29.600Z' },
      // 0 min, closed 01-03.
      { key: 'A', placedAt: '2026-01-03T10:00:00.000Z', lastShippedAt: '2026-01-03T10:00:00.000Z', closedAt: '2026-01-03T10:00:00.000Z' },
    ]);
    expect(sorted(facts)).toEqual([
      { day: '2026-01-02', key: 'A', data: { '90': 2 } },
      { day: '2026-01-02', key: 'B', data: { '1440': 1 } },
      { day: '2026-01-03', key: 'A', data: { '0': 1 } },
    ]);
    expect(cycleFacts([])).toEqual([]);
  });

  it('add: facts of the orders split by closing day, or any way, merge into the facts of all', () => {
    fc.assert(
      fc.property(ordersArb, fc.integer({ min: 0, max: 18 }), fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }), (orders, t, sides) => {
        const whole = cycleFacts(orders);
        expect(distinct(whole)).toBe(true);
        const split = day(t);
        const before = orders.filter((o) => o.closedAt.slice(0, 10) < split);
        const after = orders.filter((o) => o.closedAt.slice(0, 10) >= split);
        expect(sorted(mergeFacts('cycle', [...cycleFacts(after), ...cycleFacts(before)]))).toEqual(sorted(whole));
        const one = orders.filter((_, i) => sides[i]);
        const other = orders.filter((_, i) => !sides[i]);
        expect(sorted(mergeFacts('cycle', [...cycleFacts(one), ...cycleFacts(other)]))).toEqual(sorted(whole));
        // Every order is counted once, on its closing day and key.
        for (const f of whole) {
          const mine = orders.filter((o) => o.closedAt.slice(0, 10) === f.day && o.key === f.key);
          const h: Histogram = {};
          for (const o of mine) {
            const m = String(Math.round((Date.parse(o.lastShippedAt) - Date.parse(o.placedAt)) / 60_000));
            h[m] = (h[m] ?? 0) + 1;
          }
          expect(f.data).toEqual(h);
        }
        expect(whole.reduce((s, f) => s + Object.values(f.data).reduce((x, y) => x + y, 0), 0)).toBe(orders.length);
      }),
      { numRuns: 300 },
    );
  });
});

describe('csatFacts', () => {
  it('a worked example: each answer counts in all, and in one segment of each of the three', () => {
    const facts = csatFacts([
      { day: '2026-01-02', key: 'A', score: 5, backordered: 1, notified_on_time: 1, promise_kept: 0 },
      { day: '2026-01-02', key: 'A', score: 2, backordered: 0, notified_on_time: null, promise_kept: null },
      { day: '2026-01-02', key: 'A', score: 4, backordered: 1, notified_on_time: 0, promise_kept: 1 },
    ]);
    expect(facts).toHaveLength(1);
    expect(facts[0]!.day).toBe('2026-01-02');
    expect(facts[0]!.key).toBe('A');
    // [answers, sum of scores, scores 4-5]
    expect(facts[0]!.data).toEqual({
      all: [3, 11, 2],
      'backordered.yes': [2, 9, 2],
      'backordered.no': [1, 2, 0],
      'notified.yes': [1, 5, 1],
      'notified.no': [1, 4, 1],
      'notified.na': [1, 2, 0],
      'kept.yes': [1, 4, 1],
      'kept.no': [1, 5, 1],
      'kept.na': [1, 2, 0],
    });
  });

  it('add: facts of the answers split by day, or any way, merge into the facts of all', () => {
    fc.assert(
      fc.property(answersArb, fc.integer({ min: 0, max: 10 }), fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }), (answers, t, sides) => {
        const whole = csatFacts(answers);
        expect(distinct(whole)).toBe(true);
        const before = answers.filter((a) => a.day < day(t));
        const after = answers.filter((a) => a.day >= day(t));
        expect(sorted(mergeFacts('csat', [...csatFacts(before), ...csatFacts(after)]))).toEqual(sorted(whole));
        const one = answers.filter((_, i) => sides[i]);
        const other = answers.filter((_, i) => !sides[i]);
        expect(sorted(mergeFacts('csat', [...csatFacts(other), ...csatFacts(one)]))).toEqual(sorted(whole));
      }),
      { numRuns: 300 },
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// addFact and mergeFacts
// ---------------------------------------------------------------------------------------------------------------

describe('addFact', () => {
  for (const kind of Object.keys(factArbs) as FactKind[]) {
    it(`${kind}: commutative and associative, and leaves its arguments alone`, () => {
      const arb = factArbs[kind] as fc.Arbitrary<FactData[FactKind]>;
      fc.assert(
        fc.property(arb, arb, arb, (a, b, c) => {
          const copies = structuredClone([a, b, c]);
          expect(addFact(kind, a, b)).toEqual(addFact(kind, b, a));
          expect(addFact(kind, addFact(kind, a, b), c)).toEqual(addFact(kind, a, addFact(kind, b, c)));
          expect([a, b, c]).toEqual(copies);
        }),
        { numRuns: 200 },
      );
    });
  }

  it('adds component-wise, a missing entry counting as zero', () => {
    expect(addFact('cycle', { '10': 2, '20': 1 }, { '20': 3, '5': 1 })).toEqual({ '5': 1, '10': 2, '20': 4 });
    expect(addFact('stock', { units: 3, valueMinor: 30, shippedUnits: 1, shippedValueMinor: 10 }, { units: -5, valueMinor: -50, shippedUnits: 5, shippedValueMinor: 50 }))
      .toEqual({ units: -2, valueMinor: -20, shippedUnits: 6, shippedValueMinor: 60 });
    expect(addFact('cleared', { minutes: { '60': 1 }, fulfilled: 1, kept: 0 }, { minutes: { '60': 2, '90': 1 }, fulfilled: 2, kept: 2 }))
      .toEqual({ minutes: { '60': 3, '90': 1 }, fulfilled: 3, kept: 2 });
    expect(
      addFact('aging', { created: [2, 7], resolved: { '2026-01-04': [1, 3] } }, { created: [0, 0], resolved: { '2026-01-04': [1, 4], '2026-01-06': [2, 2] } }),
    ).toEqual({ created: [2, 7], resolved: { '2026-01-04': [2, 7], '2026-01-06': [2, 2] } });
    const z = { all: [0, 0, 0] } as unknown as FactData['csat'];
    expect(addFact('csat', { all: [1, 5, 1] } as unknown as FactData['csat'], z)).toEqual({ all: [1, 5, 1] });
  });

  it('sums every field of every kind', () => {
    // Leaves of a fact (numbers at any depth), by path: the sum's leaves are the sums of the two facts' leaves.
    const leaves = (x: unknown, path = '', out = new Map<string, number>()): Map<string, number> => {
      if (typeof x === 'number') out.set(path, x);
      else for (const [k, v] of Object.entries(x as object)) leaves(v, `${path}/${k}`, out);
      return out;
    };
    for (const kind of Object.keys(factArbs) as FactKind[]) {
      const arb = factArbs[kind] as fc.Arbitrary<FactData[FactKind]>;
      fc.assert(
        fc.property(arb, arb, (a, b) => {
          const la = leaves(a);
          const lb = leaves(b);
          const sum = leaves(addFact(kind, a, b));
          expect(new Set(sum.keys())).toEqual(new Set([...la.keys(), ...lb.keys()]));
          for (const [p, v] of sum) expect(v).toBe((la.get(p) ?? 0) + (lb.get(p) ?? 0));
        }),
        { numRuns: 100 },
      );
    }
  });
});

describe('mergeFacts', () => {
  it('adds facts that share a day and key, keeps the others, and leaves its input alone', () => {
    const facts: DayFact<'cycle'>[] = [
      { day: '2026-01-01', key: 'A', data: { '10': 1 } },
      { day: '2026-01-01', key: 'B', data: { '10': 1 } },
      { day: '2026-01-02', key: 'A', data: { '10': 1 } },
      { day: '2026-01-01', key: 'A', data: { '10': 2, '30': 1 } },
    ];
    const copy = structuredClone(facts);
    expect(sorted(mergeFacts('cycle', facts))).toEqual([
      { day: '2026-01-01', key: 'A', data: { '10': 3, '30': 1 } },
      { day: '2026-01-01', key: 'B', data: { '10': 1 } },
      { day: '2026-01-02', key: 'A', data: { '10': 1 } },
    ]);
    expect(facts).toEqual(copy);
    expect(mergeFacts('cycle', [])).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// csatSummary
// ---------------------------------------------------------------------------------------------------------------

describe('csatSummary', () => {
  const plain = (answers: readonly SurveyAnswer[]): CsatStats => ({
    n: answers.length,
    mean: answers.length === 0 ? null : answers.reduce((s, a) => s + a.score, 0) / answers.length,
    share45: answers.length === 0 ? null : answers.filter((a) => a.score >= 4).length / answers.length,
  });

  it('a worked example', () => {
    const answers: SurveyAnswer[] = [
      { day: '2026-01-02', key: 'A', score: 5, backordered: 1, notified_on_time: 1, promise_kept: 0 },
      { day: '2026-01-02', key: 'B', score: 2, backordered: 0, notified_on_time: null, promise_kept: null },
      { day: '2026-01-03', key: 'A', score: 4, backordered: 1, notified_on_time: 0, promise_kept: 1 },
      { day: '2026-01-04', key: 'A', score: 3, backordered: 1, notified_on_time: 1, promise_kept: 1 },
    ];
    const s = csatSummary(csatFacts(answers).map((f) => f.data));
    // All: 14 / 4 = 3.5, 4-5: 2 / 4.
    expect(s.count).toBe(4);
    expect(s.mean).toBe(3.5);
    expect(s.share45).toBe(0.5);
    // Backordered: 5, 4, 3 -> mean 4, share 2/3; not: 2.
    expect(s.segments.backordered).toEqual({ yes: { n: 3, mean: 4, share45: 2 / 3 }, no: { n: 1, mean: 2, share45: 0 } });
    // Notified on time: 5, 3 -> 4, 1/2; late: 4; not applicable: 2.
    expect(s.segments.notifiedOnTime).toEqual({ yes: { n: 2, mean: 4, share45: 0.5 }, no: { n: 1, mean: 4, share45: 1 }, notApplicable: { n: 1, mean: 2, share45: 0 } });
    // Kept: 4, 3 -> 3.5, 1/2; not kept: 5; not applicable: 2.
    expect(s.segments.promiseKept).toEqual({ yes: { n: 2, mean: 3.5, share45: 0.5 }, no: { n: 1, mean: 5, share45: 1 }, notApplicable: { n: 1, mean: 2, share45: 0 } });
  });

  it('no answers: zeros and nulls', () => {
    const empty: CsatStats = { n: 0, mean: null, share45: null };
    const expected = {
      count: 0,
      mean: null,
      share45: null,
      segments: { backordered: { yes: empty, no: empty }, notifiedOnTime: { yes: empty, no: empty, notApplicable: empty }, promiseKept: { yes: empty, no: empty, notApplicable: empty } },
    };
    expect(csatSummary([])).toEqual(expected);
    expect(csatSummary(csatFacts([]).map((f) => f.data))).toEqual(expected);
  });

  it('is the mean and share of 4-5 per segment over the answers, however the days are split', () => {
    fc.assert(
      fc.property(answersArb, (answers) => {
        const s = csatSummary(csatFacts(answers).map((f) => f.data));
        const all = plain(answers);
        const by = <T>(f: (a: SurveyAnswer) => T, v: T) => plain(answers.filter((a) => f(a) === v));
        const close = (got: CsatStats, want: CsatStats) => {
          expect(got.n).toBe(want.n);
          for (const k of ['mean', 'share45'] as const) {
            if (want[k] === null) expect(got[k]).toBeNull();
            else expect(got[k]).toBeCloseTo(want[k]!, 12);
          }
        };
        expect(s.count).toBe(all.n);
        close({ n: s.count, mean: s.mean, share45: s.share45 }, all);
        close(s.segments.backordered.yes, by((a) => a.backordered, 1));
        close(s.segments.backordered.no, by((a) => a.backordered, 0));
        close(s.segments.notifiedOnTime.yes, by((a) => a.notified_on_time, 1));
        close(s.segments.notifiedOnTime.no, by((a) => a.notified_on_time, 0));
        close(s.segments.notifiedOnTime.notApplicable, by((a) => a.notified_on_time, null));
        close(s.segments.promiseKept.yes, by((a) => a.promise_kept, 1));
        close(s.segments.promiseKept.no, by((a) => a.promise_kept, 0));
        close(s.segments.promiseKept.notApplicable, by((a) => a.promise_kept, null));
        // Each family of segments partitions the answers.
        for (const family of Object.values(s.segments)) expect(Object.values(family).reduce((x: number, st: CsatStats) => x + st.n, 0)).toBe(all.n);
      }),
      { numRuns: 300 },
    );
  });

  it('does not modify the days handed to it', () => {
    const days = csatFacts([
      { day: '2026-01-02', key: 'A', score: 5, backordered: 1, notified_on_time: 1, promise_kept: 0 },
      { day: '2026-01-03', key: 'A', score: 1, backordered: 0, notified_on_time: 0, promise_kept: null },
    ]).map((f) => f.data);
    const copy = structuredClone(days);
    csatSummary(days);
    csatSummary(days);
    expect(days).toEqual(copy);
    const segs: readonly CsatSegment[] = csatSegments;
    expect(segs).toHaveLength(9);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// histogramPercentile and calendarAge
// ---------------------------------------------------------------------------------------------------------------

describe('histogramPercentile', () => {
  it('equals the nearest rank of the sorted values, sorted[max(0, ceil(p n) - 1)]', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ v: fc.integer({ min: -100, max: 10_000 }), c: fc.integer({ min: 0, max: 30 }) }), { maxLength: 20 }),
        fc.integer({ min: 0, max: 64 }),
        (entries, num) => {
          const h: Histogram = {};
          for (const e of entries) h[String(e.v)] = (h[String(e.v)] ?? 0) + e.c;
          const values = Object.entries(h).flatMap(([v, c]) => Array.from({ length: c }, () => Number(v))).sort((a, b) => a - b);
          const rank = (p: number) => (values.length === 0 ? null : values[Math.max(0, Math.ceil(p * values.length) - 1)]!);
          for (const p of [num / 64, 0.5, 0.9, 0, 1]) expect(histogramPercentile(h, p)).toBe(rank(p));
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe('calendarAge', () => {
  it('counts calendar days, both ends included', () => {
    expect(calendarAge('2026-01-11', '2026-01-11')).toBe(1);
    expect(calendarAge('2026-01-10', '2026-01-11')).toBe(2);
    expect(calendarAge('2026-01-01', '2026-01-31')).toBe(31);
    expect(calendarAge('2025-12-31', '2026-01-01')).toBe(2);
    expect(calendarAge('2024-02-28', '2024-03-01')).toBe(3); // leap year
    expect(calendarAge('2025-02-28', '2025-03-01')).toBe(2);
    expect(calendarAge('2025-01-01', '2026-01-01')).toBe(366);
  });

  it('is the difference of UTC dates plus one', () => {
    fc.assert(
      fc.property(fc.integer({ min: -20_000, max: 20_000 }), fc.integer({ min: 0, max: 3_000 }), (from, len) => {
        const a = iso(base + from * dayMs).slice(0, 10);
        const b = iso(base + (from + len) * dayMs).slice(0, 10);
        expect(calendarAge(a, b)).toBe(len + 1);
      }),
      { numRuns: 300 },
    );
  });
});
