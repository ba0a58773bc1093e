// policies.ts: the rules of thumb by hand, the fill-rate and exchange levels against closed-form Poisson sums, and
// the spec parser's accepted and refused forms.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { demandModel, type DemandView } from './demand-models.js';
import { coverFamily, exchangeLevel, fillLevel, fillLevels, minmaxFamily, parsePolicySpec, type PlanItem, type PolicyContext } from './policies.js';
import { demandOver } from './demand-models.js';

const ctx: PolicyContext = { review: 1, periodsPerYear: 12 };
const item = (leadTime: number): PlanItem => ({ id: 'i', demand: new Float64Array(0), leadTime, unitCost: 1, orderCost: 10, holdingCostPerYear: 0.25 });
const h = (...v: number[]) => Float64Array.from(v);
/** The rule with -0 read as 0 (ceil(-1e-9) is -0, which toEqual tells apart). */
const plain = <T extends object>(rule: T): T => Object.fromEntries(Object.entries(rule).map(([k, v]) => [k, typeof v === 'number' ? v + 0 : v])) as T;

// 15 periods; the last 12 observed (the NaN is skipped) are 1 2 NaN 3 0 4 1 2 0 5 1 2 -> 7 is the 12th:
// 2, 1, 5, 0, 2, 1, 4, 0, 3, 2, 1, 7 = 28, mean 28 / 12 = 2.333...; the two 100s are older than that.
const history = h(100, 100, 7, 1, 2, NaN, 3, 0, 4, 1, 2, 0, 5, 1, 2);

describe('cover: S = ceil(N x mean of the last 12 observed periods)', () => {
  const decide = coverFamily().prepare(item(1), ctx);
  it('by hand', () => {
    expect(decide(1.5)(history, 0)).toEqual({ kind: 'RS', orderUpTo: 4 }); // ceil(3.5)
    expect(decide(2)(history, 0)).toEqual({ kind: 'RS', orderUpTo: 5 }); // ceil(4.67)
    // 3 x 28/12 = 7 exactly (7.000000000000001 in floating point): not rounded up to 8.
    expect(decide(3)(history, 0)).toEqual({ kind: 'RS', orderUpTo: 7 });
  });
  it('fewer than 12 observed periods: their mean; none: 0', () => {
    expect(decide(2)(h(NaN, 2, 4), 0)).toEqual({ kind: 'RS', orderUpTo: 6 });
    expect(plain(decide(2)(h(NaN, NaN), 0))).toEqual({ kind: 'RS', orderUpTo: 0 });
  });
});

describe('minmax: s = ceil(k x avg x (L + R)), S = s + max(1, ceil(avg x R))', () => {
  it('lead time 2, review 1, avg 28/12', () => {
    const decide = minmaxFamily().prepare(item(2), ctx);
    // k = 1: s = ceil(2.333 x 3) = 7, S = 7 + ceil(2.333) = 10.
    expect(decide(1)(history, 0)).toEqual({ kind: 'sS', reorderPoint: 7, orderUpTo: 10 });
    // k = 0.5: s = ceil(3.5) = 4, S = 4 + 3 = 7.
    expect(decide(0.5)(history, 0)).toEqual({ kind: 'sS', reorderPoint: 4, orderUpTo: 7 });
  });
  it('review 2, lead time 0: s = ceil(1.5 x 2.333 x 2) = 7, S = 7 + ceil(4.67) = 12', () => {
    expect(minmaxFamily().prepare(item(0), { review: 2, periodsPerYear: 12 })(1.5)(history, 0)).toEqual({ kind: 'sS', reorderPoint: 7, orderUpTo: 12 });
  });
  it('no demand: no stock (s = S = 0), as cover', () => {
    expect(plain(minmaxFamily().prepare(item(1), ctx)(2)(h(0, 0, 0), 0))).toEqual({ kind: 'sS', reorderPoint: 0, orderUpTo: 0 });
  });
});

// Poisson demand of 1 a period, lead time 1, review 1: D(L+R) ~ Poisson(2), D(L) ~ Poisson(1).
const poisson1: DemandView = { family: 'poisson', perPeriod: { mean: 1, variance: 1 } };

/** E[(D - S)+] for D ~ Poisson(m), from its closed form m - S + sum_{k<S} (S - k) p(k), with p from its formula. */
function poissonLoss(m: number, S: number): number {
  let sum = m - S;
  let p = Math.exp(-m);
  for (let k = 0; k < S; k++) {
    sum += (S - k) * p;
    p *= m / (k + 1);
  }
  return sum;
}

function poissonCdf(m: number, S: number): number {
  let p = Math.exp(-m);
  let c = 0;
  for (let k = 0; k <= S; k++) {
    c += p;
    p *= m / (k + 1);
  }
  return c;
}

describe('fillLevel', () => {
  it('large levels (the galloping search) are the smallest S reaching each target, as a scan from 0 finds them', () => {
    for (const v of [
      { family: 'negative-binomial', perPeriod: { mean: 120, variance: 2400 } },
      { family: 'normal', perPeriod: { mean: 300, variance: 9e4 } },
      { family: 'poisson', perPeriod: { mean: 40, variance: 40 } },
    ] as DemandView[]) {
      const [L, R] = [8, 1];
      const total = demandOver(v, L + R);
      const before = demandOver(v, L);
      const fill = (S: number) => 1 - (total.loss(S) - before.loss(S)) / v.perPeriod.mean;
      const targets = [0.99, 0.5, 0.9, 0.95, 0.999];
      const scanned = targets.map((t) => {
        let S = 0;
        while (fill(S) < t) S++;
        return S;
      });
      expect(fillLevels(v, L, R, targets), v.family).toEqual(scanned);
      expect(Math.min(...scanned)).toBeGreaterThan(64);
    }
  });

  it('any law, lead time and targets: the levels a scan from 0 finds, and the limit for a target none reaches', () => {
    const law = fc.constantFrom<DemandView['family']>('normal', 'poisson', 'negative-binomial');
    fc.assert(
      fc.property(law, fc.double({ min: 8, max: 400, noNaN: true }), fc.double({ min: 1, max: 30, noNaN: true }), fc.integer({ min: 0, max: 16 }), fc.integer({ min: 1, max: 4 }),
        fc.array(fc.oneof(fc.double({ min: 0.05, max: 0.9999, noNaN: true }), fc.constantFrom(0.95, 0.9999)), { minLength: 1, maxLength: 16 }),
        (family, mean, dispersion, L, R, targets) => {
          const v: DemandView = { family, perPeriod: { mean, variance: family === 'poisson' ? mean : mean * dispersion } };
          const total = demandOver(v, L + R);
          const before = L > 0 ? demandOver(v, L) : null;
          const fill = (S: number) => 1 - (total.loss(S) - (before ? before.loss(S) : 0)) / (mean * R);
          const limit = Math.ceil(total.quantile(0.99999)) + 1;
          const scanned = targets.map((t) => {
            let S = 0;
            while (S < limit && fill(S) < t) S++;
            return S;
          });
          expect(fillLevels(v, L, R, targets)).toEqual(scanned);
        }),
      { numRuns: 150 },
    );
  });

  it('Poisson: the smallest S with 1 - (E[(D2 - S)+] - E[(D1 - S)+]) / 1 >= target', () => {
    // By the sums: fill(S) = 0, 0.2325, 0.5623, 0.8053, 0.9292, 0.9782, 0.9942 for S = 0..6.
    const fill = (S: number) => 1 - (poissonLoss(2, S) - poissonLoss(1, S));
    expect(fill(3)).toBeCloseTo(0.805319, 6);
    expect(fill(4)).toBeCloseTo(0.929208, 6);
    expect(fill(5)).toBeCloseTo(0.978201, 6);
    for (const [target, S] of [[0.5, 2], [0.8, 3], [0.81, 4], [0.9, 4], [0.95, 5], [0.99, 6]] as const) {
      expect(fillLevel(poisson1, 1, 1, target), `target ${target}`).toBe(S);
      expect(fill(S)).toBeGreaterThanOrEqual(target);
      expect(fill(S - 1)).toBeLessThan(target);
    }
  });

  it('fill-avg: the level whose fill rate is nearest the target', () => {
    // fill(3..6) = 0.8053, 0.9292, 0.9782, 0.9942: 0.86 is nearer 0.8053 (S = 3) than 0.9292; 0.9 is nearer 0.9292;
    // 0.95 is nearer 0.9292 (S = 4) than 0.9782; 0.96 nearer 0.9782 (S = 5).
    expect(fillLevels(poisson1, 1, 1, [0.86, 0.9, 0.95, 0.96], true)).toEqual([3, 4, 4, 5]);
    expect(fillLevels(poisson1, 1, 1, [0.86, 0.9, 0.95, 0.96])).toEqual([4, 4, 5, 5]);
    // The second call read the levels the first searched (one search per view): a caller changing its copy changes nothing.
    fillLevels(poisson1, 1, 1, [0.86, 0.9, 0.95, 0.96]).fill(0);
    expect(fillLevels(poisson1, 1, 1, [0.86, 0.9, 0.95, 0.96])).toEqual([4, 4, 5, 5]);
    expect(parsePolicySpec('tsb+count/RS/fill-avg').knob).toBe('fill-rate target');
    expect(() => parsePolicySpec('tsb/sS/fill-avg')).toThrow("policy 'tsb/sS/fill-avg'");
  });

  it('is non-decreasing in the target, for normal, Poisson and negative binomial views', () => {
    const views: [DemandView, number, number][] = [
      [poisson1, 1, 1],
      [{ family: 'normal', perPeriod: { mean: 3.2, variance: 9 } }, 2, 1],
      [{ family: 'negative-binomial', perPeriod: { mean: 0.4, variance: 1.5 } }, 3, 2],
    ];
    for (const [v, L, R] of views) {
      const levels = [0.5, 0.7, 0.8, 0.9, 0.95, 0.97, 0.99, 0.999].map((t) => fillLevel(v, L, R, t));
      for (let i = 1; i < levels.length; i++) expect(levels[i]!).toBeGreaterThanOrEqual(levels[i - 1]!);
      expect(levels.at(-1)!).toBeGreaterThan(levels[0]!);
    }
  });

  it('zero demand: 0', () => {
    expect(fillLevel({ family: 'normal', perPeriod: { mean: 0, variance: 0 } }, 2, 1, 0.99)).toBe(0);
    expect(fillLevel({ family: 'poisson', perPeriod: { mean: 0, variance: 0 } }, 2, 1, 0.99)).toBe(0);
  });
});

describe('exchangeLevel', () => {
  it('Poisson: the first S where (P(D2 > S) - P(D1 > S)) / R < lambda x P(D2 <= S)', () => {
    // ratio(S) = gained / held = 1.718, 0.812, 0.359, 0.1445, 0.0517, 0.0162, 0.0045 for S = 0..6.
    const ratio = (S: number) => (1 - poissonCdf(2, S) - (1 - poissonCdf(1, S))) / poissonCdf(2, S);
    expect(ratio(2)).toBeCloseTo(0.359141, 6);
    expect(ratio(3)).toBeCloseTo(0.14454, 5);
    for (const [lambda, S] of [[2, 0], [1, 1], [0.36, 2], [0.35, 3], [0.1, 4], [0.01, 6]] as const) {
      expect(exchangeLevel(poisson1, 1, 1, lambda), `lambda ${lambda}`).toBe(S);
      expect(ratio(S)).toBeLessThan(lambda);
      if (S > 0) expect(ratio(S - 1)).toBeGreaterThanOrEqual(lambda);
    }
  });

  it('is non-increasing in lambda', () => {
    const v: DemandView = { family: 'negative-binomial', perPeriod: { mean: 1.3, variance: 4 } };
    const lambdas = [1, 0.7, 0.5, 0.35, 0.25, 0.18, 0.13, 0.1, 0.07, 0.05, 0.035, 0.025, 0.018, 0.012];
    const levels = lambdas.map((l) => exchangeLevel(v, 2, 1, l));
    for (let i = 1; i < levels.length; i++) expect(levels[i]!).toBeGreaterThanOrEqual(levels[i - 1]!);
    expect(levels.at(-1)!).toBeGreaterThan(levels[0]!);
  });

  it('counts the budget in value: a unit worth v stops where lambda x v would stop a unit worth 1', () => {
    // From the ratios above: lambda 0.1 alone stops at S = 4; worth 3.6 it is lambda 0.36 (S = 2); worth 3.5, 0.35 (S = 3).
    expect(exchangeLevel(poisson1, 1, 1, 0.1, 1)).toBe(exchangeLevel(poisson1, 1, 1, 0.1));
    expect(exchangeLevel(poisson1, 1, 1, 0.1, 3.6)).toBe(2);
    expect(exchangeLevel(poisson1, 1, 1, 0.1, 3.5)).toBe(3);
    expect(exchangeLevel(poisson1, 1, 1, 0.1, 0.1)).toBe(exchangeLevel(poisson1, 1, 1, 0.01));
  });

  it('a dearer unit never gets a higher level at the same lambda', () => {
    const v: DemandView = { family: 'negative-binomial', perPeriod: { mean: 1.3, variance: 4 } };
    const values = [0.03, 0.5, 1, 2, 10, 85, 320, 2700];
    const levels = values.map((value) => exchangeLevel(v, 7, 1, 0.001, value));
    for (let i = 1; i < levels.length; i++) expect(levels[i]!).toBeLessThanOrEqual(levels[i - 1]!);
    expect(levels[0]!).toBeGreaterThan(levels.at(-1)!);
  });

  it('zero demand: 0', () => {
    expect(exchangeLevel({ family: 'poisson', perPeriod: { mean: 0, variance: 0 } }, 1, 1, 0.01)).toBe(0);
  });
});

describe('parsePolicySpec', () => {
  it('accepts each documented form, with its name, knob and settings', () => {
    const cases: [string, string, number[] | null][] = [
      ['cover', 'cover', null],
      ['minmax', 'minmax', null],
      ['cover:1,2.5, 4', 'cover', [1, 2.5, 4]],
      ['minmax:0.5,1', 'minmax', [0.5, 1]],
      ['tsb/RS/fill', 'tsb/RS/fill', null],
      ['auto/RS/fill:0.9,0.95', 'auto/RS/fill', [0.9, 0.95]],
      ['ses/sS/cycle', 'ses/sS/cycle', null],
      ['sba/sQ/fill', 'sba/sQ/fill', null],
      ['ma/RS/cycle', 'ma/RS/cycle', null],
      ['tsb+count/RS/fill', 'tsb+count/RS/fill', null],
      ['tsb+compound/RS/fill', 'tsb+compound/RS/fill', null],
      ['tsb/RS/exchange:0.1,0.05', 'tsb/RS/exchange', [0.1, 0.05]],
      ['tsb[a=0.3,b=0.2,v=0.35]/RS/exchange', 'tsb[a=0.3,b=0.2,v=0.35]/RS/exchange', null],
      // Any subset in any order, spaces allowed: the name writes them a, b, v.
      ['tsb[ v=0.5 , a=0.3]+count/RS/fill:0.9', 'tsb[a=0.3,v=0.5]+count/RS/fill', [0.9]],
      ['ses[a=0.2]/sS/cycle', 'ses[a=0.2]/sS/cycle', null],
      ['ma[v=2]/RS/fill', 'ma[v=2]/RS/fill', null],
    ];
    for (const [spec, name, settings] of cases) {
      const f = parsePolicySpec(spec);
      expect(f.name, spec).toBe(name);
      if (settings !== null) expect(f.settings, spec).toEqual(settings);
      else expect(f.settings.length, spec).toBeGreaterThan(3);
    }
    expect(parsePolicySpec('tsb/RS/fill').knob).toBe('fill-rate target');
    expect(parsePolicySpec('tsb/RS/exchange').settings[0]).toBe(1);
  });

  it('refuses bad specs with a RangeError naming the spec', () => {
    const bad = ['', 'covers', 'tsb', 'tsb/RS', 'croston/RS/fill', 'tsb/XY/fill', 'tsb/RS/service', 'tsb+normal/RS/fill', 'TSB/RS/fill', 'cover:a', 'cover:-1',
      'minmax:1,x', 'tsb/RS/fill:0.95,1', 'tsb/RS/fill:0', 'auto/sS/cycle:1.5', 'tsb/sS/exchange', 'auto/sQ/exchange',
      'cover:', 'cover:1,,2', 'cover:1:2', 'tsb/RS/exchange:0', 'auto+count/RS/fill', 'auto+compound/RS/fill', 'tsb+compound/sS/fill', 'tsb+compound/RS/cycle',
      'auto[a=0.3]/RS/fill', 'tsb[]/RS/fill', 'tsb[x=1]/RS/fill', 'tsb[a=0]/RS/fill', 'tsb[a=1.5]/RS/fill', 'tsb[v=0]/RS/fill', 'tsb[a=0.3,a=0.2]/RS/fill',
      'ses[b=0.2]/RS/fill', 'ma[a=0.2]/RS/fill', 'tsb+count[a=0.3]/RS/fill', 'tsb[a=0.3/RS/fill'];
    for (const spec of bad) {
      expect(() => parsePolicySpec(spec), spec).toThrow(RangeError);
      expect(() => parsePolicySpec(spec), spec).toThrow(`policy '${spec}'`);
    }
  });

  it('the compound law counts whole units; fractional quantities keep the count law instead of failing', () => {
    const whole = demandModel('tsb', 2, 'compound')(Float64Array.from([0, 2, 0, 0, 3, 0, 2]));
    expect(whole.compound?.sizes.mean).toBeCloseTo(7 / 3, 12);
    const fractional = demandModel('tsb', 2, 'compound')(Float64Array.from([0, 0.3, 0, 0.4, 0, 0.2]));
    expect(fractional.compound).toBeUndefined();
    expect(fractional.perPeriod.mean).toBeGreaterThan(0);
  });

  it('auto forecasts a series once for every family that asks with the same series and horizon', () => {
    const y = Float64Array.from([0, 2, 0, 1, 0, 0, 3, 0, 1, 0, 2, 0, 0, 1]);
    const a = demandModel('auto', 2, 'normal', y)(y.subarray(0, 12));
    expect(demandModel('auto', 2, 'normal', y)(y.slice(0, 12))).toBe(a);
    expect(demandModel('auto', 3, 'normal', y)(y.subarray(0, 12))).not.toBe(a);
    expect(demandModel('auto', 2)(y.subarray(0, 12))).toEqual(a);
  });

  it('smoothing constants: none are the textbook 0.1s; a = b = 1 forecasts the last period; v scales the variance', () => {
    const y = Float64Array.from([0, 2, 0, 0, 3, 0, 2, 1, 0, 4]);
    expect(demandModel('tsb', 2, 'normal', undefined, { alpha: 0.1, beta: 0.1, varianceFactor: 1 })(y)).toEqual(demandModel('tsb', 2)(y));
    expect(demandModel('tsb', 2, 'normal', undefined, { alpha: 1, beta: 1 })(y).perPeriod.mean).toBe(4);
    expect(demandModel('tsb', 2, 'normal', undefined, { alpha: 1, beta: 1 })(y.subarray(0, 9)).perPeriod.mean).toBe(0);
    const plainView = demandModel('tsb', 2, 'normal', undefined, { alpha: 0.3, beta: 0.2 })(y);
    const scaled = demandModel('tsb', 2, 'normal', undefined, { alpha: 0.3, beta: 0.2, varianceFactor: 0.35 })(y);
    expect(scaled.perPeriod.mean).toBe(plainView.perPeriod.mean);
    expect(scaled.perPeriod.variance).toBeCloseTo(0.35 * plainView.perPeriod.variance, 12);
    // The family hands its constants to the model: a lower variance, a lower order-up-to level.
    const spec = (s: string) => parsePolicySpec(`${s}/RS/fill:0.95`).prepare({ ...item(1), demand: y }, ctx)(0.95)(y, 0);
    expect((spec('tsb[a=0.3,b=0.2,v=0.35]') as { orderUpTo: number }).orderUpTo).toBeLessThan((spec('tsb[a=0.3,b=0.2]') as { orderUpTo: number }).orderUpTo);
  });

  it('names the compound law in its message', () => {
    expect(() => parsePolicySpec('nope')).toThrow('[+count|+compound]');
  });
});
