import { describe, expect, it } from 'vitest';
import { createIdGenerator } from './ids.js';
import { decodeCursor, encodeCursor } from './pagination.js';
import { stableStringify } from '../idempotency/command.js';
import { sourcingOrder } from '../catalog/domain.js';
import { allFound } from './result.js';

describe('ids', () => {
  it('are prefixed and strictly increasing, even within one millisecond', () => {
    const ids = createIdGenerator(() => 1_700_000_000_000, () => new Uint8Array(16).fill(31));
    const made = Array.from({ length: 50 }, () => ids.next('bo'));
    expect(made.every((id) => /^bo_[0-9A-HJKMNP-TV-Z]{26}$/.test(id))).toBe(true);
    expect([...made].sort()).toEqual(made);
    expect(new Set(made).size).toBe(made.length);
  });

  it('sort by time across milliseconds', () => {
    let t = 1_700_000_000_000;
    const ids = createIdGenerator(() => t, () => new Uint8Array(16).fill(0));
    const a = ids.next('ord');
    t += 1;
    expect(ids.next('ord') > a).toBe(true);
  });
});

describe('cursors', () => {
  it('round-trip and refuse what we did not issue', () => {
    expect(decodeCursor(encodeCursor('bo_123'))).toBe('bo_123');
    expect(decodeCursor('not-a-cursor')).toBeNull();
    expect(decodeCursor(Buffer.from('{"after":5}').toString('base64url'))).toBeNull();
  });
});

describe('stableStringify', () => {
  it('ignores key order and undefined fields', () => {
    expect(stableStringify({ b: 1, a: [{ y: 2, x: undefined, z: null }] })).toBe(stableStringify({ a: [{ z: null, y: 2 }], b: 1 }));
    expect(stableStringify({ a: 1 })).not.toBe(stableStringify({ a: 2 }));
  });
});

describe('sourcingOrder', () => {
  it('puts warehouses serving the region first, then priority, then id', () => {
    const order = sourcingOrder(
      [
        { id: 'B', regions: [], priority: 1 },
        { id: 'A', regions: [], priority: 1 },
        { id: 'Z', regions: ['FR'], priority: 9 },
      ],
      'FR',
    );
    expect(order.map((w) => w.id)).toEqual(['Z', 'A', 'B']);
  });
});

describe('allFound', () => {
  it('ok when every id was found; else not_found naming the first ten missing, all of them in details', () => {
    expect(allFound(['a', 'b'], new Set(['a', 'b', 'c']), 'SKU', 'skuIds')).toEqual({ ok: true, value: undefined });
    const ids = Array.from({ length: 12 }, (_, i) => `x${i}`);
    const r = allFound(['a', ...ids], new Set(['a']), 'backorder', 'backorderIds');
    expect(r).toEqual({ ok: false, error: { code: 'not_found', message: `unknown backorder(s): ${ids.slice(0, 10).join(', ')}`, field: 'backorderIds', details: { missing: ids } } });
  });
});
