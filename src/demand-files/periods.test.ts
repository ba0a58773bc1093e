import { describe, expect, it } from 'vitest';
import { dayNumber, parsePeriod, periodLabel, periodOfDay } from './periods.js';

const day = (iso: string) => dayNumber(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)), Number(iso.slice(8, 10)))!;

describe('period labels', () => {
  it('read months, ISO weeks, days and integers, consecutive periods one apart', () => {
    const pairs = [['2001-12', '2002-01'], ['2012-W52', '2013-W01'], ['2020-W53', '2021-W01'], ['2000-02-29', '2000-03-01'], ['9', '10']];
    for (const [a, b] of pairs) {
      const pa = parsePeriod(a!);
      const pb = parsePeriod(b!);
      if (pa === null || pa === 'invalid' || pb === null || pb === 'invalid') throw new Error(`${a} or ${b} not read`);
      expect(pb.ordinal - pa.ordinal, `${a} -> ${b}`).toBe(1);
      expect(periodLabel(pa.kind, pa.ordinal)).toBe(a);
    }
  });

  it('tell a label that names no period from one that is no period at all', () => {
    for (const bad of ['2020-13', '2021-W53', '2019-02-29', '2020-W00']) expect(parsePeriod(bad), bad).toBe('invalid');
    for (const other of ['lead_time', '2020/01', '2020-1', 'W01', '-3', '1.5']) expect(parsePeriod(other), other).toBeNull();
  });

  it('round-trip every week label across 30 years (52- and 53-week years)', () => {
    const first = parsePeriod('1995-W01') as { ordinal: number };
    for (let w = first.ordinal; w < first.ordinal + 30 * 53; w++) {
      expect(parsePeriod(periodLabel('week', w))).toEqual({ kind: 'week', ordinal: w });
    }
  });

  it('put a day in its ISO week (Monday first) and month', () => {
    expect(periodLabel('week', periodOfDay('week', day('2010-01-03')))).toBe('2009-W53');
    expect(periodLabel('week', periodOfDay('week', day('2010-01-04')))).toBe('2010-W01');
    expect(periodLabel('week', periodOfDay('week', day('2009-12-01')))).toBe('2009-W49');
    expect(periodLabel('month', periodOfDay('month', day('2010-12-09')))).toBe('2010-12');
    expect(periodLabel('day', periodOfDay('day', day('1969-12-31')))).toBe('1969-12-31');
  });
});
