import { describe, expect, it } from 'vitest';
import type { FileScan } from './orders-file.js';
import { unsoldProducts } from './world.js';

type ScannedSku = FileScan['skus'] extends Map<string, infer V> ? V : never;
const day = (n: number) => new Date(Date.UTC(2010, 0, 1 + n, 9)).toISOString();

/** Four products on sale from the first day and six launched later, at 1.00-6.00. */
const scan: FileScan = {
  skus: new Map<string, ScannedSku>([
    ...[0, 1, 2, 3].map((i): [string, ScannedSku] => [`OLD${i}`, { name: 'old', priceMinor: 1000, firstAt: day(i) }]),
    ...[1, 2, 3, 4, 5, 6].map((i): [string, ScannedSku] => [`NEW${i}`, { name: 'new', priceMinor: 100 * i, firstAt: day(30 + 10 * i) }]),
  ]),
  customers: new Map(),
  first: day(0),
  last: day(120),
  rows: 10,
  ignored: 0,
};

describe('products listed that never sell', () => {
  it('adds share / (1 - share) of the launches, each like a launch: its cost and listing time', () => {
    const unsold = unsoldProducts(scan, { daysAhead: 14, unsoldShare: 0.25, seed: 3 });
    // 6 launches sold; 2 more that never sell make them a quarter of 8.
    expect(unsold).toHaveLength(2);
    const launches = [...scan.skus.values()].filter((s) => s.name === 'new');
    for (const u of unsold) {
      expect(u.id).toMatch(/^UNSOLD-\d{5}$/);
      const like = launches.filter((s) => Math.round(s.priceMinor * 0.6) === u.unitCostMinor && new Date(Date.parse(s.firstAt) - 14 * 86_400_000).toISOString() === u.listedAt);
      expect(like, `${u.id} copies a launch`).toHaveLength(1);
    }
    expect(unsoldProducts(scan, { daysAhead: 14, unsoldShare: 0.25, seed: 3 })).toEqual(unsold);
  });

  it('adds none by default', () => {
    expect(unsoldProducts(scan, { daysAhead: 42, unsoldShare: 0, seed: 3 })).toEqual([]);
    expect(unsoldProducts(scan, { daysAhead: 42, unsoldShare: 0.5, seed: 3 })).toHaveLength(6);
  });
});
