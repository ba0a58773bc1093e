// simulateItem / orderFor, checked against the specification in engine.ts's header comment.
//
// What this proves:
//   - worked examples, computed by hand period by period (each has its table as a comment), for an order-up-to
//     policy with warm-up, first-in first-out backorders with their waits, a late order that crosses a later one,
//     lost sales, pack size and minimum order rounding;
//   - orderFor's rounding and the (s, Q) "smallest multiple of Q that lifts the position above s" rule;
//   - the policy sees only the demand up to the period it reviews, and only at reviews;
//   - the shelf starts at the policy's own target, rounded up;
//   - bad options are refused with a RangeError naming the problem and the item;
//   - properties over random runs: units are conserved, nothing goes negative, orders arrive exactly lead time + 1
//     periods after they are placed, the policy's rule holds after every review, and the totals are the sums of
//     the measured periods.
//
// Trace tables: arr = arrived, d = demand, fs = from stock, bf = backlog filled, sh = short, ord = ordered,
// oh = on hand, bl = backlog, oo = on order (all at the end of the period); pos = the position the policy sees
// at the review (on hand + on order - backlog, before ordering).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { orderFor, simulateItem, type Decide, type OrderRule, type PeriodTrace, type SimItem, type SimOptions } from './engine.js';

type Row = [t: number, arrived: number, demand: number, fromStock: number, backlogFilled: number, short: number, ordered: number, onHand: number, backlog: number, onOrder: number];

function rows(...table: Row[]): PeriodTrace[] {
  return table.map(([t, arrived, demand, fromStock, backlogFilled, short, ordered, onHand, backlog, onOrder]) => ({ t, arrived, demand, fromStock, backlogFilled, short, ordered, onHand, backlog, onOrder }));
}

const RS = (orderUpTo: number): OrderRule => ({ kind: 'RS', orderUpTo });
const sS = (reorderPoint: number, orderUpTo: number): OrderRule => ({ kind: 'sS', reorderPoint, orderUpTo });
const sQ = (reorderPoint: number, orderQuantity: number): OrderRule => ({ kind: 'sQ', reorderPoint, orderQuantity });
const always = (rule: OrderRule): Decide => () => rule;

function item(demand: number[], leadTime: number, extra: Partial<Omit<SimItem, 'demand' | 'leadTime'>> = {}): SimItem {
  return { id: 'item-1', demand: Float64Array.from(demand), leadTime, ...extra };
}

const options = (extra: Partial<SimOptions> = {}): SimOptions => ({ start: 0, measureFrom: 0, review: 1, trace: true, ...extra });

describe('order-up-to (R, S), lead time 2, review 1', () => {
  it('every period by hand, and the totals after a two-period warm-up', () => {
    // S = 10, opening shelf = S = 10. An order placed at the end of t arrives at the start of t + 3.
    //  t | arr |  d | fs | bf | sh | pos           | ord | oh | bl | oo
    //  0 |  0  |  3 |  3 |  0 |  0 | 7             |  3  |  7 |  0 |  3   (arrives t3)
    //  1 |  0  |  4 |  4 |  0 |  0 | 3+3 = 6       |  4  |  3 |  0 |  7   (arrives t4)
    //  2 |  0  |  5 |  3 |  0 |  2 | 0+7-2 = 5     |  5  |  0 |  2 | 12   (arrives t5)
    //  3 |  3  |  2 |  1 |  2 |  1 | 0+9-1 = 8     |  2  |  0 |  1 | 11   (3 in: 2 to backlog, 1 to shelf; arrives t6 = n, never)
    //  4 |  4  |  6 |  3 |  1 |  3 | 0+7-3 = 4     |  6  |  0 |  3 | 13   (4 in: 1 to backlog, 3 to shelf; arrives t7, never)
    //  5 |  5  |  0 |  0 |  3 |  0 | 2+8 = 10      |  0  |  2 |  0 |  8   (5 in: 3 to backlog, 2 to shelf; position = S, no order)
    // Measured t2..t5: demand 5+2+6+0 = 13 in 3 lines; fs 3+1+3+0 = 7; short 2+1+3 = 6 in 3 lines;
    // shipped (3+0)+(1+2)+(3+1)+(0+3) = 13; on-hand sum 0+0+0+2 = 2; backlog sum 2+1+3+0 = 6;
    // orders at t2, t3, t4: 3 orders, 5+2+6 = 13 units. Every backordered unit waited exactly 1 period: waits[1] = 2+1+3.
    const r = simulateItem(item([3, 4, 5, 2, 6, 0], 2), always(RS(10)), options({ measureFrom: 2 }));
    expect(r.trace).toEqual(
      rows(
        [0, 0, 3, 3, 0, 0, 3, 7, 0, 3],
        [1, 0, 4, 4, 0, 0, 4, 3, 0, 7],
        [2, 0, 5, 3, 0, 2, 5, 0, 2, 12],
        [3, 3, 2, 1, 2, 1, 2, 0, 1, 11],
        [4, 4, 6, 3, 1, 3, 6, 0, 3, 13],
        [5, 5, 0, 0, 3, 0, 0, 2, 0, 8],
      ),
    );
    expect(r).toMatchObject({
      id: 'item-1',
      periods: 4,
      initialOnHand: 10,
      demandUnits: 13,
      demandLines: 3,
      fromStockUnits: 7,
      shortUnits: 6,
      shortLines: 3,
      lostUnits: 0,
      shippedUnits: 13,
      onHandSum: 2,
      backlogSum: 6,
      orders: 3,
      orderedUnits: 13,
      waits: [0, 6],
      openWaits: [],
    });
  });

  it('without trace: the same totals and no trace field', () => {
    const r = simulateItem(item([3, 4, 5, 2, 6, 0], 2), always(RS(10)), options({ measureFrom: 2, trace: false }));
    expect(r.trace).toBeUndefined();
    expect('trace' in r).toBe(false);
    expect(r).toMatchObject({ demandUnits: 13, shortUnits: 6, shippedUnits: 13, onHandSum: 2, backlogSum: 6, orders: 3, orderedUnits: 13 });
  });

  it('empty (NaN) demand is no demand: not a line, nothing served', () => {
    // S = 3, lead time 0, opening shelf 3.
    //  t | arr |  d          | fs | bf | sh | pos | ord | oh | bl | oo
    //  0 |  0  | NaN -> 0    |  0 |  0 |  0 |  3  |  0  |  3 |  0 |  0
    //  1 |  0  |  2          |  2 |  0 |  0 |  1  |  2  |  1 |  0 |  2   (arrives t2 = n, never)
    const r = simulateItem(item([NaN, 2], 0), always(RS(3)), options());
    expect(r.trace).toEqual(rows([0, 0, 0, 0, 0, 0, 0, 3, 0, 0], [1, 0, 2, 2, 0, 0, 2, 1, 0, 2]));
    expect(r).toMatchObject({ demandUnits: 2, demandLines: 1, fromStockUnits: 2, shortUnits: 0, orders: 1, orderedUnits: 2, onHandSum: 4 });
  });
});

describe('backorders are filled first-in first-out', () => {
  // (s, Q) with s = 0, Q = 2, lead time 1 (arrives at t + 2), review 1; opening shelf s + Q = 2.
  // Lots of backordered units: A = (t0, 1), B = (t1, 2), C = (t4, 3), D = (t5, 3).
  //  t | arr | d | fs | bf | sh | pos           | ord | oh | bl | oo | backlog queue after the period
  //  0 |  0  | 3 | 2  | 0  | 1  | -1 -> 1 x Q    |  2  |  0 |  1 |  2 | A1
  //  1 |  0  | 2 | 0  | 0  | 2  | 0+2-3 = -1     |  2  |  0 |  3 |  4 | A1 B2
  //  2 |  2  | 0 | 0  | 2  | 0  | 0+2-1 = 1 > s  |  0  |  0 |  1 |  2 | B1   (A1 waited 2, B1 waited 1)
  //  3 |  2  | 0 | 0  | 1  | 0  | 1+0 = 1 > s    |  0  |  1 |  0 |  0 | -    (B1 waited 2; 1 to shelf)
  //  4 |  0  | 4 | 1  | 0  | 3  | -3 -> 2 x Q    |  4  |  0 |  3 |  4 | C3
  //  5 |  0  | 3 | 0  | 0  | 3  | 0+4-6 = -2 -> 2 x Q | 4 | 0 |  6 |  8 | C3 D3 (order arrives t7, never)
  //  6 |  4  | 0 | 0  | 4  | 0  | 0+4-2 = 2 > s  |  0  |  0 |  2 |  4 | D2   (C3 waited 2, D1 waited 1)
  // Waits: A 1@2; B 1@1 + 1@2; C 3@2; D 1@1  ->  waits = [0, 2, 5].
  // Still waiting at the end (n = 7): D2, asked for at t5, at wait 7 - 5 = 2  ->  openWaits = [0, 0, 2].
  const demand = [3, 2, 0, 0, 4, 3, 0];
  const expected = rows(
    [0, 0, 3, 2, 0, 1, 2, 0, 1, 2],
    [1, 0, 2, 0, 0, 2, 2, 0, 3, 4],
    [2, 2, 0, 0, 2, 0, 0, 0, 1, 2],
    [3, 2, 0, 0, 1, 0, 0, 1, 0, 0],
    [4, 0, 4, 1, 0, 3, 4, 0, 3, 4],
    [5, 0, 3, 0, 0, 3, 4, 0, 6, 8],
    [6, 4, 0, 0, 4, 0, 0, 0, 2, 4],
  );

  it('every period, the waits histogram and the open waits', () => {
    const r = simulateItem(item(demand, 1), always(sQ(0, 2)), options());
    expect(r.trace).toEqual(expected);
    // Demand 12 = from stock 3 + short 9; short 9 = filled 2+1+4 = 7 + still waiting 2.
    expect(r).toMatchObject({ initialOnHand: 2, demandUnits: 12, demandLines: 4, fromStockUnits: 3, shortUnits: 9, shortLines: 4, shippedUnits: 10, backlogSum: 1 + 3 + 1 + 0 + 3 + 6 + 2, onHandSum: 1, orders: 4, orderedUnits: 12 });
    expect(r.waits).toEqual([0, 2, 5]);
    expect(r.openWaits).toEqual([0, 0, 2]);
  });

  it('units asked for in the warm-up are not in the waits (measureFrom = 1 drops lot A)', () => {
    const r = simulateItem(item(demand, 1), always(sQ(0, 2)), options({ measureFrom: 1 }));
    expect(r.trace).toEqual(expected);
    expect(r.waits).toEqual([0, 2, 4]);
    expect(r.openWaits).toEqual([0, 0, 2]);
    // Measured t1..t6: short 2+3+3 = 8; shipped = from stock 1 + filled 2+1+4 (A's unit is filled at t2, a measured period).
    expect(r).toMatchObject({ periods: 6, shortUnits: 8, shortLines: 3, shippedUnits: 8 });
  });
});

describe('a late order (lead time per order)', () => {
  it('the first order takes 3 periods instead of 1, the second overtakes it, and a shortage follows', () => {
    // RS, S = 6, nominal lead time 1, but order k = 0 has lead time 3: it arrives at t0 + 1 + 3 = t4.
    //  t | arr     | d | fs | bf | sh | pos          | ord         | oh | bl | oo
    //  0 |  0      | 2 | 2  | 0  | 0  | 4            | 2 (#0 -> t4) |  4 |  0 |  2
    //  1 |  0      | 2 | 2  | 0  | 0  | 2+2 = 4      | 2 (#1 -> t3) |  2 |  0 |  4
    //  2 |  0      | 2 | 2  | 0  | 0  | 0+4 = 4      | 2 (#2 -> t4) |  0 |  0 |  6
    //  3 |  2 (#1) | 3 | 2  | 0  | 1  | 0+4-1 = 3    | 3 (#3 -> t5) |  0 |  1 |  7
    //  4 |  4 (#0,#2) | 2 | 2 | 1 | 0  | 1+3 = 4      | 2 (#4 -> t6, never) | 1 | 0 | 5
    //  5 |  3 (#3) | 2 | 2  | 0  | 0  | 2+2 = 4      | 2 (#5 -> t7, never) | 2 | 0 | 4
    // The unit short at t3 is filled at t4: waits = [0, 1].
    const asked: number[] = [];
    const leadTimeOf = (k: number): number => {
      asked.push(k);
      return k === 0 ? 3 : 1;
    };
    const r = simulateItem(item([2, 2, 2, 3, 2, 2], 1, { leadTimeOf }), always(RS(6)), options());
    expect(r.trace).toEqual(
      rows(
        [0, 0, 2, 2, 0, 0, 2, 4, 0, 2],
        [1, 0, 2, 2, 0, 0, 2, 2, 0, 4],
        [2, 0, 2, 2, 0, 0, 2, 0, 0, 6],
        [3, 2, 3, 2, 0, 1, 3, 0, 1, 7],
        [4, 4, 2, 2, 1, 0, 2, 1, 0, 5],
        [5, 3, 2, 2, 0, 0, 2, 2, 0, 4],
      ),
    );
    expect(asked).toEqual([0, 1, 2, 3, 4, 5]);
    expect(r).toMatchObject({ shortUnits: 1, shortLines: 1, waits: [0, 1], openWaits: [], orders: 6, orderedUnits: 13 });
  });

  it('with the nominal lead time for every order there is no shortage', () => {
    const r = simulateItem(item([2, 2, 2, 3, 2, 2], 1), always(RS(6)), options());
    expect(r.shortUnits).toBe(0);
    expect(r.trace!.map((p) => p.arrived)).toEqual([0, 0, 2, 2, 2, 3]);
  });
});

describe('lost sales', () => {
  it('short units are lost, never backlogged, and later arrivals go to the shelf', () => {
    // RS, S = 5, lead time 1 (arrives at t + 2), lostSales; opening shelf 5.
    //  t | arr | d | fs | bf | sh (lost) | pos      | ord | oh | bl | oo
    //  0 |  0  | 4 | 4  | 0  | 0         | 1        |  4  |  1 |  0 |  4
    //  1 |  0  | 4 | 1  | 0  | 3         | 0+4 = 4  |  1  |  0 |  0 |  5
    //  2 |  4  | 6 | 4  | 0  | 2         | 0+1 = 1  |  4  |  0 |  0 |  5
    //  3 |  1  | 0 | 0  | 0  | 0         | 1+4 = 5  |  0  |  1 |  0 |  4
    //  4 |  4  | 3 | 3  | 0  | 0         | 2        |  3  |  2 |  0 |  3   (arrives t6, never)
    // Demand 17 = from stock 12 + lost 5.
    const r = simulateItem(item([4, 4, 6, 0, 3], 1), always(RS(5)), options({ lostSales: true }));
    expect(r.trace).toEqual(
      rows(
        [0, 0, 4, 4, 0, 0, 4, 1, 0, 4],
        [1, 0, 4, 1, 0, 3, 1, 0, 0, 5],
        [2, 4, 6, 4, 0, 2, 4, 0, 0, 5],
        [3, 1, 0, 0, 0, 0, 0, 1, 0, 4],
        [4, 4, 3, 3, 0, 0, 3, 2, 0, 3],
      ),
    );
    expect(r).toMatchObject({
      demandUnits: 17,
      demandLines: 4,
      fromStockUnits: 12,
      shortUnits: 5,
      shortLines: 2,
      lostUnits: 5,
      shippedUnits: 12,
      onHandSum: 4,
      backlogSum: 0,
      orders: 4,
      orderedUnits: 12,
      waits: [],
      openWaits: [],
    });
  });

  it('lostUnits is 0 when sales are backordered', () => {
    const r = simulateItem(item([4, 4, 6, 0, 3], 1), always(RS(5)), options());
    expect(r.lostUnits).toBe(0);
    expect(r.shortUnits).toBeGreaterThan(0);
  });
});

describe('orderFor: packs and minimum order', () => {
  it('RS orders up to S when the position is below S, nothing at or above it', () => {
    expect(orderFor(RS(10), 3, 0, 1)).toBe(7);
    expect(orderFor(RS(10), -4, 0, 1)).toBe(14);
    expect(orderFor(RS(10), 10, 0, 1)).toBe(0);
    expect(orderFor(RS(10), 12, 0, 1)).toBe(0);
    expect(orderFor(RS(10), 2.5, 0, 1)).toBe(8); // 7.5 rounded up to a whole pack of 1
    expect(orderFor(RS(10), 3, 0, 6)).toBe(12); // 7 -> 2 packs of 6
    expect(orderFor(RS(10), 4, 0, 6)).toBe(6); // exactly 1 pack
    expect(orderFor(RS(10), 3, 20, 1)).toBe(20); // 7 -> the minimum 20
    expect(orderFor(RS(10), 3, 20, 6)).toBe(24); // max(7, 20) = 20 -> 4 packs of 6
    expect(orderFor(RS(10), 10, 20, 6)).toBe(0); // the minimum does not force an order that is not needed
  });

  it('sS orders up to S only when the position is at or below s', () => {
    expect(orderFor(sS(4, 10), 5, 0, 1)).toBe(0);
    expect(orderFor(sS(4, 10), 4, 0, 1)).toBe(6);
    expect(orderFor(sS(4, 10), -2, 0, 1)).toBe(12);
    expect(orderFor(sS(4, 10), 4, 0, 5)).toBe(10); // 6 -> 2 packs of 5
    expect(orderFor(sS(4, 10), 4, 8, 1)).toBe(8); // 6 -> the minimum 8
    expect(orderFor(sS(4, 10), 5, 8, 5)).toBe(0);
  });

  it('sQ orders the smallest multiple of Q that lifts the position above s', () => {
    // s = 4, Q = 5.
    expect(orderFor(sQ(4, 5), 5, 0, 1)).toBe(0); // above s
    expect(orderFor(sQ(4, 5), 4, 0, 1)).toBe(5); // 4 + 5 = 9 > 4
    expect(orderFor(sQ(4, 5), 0, 0, 1)).toBe(5); // 0 + 5 = 5 > 4
    expect(orderFor(sQ(4, 5), -1, 0, 1)).toBe(10); // -1 + 5 = 4 is not above s; -1 + 10 = 9 is
    expect(orderFor(sQ(4, 5), -20, 0, 1)).toBe(25); // -20 + 20 = 0 no; -20 + 25 = 5 yes
    expect(orderFor(sQ(4, 5), -21, 0, 1)).toBe(30); // -21 + 25 = 4 no; -21 + 30 = 9 yes
    expect(orderFor(sQ(0, 2), -3, 0, 1)).toBe(4); // -3 + 2 = -1 no; -3 + 4 = 1 yes
    expect(orderFor(sQ(4, 5), -1, 0, 4)).toBe(12); // 2 x Q = 10 -> 3 packs of 4
    expect(orderFor(sQ(4, 5), 4, 12, 1)).toBe(12); // 1 x Q = 5 -> the minimum 12
  });

  it('in a run: orders rounded to packs of 4 and at least 6', () => {
    // RS, S = 10, lead time 0, pack 4, minimum 6; opening shelf 10 (the target, not rounded to packs).
    //  t | arr | d | fs | bf | sh | pos | want -> max(want, 6) -> packs | ord | oh | bl | oo
    //  0 |  0  | 3 | 3  | 0  | 0  |  7  | 3 -> 6 -> 2 packs             |  8  |  7 |  0 |  8
    //  1 |  8  | 1 | 1  | 0  | 0  | 14  | none                           |  0  | 14 |  0 |  0
    //  2 |  0  | 5 | 5  | 0  | 0  |  9  | 1 -> 6 -> 2 packs             |  8  |  9 |  0 |  8   (arrives t3, never)
    const r = simulateItem(item([3, 1, 5], 0, { packSize: 4, minOrder: 6 }), always(RS(10)), options());
    expect(r.trace).toEqual(rows([0, 0, 3, 3, 0, 0, 8, 7, 0, 8], [1, 8, 1, 1, 0, 0, 0, 14, 0, 0], [2, 0, 5, 5, 0, 0, 8, 9, 0, 8]));
    expect(r).toMatchObject({ initialOnHand: 10, orders: 2, orderedUnits: 16 });
  });
});

describe('the policy never sees the future', () => {
  it('it is asked once for the opening stock (start values) and then at every review period only, with t + 1 values', () => {
    // RS, S = 5, lead time 0, start 2, review 3: reviews at t2, t5, t8 (not t9). Periods 0, 1 are history only.
    //  t | arr | d | fs | bf | sh | pos (review?) | ord | oh | bl | oo
    //  2 |  0  | 1 | 1  | 0  | 0  | 4 (yes)       |  1  |  4 |  0 |  1
    //  3 |  1  | 1 | 1  | 0  | 0  | -             |  0  |  4 |  0 |  0
    //  4 |  0  | 1 | 1  | 0  | 0  | -             |  0  |  3 |  0 |  0
    //  5 |  0  | 1 | 1  | 0  | 0  | 2 (yes)       |  3  |  2 |  0 |  3
    //  6 |  3  | 1 | 1  | 0  | 0  | -             |  0  |  4 |  0 |  0
    //  7 |  0  | 1 | 1  | 0  | 0  | -             |  0  |  3 |  0 |  0
    //  8 |  0  | 1 | 1  | 0  | 0  | 2 (yes)       |  3  |  2 |  0 |  3
    //  9 |  3  | 1 | 1  | 0  | 0  | -             |  0  |  4 |  0 |  0
    const demand = [9, 9, 1, 1, 1, 1, 1, 1, 1, 1];
    const calls: { history: number[]; position: number }[] = [];
    const decide: Decide = (history, position) => {
      calls.push({ history: Array.from(history), position });
      return RS(5);
    };
    const r = simulateItem(item(demand, 0), decide, options({ start: 2, measureFrom: 4, review: 3 }));
    expect(calls.map((c) => c.history.length)).toEqual([2, 3, 6, 9]);
    for (const c of calls) expect(c.history).toEqual(demand.slice(0, c.history.length));
    expect(calls.slice(1).map((c) => c.position)).toEqual([4, 2, 2]);
    expect(r.trace).toEqual(
      rows(
        [2, 0, 1, 1, 0, 0, 1, 4, 0, 1],
        [3, 1, 1, 1, 0, 0, 0, 4, 0, 0],
        [4, 0, 1, 1, 0, 0, 0, 3, 0, 0],
        [5, 0, 1, 1, 0, 0, 3, 2, 0, 3],
        [6, 3, 1, 1, 0, 0, 0, 4, 0, 0],
        [7, 0, 1, 1, 0, 0, 0, 3, 0, 0],
        [8, 0, 1, 1, 0, 0, 3, 2, 0, 3],
        [9, 3, 1, 1, 0, 0, 0, 4, 0, 0],
      ),
    );
    // Measured t4..t9: 6 periods, 6 units, orders at t5 and t8.
    expect(r).toMatchObject({ periods: 6, demandUnits: 6, orders: 2, orderedUnits: 6, onHandSum: 3 + 2 + 4 + 3 + 2 + 4 });
  });

  it('with review 1, period t is reviewed with exactly t + 1 values', () => {
    const lengths: number[] = [];
    simulateItem(item([0, 0, 0, 0, 0, 0, 0], 1), (h) => (lengths.push(h.length), RS(3)), options({ start: 3, measureFrom: 3 }));
    expect(lengths).toEqual([3, 4, 5, 6, 7]);
  });

  it('the history handed to the policy gives no way to reach later demand, not even through its buffer', () => {
    // The specification: "the policy sees the demand of periods 0..t ONLY (the engine hands it that prefix, so it
    // cannot peek)". Demand values are all different, so any later value visible through the buffer is a peek.
    const demand = [101, 102, 103, 104, 105, 106];
    const peeks: number[] = [];
    const decide: Decide = (history) => {
      const later = demand.slice(history.length);
      const reachable = Array.from(new Float64Array(history.buffer));
      if (reachable.some((v) => later.includes(v))) peeks.push(history.length);
      return RS(0);
    };
    simulateItem(item(demand, 0), decide, options({ start: 1, measureFrom: 1 }));
    expect(peeks).toEqual([]);
  });
});

describe('opening stock', () => {
  it.each([
    ['RS: S', RS(7), 7],
    ['RS: S rounded up', RS(7.2), 8],
    ['sS: S', sS(3, 9), 9],
    ['sQ: s + Q', sQ(3, 4), 7],
    ['sQ: s + Q rounded up', sQ(3.5, 4), 8],
  ] as const)('%s', (_name, rule, opening) => {
    const r = simulateItem(item([0, 0], 1), always(rule), options());
    expect(r.initialOnHand).toBe(opening);
    // No demand and the position is already at the target: nothing is ordered and the shelf stays put.
    expect(r.trace).toEqual(rows([0, 0, 0, 0, 0, 0, 0, opening, 0, 0], [1, 0, 0, 0, 0, 0, 0, opening, 0, 0]));
  });

  it('is the target the policy gives when asked at the start (with the first start periods as history)', () => {
    // S = 10 x (values seen): opening call sees 2 values -> S = 20; the review at t2 sees 3 -> S = 30, position 20, order 10.
    const r = simulateItem(item([0, 0, 0], 0), (h) => RS(10 * h.length), options({ start: 2, measureFrom: 2 }));
    expect(r.initialOnHand).toBe(20);
    expect(r.trace).toEqual(rows([2, 0, 0, 0, 0, 0, 10, 20, 0, 10]));
  });
});

describe('bad options', () => {
  const ok = options();
  const cases: [string, SimItem, SimOptions, RegExp][] = [
    ['start below 0', item([1, 2, 3], 1), { ...ok, start: -1 }, /start/],
    ['start past the end', item([1, 2, 3], 1), { ...ok, start: 4, measureFrom: 4 }, /start/],
    ['start not an integer', item([1, 2, 3], 1), { ...ok, start: 1.5, measureFrom: 2 }, /start/],
    ['measureFrom before start', item([1, 2, 3], 1), { ...ok, start: 2, measureFrom: 1 }, /measureFrom/],
    ['review 0', item([1, 2, 3], 1), { ...ok, review: 0 }, /review/],
    ['review not an integer', item([1, 2, 3], 1), { ...ok, review: 1.5 }, /review/],
    ['negative lead time', item([1, 2, 3], -1), ok, /lead time/],
    ['NaN lead time', item([1, 2, 3], NaN), ok, /lead time/],
    ['pack size 0', item([1, 2, 3], 1, { packSize: 0 }), ok, /pack size/],
    ['negative minimum order', item([1, 2, 3], 1, { minOrder: -1 }), ok, /minimum order/],
  ];
  it.each(cases)('%s', (_name, bad, o, problem) => {
    let asked = 0;
    const run = (): unknown => simulateItem({ ...bad, id: 'SKU-42' }, () => (asked++, RS(1)), o);
    expect(run).toThrow(RangeError);
    expect(run).toThrow(problem);
    expect(run).toThrow(/SKU-42/);
    expect(asked).toBe(0);
  });

  it('start = n is allowed: no periods', () => {
    const r = simulateItem(item([1, 2, 3], 1), always(RS(4)), options({ start: 3, measureFrom: 3 }));
    expect(r).toMatchObject({ periods: 0, demandUnits: 0, orders: 0, initialOnHand: 4, trace: [] });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Properties over random runs.

const ruleArb: fc.Arbitrary<OrderRule> = fc.oneof(
  fc.integer({ min: 0, max: 40 }).map(RS),
  fc.tuple(fc.integer({ min: -5, max: 30 }), fc.integer({ min: 0, max: 20 })).map(([s, gap]) => sS(s, s + gap)),
  fc.tuple(fc.integer({ min: -5, max: 30 }), fc.integer({ min: 1, max: 15 })).map(([s, q]) => sQ(s, q)),
);

const scenarioArb = fc
  .record({
    demand: fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 1, maxLength: 30 }),
    lead: fc.oneof(
      fc.integer({ min: 0, max: 4 }).map((l) => ({ fixed: l, perOrder: null })),
      fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 10 }).map((ls) => ({ fixed: 2, perOrder: ls })),
    ),
    review: fc.integer({ min: 1, max: 3 }),
    // One rule (constant) or several, handed out in turn one per call.
    rules: fc.oneof(ruleArb.map((r) => [r]), fc.array(ruleArb, { minLength: 2, maxLength: 8 })),
    lostSales: fc.boolean(),
    packSize: fc.integer({ min: 1, max: 5 }),
    minOrder: fc.integer({ min: 0, max: 10 }),
    startFrac: fc.double({ min: 0, max: 1, noNaN: true }),
    measureFrac: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .map((s) => {
    const n = s.demand.length;
    const start = Math.min(n, Math.floor(s.startFrac * (n + 1)));
    return { ...s, start, measureFrom: start + Math.min(n - start, Math.floor(s.measureFrac * (n - start + 1))) };
  });
type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

function run(s: Scenario, measureFrom: number) {
  const leadOf = (k: number): number => (s.lead.perOrder ? s.lead.perOrder[k % s.lead.perOrder.length]! : s.lead.fixed);
  const leadAsked: number[] = [];
  const calls: { length: number; position: number; rule: OrderRule }[] = [];
  const decide: Decide = (history, position) => {
    const rule = s.rules[calls.length % s.rules.length]!;
    calls.push({ length: history.length, position, rule });
    return rule;
  };
  const simItem: SimItem = {
    id: 'prop',
    demand: Float64Array.from(s.demand),
    leadTime: s.lead.fixed,
    packSize: s.packSize,
    minOrder: s.minOrder,
    ...(s.lead.perOrder ? { leadTimeOf: (k: number) => (leadAsked.push(k), leadOf(k)) } : {}),
  };
  const r = simulateItem(simItem, decide, { start: s.start, measureFrom, review: s.review, lostSales: s.lostSales, trace: true });
  return { r, trace: r.trace!, calls, leadOf, leadAsked };
}

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

describe('properties', () => {
  it('units are conserved, nothing goes negative, orders arrive lead time + 1 periods later (measured from start)', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const { r, trace, leadOf, leadAsked } = run(s, s.start);
        const n = s.demand.length;
        expect(trace.map((p) => p.t)).toEqual(Array.from({ length: n - s.start }, (_, i) => s.start + i));
        const last = trace.at(-1);
        const endOnHand = last ? last.onHand : r.initialOnHand;
        const endBacklog = last ? last.backlog : 0;

        // Opening stock + all arrivals = shipped (from stock + backlog filled) + ending on hand.
        expect(r.initialOnHand + sum(trace.map((p) => p.arrived))).toBe(sum(trace.map((p) => p.fromStock + p.backlogFilled)) + endOnHand);
        // Demand = from stock + short, every period and in total.
        for (const p of trace) {
          expect(p.demand).toBe(s.demand[p.t]);
          expect(p.fromStock + p.short).toBe(p.demand);
        }
        expect(r.demandUnits).toBe(sum(s.demand.slice(s.start)));
        expect(r.fromStockUnits + r.shortUnits).toBe(r.demandUnits);
        expect(r.shippedUnits).toBe(sum(trace.map((p) => p.fromStock + p.backlogFilled)));
        if (s.lostSales) {
          expect(r.lostUnits).toBe(r.shortUnits);
          for (const p of trace) expect([p.backlog, p.backlogFilled]).toEqual([0, 0]);
          expect(r.waits).toEqual([]);
          expect(r.openWaits).toEqual([]);
        } else {
          expect(r.lostUnits).toBe(0);
          // Short = filled later + still waiting; the waits histograms count the same units.
          expect(r.shortUnits).toBe(sum(trace.map((p) => p.backlogFilled)) + endBacklog);
          expect(sum(r.waits)).toBe(sum(trace.map((p) => p.backlogFilled)));
          expect(sum(r.openWaits)).toBe(endBacklog);
          expect(r.waits[0] ?? 0).toBe(0); // a backorder is filled in a later period at the earliest
        }

        // Never negative; a backlog only with an empty shelf.
        for (const p of trace) {
          expect(p.onHand).toBeGreaterThanOrEqual(0);
          expect(p.backlog).toBeGreaterThanOrEqual(0);
          expect(p.onOrder).toBeGreaterThanOrEqual(0);
          if (p.backlog > 0) expect(p.onHand).toBe(0);
        }

        // Arrivals at t = the orders placed at t - 1 - L (L the order's own lead time); on order follows.
        const due = new Map<number, number>();
        let k = 0;
        let onOrder = 0;
        for (const p of trace) {
          expect(p.arrived).toBe(due.get(p.t) ?? 0);
          onOrder += p.ordered - p.arrived;
          expect(p.onOrder).toBe(onOrder);
          if (p.ordered > 0) {
            const at = p.t + 1 + leadOf(k++);
            due.set(at, (due.get(at) ?? 0) + p.ordered);
          }
        }
        if (s.lead.perOrder) expect(leadAsked).toEqual(Array.from({ length: k }, (_, i) => i));
        expect(r.orders).toBe(k);
        expect(r.orderedUnits).toBe(sum(trace.map((p) => p.ordered)));
      }),
      { numRuns: 500 },
    );
  });

  it('the policy is asked at the start and at reviews only, sees t + 1 values and the true position, and its rule holds', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const { r, trace, calls } = run(s, s.start);
        expect(calls[0]!.length).toBe(s.start);
        const first = calls[0]!.rule;
        expect(r.initialOnHand).toBe(Math.max(0, Math.ceil(first.kind === 'sQ' ? first.reorderPoint + first.orderQuantity : first.orderUpTo)));
        const reviews = trace.filter((p) => (p.t - s.start) % s.review === 0);
        expect(calls.length).toBe(1 + reviews.length);
        for (const p of trace) if ((p.t - s.start) % s.review !== 0) expect(p.ordered).toBe(0);
        reviews.forEach((p, i) => {
          const { length, position, rule } = calls[i + 1]!;
          const after = p.onHand + p.onOrder - p.backlog;
          expect(length).toBe(p.t + 1);
          expect(position).toBe(after - p.ordered);
          if (p.ordered > 0) {
            expect(p.ordered % s.packSize).toBe(0);
            expect(p.ordered).toBeGreaterThanOrEqual(s.minOrder);
          }
          if (rule.kind === 'RS') {
            expect(after).toBeGreaterThanOrEqual(rule.orderUpTo);
            if (position >= rule.orderUpTo) expect(p.ordered).toBe(0);
            // Rounding never adds a whole extra pack beyond what the larger of need and minimum requires.
            else expect(p.ordered).toBeLessThan(Math.max(rule.orderUpTo - position, s.minOrder) + s.packSize);
          } else if (position > rule.reorderPoint) {
            expect(p.ordered).toBe(0);
          } else if (rule.kind === 'sS') {
            expect(after).toBeGreaterThanOrEqual(rule.orderUpTo);
          } else {
            expect(after).toBeGreaterThan(rule.reorderPoint);
            expect(p.ordered).toBeGreaterThanOrEqual(rule.orderQuantity);
          }
        });
      }),
      { numRuns: 500 },
    );
  });

  it('the totals are the sums over the measured periods only, and the waits count only units asked for then', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const { r, trace } = run(s, s.measureFrom);
        const m = trace.filter((p) => p.t >= s.measureFrom);
        expect(r.periods).toBe(s.demand.length - s.measureFrom);
        expect(r).toMatchObject({
          demandUnits: sum(m.map((p) => p.demand)),
          demandLines: m.filter((p) => p.demand > 0).length,
          fromStockUnits: sum(m.map((p) => p.fromStock)),
          shortUnits: sum(m.map((p) => p.short)),
          shortLines: m.filter((p) => p.short > 0).length,
          lostUnits: s.lostSales ? sum(m.map((p) => p.short)) : 0,
          shippedUnits: sum(m.map((p) => p.fromStock + p.backlogFilled)),
          onHandSum: sum(m.map((p) => p.onHand)),
          backlogSum: sum(m.map((p) => p.backlog)),
          orders: m.filter((p) => p.ordered > 0).length,
          orderedUnits: sum(m.map((p) => p.ordered)),
        });
        // Backordered units asked for in measured periods end up either filled (waits) or still waiting (openWaits).
        if (!s.lostSales) expect(sum(r.waits) + sum(r.openWaits)).toBe(r.shortUnits);
        // The trace itself does not depend on measureFrom.
        expect(trace).toEqual(run(s, s.start).trace);
      }),
      { numRuns: 300 },
    );
  });
});
