/** A count law's checks against its own probability masses, summed over 0..4999. */
import { expect } from 'vitest';
import type { Distribution } from '../../src/planning/distributions.js';

/** The masses sum to 1 and give the law's mean, variance and expected shortfall at 0. */
export function expectMomentsOfMass(law: Distribution): void {
  let total = 0;
  let mean = 0;
  let second = 0;
  for (let k = 0; k < 5000; k++) {
    const mass = law.density(k);
    total += mass;
    mean += k * mass;
    second += k * k * mass;
  }
  expect(total).toBeCloseTo(1, 6);
  expect(law.mean).toBeCloseTo(mean, 4);
  expect(law.variance).toBeCloseTo(second - mean * mean, 2);
  expect(law.loss(0)).toBeCloseTo(law.mean, 8);
}

/** Each quantile is the smallest count whose cdf reaches the level. */
export function expectQuantilesOfCdf(law: Distribution, levels: readonly number[] = [0.5, 0.9, 0.95, 0.99]): void {
  for (const q of levels) {
    const k = law.quantile(q);
    expect(law.cdf(k)).toBeGreaterThanOrEqual(q - 1e-9);
    if (k > 0) expect(law.cdf(k - 1)).toBeLessThan(q);
  }
}
