import { describe, expect, it } from 'vitest';
import { groupSkus } from './run-commit.js';

describe('groupSkus', () => {
  const counts = new Map([['A', 8], ['B', 5], ['C', 30], ['D', 1], ['E', 0]]);
  it('PostgreSQL: one SKU per transaction', () => {
    expect(groupSkus(counts, 'postgres', 10)).toEqual([['A'], ['B'], ['C'], ['D'], ['E']]);
  });
  it('SQLite: SKUs in order until a group would pass the backorder budget; a large SKU alone; none split', () => {
    expect(groupSkus(counts, 'sqlite', 10)).toEqual([['A'], ['B'], ['C'], ['D', 'E']]);
    expect(groupSkus(counts, 'sqlite', 13)).toEqual([['A', 'B'], ['C'], ['D', 'E']]);
    expect(groupSkus(new Map(), 'sqlite')).toEqual([]);
  });
});
