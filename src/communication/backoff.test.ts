import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { retryDelayMs } from './backoff.js';

const policy = { max_attempts: 5, backoff_base_seconds: 10, backoff_max_seconds: 60 };

describe('retry backoff', () => {
  it('grows exponentially within [cap/2, cap], capped, and dead-letters after the last attempt', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempts, r) => {
        const cap = Math.min(60, 10 * 2 ** (attempts - 1)) * 1000;
        const d = retryDelayMs(policy, attempts, () => r)!;
        expect(d).toBeGreaterThanOrEqual(cap / 2);
        expect(d).toBeLessThanOrEqual(cap);
      }),
    );
    expect(retryDelayMs(policy, 5, () => 0.5)).toBeNull();
    expect(retryDelayMs(policy, 1, () => 0)).toBe(5_000);
    expect(retryDelayMs(policy, 4, () => 1)).toBe(60_000);
  });
});
