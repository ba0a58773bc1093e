import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { diffRun, prepareRun, RunInputError, type RunDemand, type RunPlan, type RunStrategy, type RunSupply } from './run-plan.js';
import { planTransfers, withTransferredUnits } from './run-transfers.js';
import { isEligibleAt } from './domain.js';
import {
  categoriesStrategy,
  categoryNames,
  categorise,
  runStrategies,
  runStrategy,
  runStrategyNames,
  shareOut,
  strategyFor,
  validateCategoriesConfig,
  type CategoriesConfig,
} from './run-strategies.js';

const dem = (id: string, placedAt: string, owed: number, extra: Partial<RunDemand> = {}): RunDemand => ({
  backorderId: id,
  orderId: `o-${id}`,
  customerId: `c-${id}`,
  placedAt,
  customerTier: 2,
  promisedDate: null,
  owed,
  allocated: [],
  warehouseId: 'UK',
  flexible: false,
  channel: null,
  orderValueMinor: 0,
  ageDays: 0,
  ...extra,
});
const at = (warehouseId: string, quantity: number) => ({ warehouseId, quantity });
/** backorderId -> "warehouse:qty" list, for compact expectations. */
const table = (plan: RunPlan) => {
  const out: Record<string, string[]> = {};
  for (const a of plan.allocations) (out[a.backorderId] ??= []).push(`${a.warehouseId}:${a.quantity}`);
  return out;
};
const totalsOf = (plan: RunPlan) => Object.fromEntries(plan.demands.map((d) => [d.backorderId, d.planned]));

// The HTTP test's story: A (tier 3), B (tier 2), VIP (tier 1) order 5, 3, 4; 6 arrive and go FIFO: A 5, B 1.
const story = {
  supply: [{ warehouseId: 'UK', free: 0 }],
  demand: [
    dem('A', '2026-01-05T10:00:00.000Z', 5, { customerTier: 3, allocated: [at('UK', 5)] }),
    dem('B', '2026-01-06T10:00:00.000Z', 3, { customerTier: 2, allocated: [at('UK', 1)] }),
    dem('VIP', '2026-01-07T10:00:00.000Z', 4, { customerTier: 1, promisedDate: '2026-01-20' }),
  ],
};

describe('ranked strategies by hand', () => {
  it('fifo keeps the FIFO state as it is; tier-then-fifo moves A\'s units to VIP, then B', () => {
    const fifo = runStrategies.fifo.plan(story.supply, story.demand);
    expect(table(fifo)).toEqual({ A: ['UK:5'], B: ['UK:1'] });
    expect(diffRun(story.demand, fifo).every((r) => r.delta === 0)).toBe(true);
    const tier = runStrategies['tier-then-fifo'].plan(story.supply, story.demand);
    expect(table(tier)).toEqual({ VIP: ['UK:4'], B: ['UK:2'] });
    expect(tier.demands.map((d) => [d.backorderId, d.rank, d.planned])).toEqual([['VIP', 1, 4], ['B', 2, 2], ['A', 3, 0]]);
    expect(tier.allocations[0]!.reason).toBe('tier 1 customer, ordered 2026-01-07T10:00:00.000Z: position 1 of 3 waiting; gets 4 of 4 owed (had 0)');
    expect(tier.demands[2]!.reason).toMatch(/position 3 of 3 waiting; gets 0 of 5 owed \(had 5\)/);
  });

  it('earliest-promise puts dated promises first, nulls last, then FIFO', () => {
    const demand = [
      dem('a', '2026-01-01', 3),
      dem('b', '2026-01-02', 3, { promisedDate: '2026-02-10' }),
      dem('c', '2026-01-03', 3, { promisedDate: '2026-02-01' }),
      dem('d', '2026-01-01', 3, { promisedDate: '2026-02-01' }), // same promise as c, ordered earlier
    ];
    const plan = runStrategies['earliest-promise'].plan([{ warehouseId: 'UK', free: 7 }], demand);
    expect(plan.demands.map((d) => d.backorderId)).toEqual(['d', 'c', 'b', 'a']);
    expect(totalsOf(plan)).toEqual({ d: 3, c: 3, b: 1, a: 0 });
    expect(plan.demands[3]!.reason).toMatch(/^no promise date, ordered 2026-01-01: position 4 of 4/);
  });

  it('FIFO ties on placedAt go by backorder id', () => {
    const plan = runStrategies.fifo.plan([{ warehouseId: 'UK', free: 2 }], [dem('b2', '2026-01-01', 2), dem('b1', '2026-01-01', 2)]);
    expect(table(plan)).toEqual({ b1: ['UK:2'] });
  });

  it('moves a flexible demand to another warehouse so a pinned one behind it can be served', () => {
    // first (flexible, waits at UK) would take UK's 5 if served greedily, leaving pinned with nothing and EU idle.
    const demand = [dem('first', '2026-01-01', 5, { flexible: true }), dem('pinned', '2026-01-02', 5)];
    const plan = runStrategies.fifo.plan([{ warehouseId: 'UK', free: 5 }, { warehouseId: 'EU', free: 5 }], demand);
    expect(table(plan)).toEqual({ first: ['EU:5'], pinned: ['UK:5'] });
  });

  it('keeps units where they are, then the own warehouse, then others by id', () => {
    const demand = [dem('x', '2026-01-01', 8, { flexible: true, allocated: [at('FR', 3)] })];
    const supply = [{ warehouseId: 'DE', free: 10 }, { warehouseId: 'FR', free: 10 }, { warehouseId: 'UK', free: 2 }, { warehouseId: 'AT', free: 10 }];
    expect(table(runStrategies.fifo.plan(supply, demand))).toEqual({ x: ['AT:3', 'FR:3', 'UK:2'] });
  });

  it('a demand that must shrink keeps its units at its own warehouse first', () => {
    // y (earlier) needs UK; x holds 2 at UK and 2 at EU, EU is otherwise empty: x keeps EU and gives up UK.
    const demand = [dem('y', '2026-01-01', 4), dem('x', '2026-01-02', 4, { flexible: true, allocated: [at('UK', 2), at('EU', 2)] })];
    const plan = runStrategies.fifo.plan([{ warehouseId: 'UK', free: 2 }], demand);
    expect(table(plan)).toEqual({ y: ['UK:4'], x: ['EU:2'] });
    expect(diffRun(demand, plan)).toEqual([
      { backorderId: 'y', orderId: 'o-y', customerId: 'c-y', warehouseId: 'UK', before: 0, after: 4, delta: 4 },
      { backorderId: 'x', orderId: 'o-x', customerId: 'c-x', warehouseId: 'EU', before: 2, after: 2, delta: 0 },
      { backorderId: 'x', orderId: 'o-x', customerId: 'c-x', warehouseId: 'UK', before: 2, after: 0, delta: -2 },
    ]);
  });

  it('refuses bad input, naming the field', () => {
    const bad = (supply: RunSupply[], demand: RunDemand[]) => () => runStrategies.fifo.plan(supply, demand);
    expect(bad([{ warehouseId: 'UK', free: -1 }], [])).toThrow(/supply\[0\]\.free/);
    expect(bad([], [dem('a', 'x', 1), dem('a', 'y', 1)])).toThrow(/demand\[1\]\.backorderId/);
    expect(bad([], [dem('a', 'x', 1, { allocated: [at('EU', 1)] })])).toThrow(/demand\[0\]\.allocated\[0\]\.warehouseId/);
    expect(bad([], [dem('a', 'x', 1, { allocated: [at('UK', 2)] })])).toThrow(RunInputError);
    expect(bad([], [dem('a', 'x', 1.5)])).toThrow(RangeError);
  });
});

describe('fair-share by hand', () => {
  it('6 units for 12 owed: floor(6 x 5/12) = 2, floor(6 x 3/12) = 1, floor(6 x 4/12) = 2, the sixth to the earliest', () => {
    const plan = runStrategies['fair-share'].plan(story.supply, story.demand);
    expect(totalsOf(plan)).toEqual({ A: 3, B: 1, VIP: 2 });
    expect(plan.demands[0]!.reason).toMatch(/^fair share at UK: 3 of 6 units for 5 of 12 owed; ordered 2026-01-05T10:00:00.000Z, position 1 of 3 \(FIFO\); gets 3 of 5 owed \(had 5\)$/);
    expect(diffRun(story.demand, plan).map((r) => r.delta)).toEqual([-2, 0, 2]);
  });

  it('everyone in full when the pool suffices', () => {
    const plan = runStrategies['fair-share'].plan([{ warehouseId: 'UK', free: 20 }], [dem('a', '1', 5), dem('b', '2', 7)]);
    expect(totalsOf(plan)).toEqual({ a: 5, b: 7 });
    expect(plan.demands[0]!.reason).toMatch(/UK has enough \(20 units for 12 owed there\)/);
  });

  it('own warehouse first, then the leftovers elsewhere go to flexible demand still short, pro rata', () => {
    // UK: 4 units for uk1 (6) and flex (2) -> floor(4 x 6/8) = 3, floor(4 x 2/8) = 1. EU: 10 for eu1 (3) -> 3, 7 left.
    // Leftover 7 at EU for flexible demand still short: flex owes 1 more -> 1. uk1 is pinned and stays at 3.
    const demand = [dem('uk1', '1', 6), dem('flex', '2', 2, { flexible: true }), dem('eu1', '3', 3, { warehouseId: 'EU' })];
    const plan = runStrategies['fair-share'].plan([{ warehouseId: 'UK', free: 4 }, { warehouseId: 'EU', free: 10 }], demand);
    expect(totalsOf(plan)).toEqual({ uk1: 3, flex: 2, eu1: 3 });
    expect(plan.demands[1]!.reason).toMatch(/fair share at UK: 1 of 4 units for 2 of 8 owed; then 1 of 7 units left at EU for 1 of 1 still owed/);
  });

  it('shareOut: whole units, remainder one by one in order, never more than needed', () => {
    expect(shareOut(7, [3, 3, 3])).toEqual([3, 2, 2]);
    expect(shareOut(10, [1, 100])).toEqual([1, 9]);
    expect(shareOut(0, [4, 4])).toEqual([0, 0]);
    expect(shareOut(9, [4, 4])).toEqual([4, 4]);
  });
});

describe('categories by hand', () => {
  const config: CategoriesConfig = {
    segments: [
      { name: 'key accounts', category: 'protect', match: { tierAtMost: 1 } },
      { name: 'marketplace', category: 'release', match: { channel: 'marketplace' } },
      { name: 'big orders', category: 'improve', match: { minOrderValueMinor: 100_000 } },
      { name: 'old', category: 'fill', match: { minAgeDays: 30 } },
    ],
    default: 'redistribute',
  };

  it('the story: VIP is protected and takes from the redistribute demand, the last in FIFO order first', () => {
    const plan = categoriesStrategy(config).plan(story.supply, story.demand);
    expect(totalsOf(plan)).toEqual({ VIP: 4, A: 2, B: 0 });
    expect(plan.demands[0]!.reason).toBe(
      "tier 1 customer, ordered 2026-01-07T10:00:00.000Z: position 1 of 3 waiting; protected segment 'key accounts' (keeps its units and may take from redistribute demand and the free pool); gets 4 of 4 owed (had 0)",
    );
    expect(plan.demands[1]!.reason).toMatch(/default category 'redistribute'/);
  });

  it('release frees units first, protect takes free then redistribute, improve only free, fill never changes', () => {
    const demand = [
      dem('rel', '2026-01-01', 4, { channel: 'marketplace', allocated: [at('UK', 4)] }),
      dem('imp', '2026-01-02', 6, { orderValueMinor: 200_000, allocated: [at('UK', 2)] }),
      dem('red1', '2026-01-03', 5, { allocated: [at('UK', 3)] }),
      dem('fil', '2026-01-04', 5, { ageDays: 40, allocated: [at('UK', 1)] }),
      dem('red2', '2026-01-05', 5, { allocated: [at('UK', 2)] }),
      dem('vip', '2026-01-06', 9, { customerTier: 1, allocated: [at('UK', 1)] }),
    ];
    // Pool 2 free + 13 held = 15. Release: rel's 4 -> free 6. vip wants 8 more: 6 free, then 2 from red2 (the last).
    // imp: nothing free left, keeps 2. red1 keeps 3, red2 keeps 0, fil keeps 1.
    const plan = categoriesStrategy(config).plan([{ warehouseId: 'UK', free: 2 }], demand);
    expect(totalsOf(plan)).toEqual({ rel: 0, vip: 9, imp: 2, red1: 3, red2: 0, fil: 1 });
    expect(plan.demands.map((d) => d.backorderId)).toEqual(['rel', 'vip', 'imp', 'red1', 'red2', 'fil']);
    // With 10 more free (16 after release): vip takes 8 of it, imp 4, red1 2, red2 the last 2; fil stays at 1.
    const more = categoriesStrategy(config).plan([{ warehouseId: 'UK', free: 12 }], demand);
    expect(totalsOf(more)).toEqual({ rel: 0, vip: 9, imp: 6, red1: 5, red2: 4, fil: 1 });
  });

  it('first matching segment wins, else the default', () => {
    const c = validateCategoriesConfig(config);
    expect(categorise(c, dem('x', '1', 1, { customerTier: 1, channel: 'marketplace' }))).toEqual({ category: 'protect', segment: 'key accounts' });
    expect(categorise(c, dem('x', '1', 1, { channel: 'marketplace' }))).toEqual({ category: 'release', segment: 'marketplace' });
    expect(categorise(c, dem('x', '1', 1, { ageDays: 29 }))).toEqual({ category: 'redistribute', segment: null });
  });

  it('validates the configuration, naming the bad field', () => {
    const bad = (c: unknown) => () => categoriesStrategy(c);
    expect(bad(null)).toThrow(/^config: /);
    expect(bad({ segments: [], default: 'hoard' })).toThrow(/^default: must be one of protect, improve/);
    expect(bad({ segments: [{ name: 'x', category: 'hoard', match: {} }], default: 'fill' })).toThrow(/segments\[0\]\.category/);
    expect(bad({ segments: [{ name: 'x', category: 'fill', match: { tier: 1 } }], default: 'fill' })).toThrow(/segments\[0\]\.match\.tier: is not a known condition/);
    expect(bad({ segments: [{ name: 'x', category: 'fill', match: { tierAtMost: 0 } }], default: 'fill' })).toThrow(/segments\[0\]\.match\.tierAtMost/);
    expect(bad({ segments: [{ name: 'x', category: 'fill', match: { tierAtLeast: 3, tierAtMost: 2 } }], default: 'fill' })).toThrow(/never match/);
    expect(bad({ segments: [{ name: 'x', category: 'fill', match: {} }, { name: 'x', category: 'fill', match: {} }], default: 'fill' })).toThrow(/segments\[1\]\.name/);
    expect(bad({ segments: [{ name: '', category: 'fill', match: {} }], default: 'fill' })).toThrow(RangeError);
    expect(bad({ segments: [{ name: 'x', category: 'fill', match: { minAgeDays: -1 } }], default: 'fill' })).toThrow(/minAgeDays/);
  });

  it('the registry and strategyFor', () => {
    expect(runStrategyNames).toEqual(['fifo', 'tier-then-fifo', 'earliest-promise', 'fair-share']);
    expect(runStrategy('fair-share').name).toBe('fair-share');
    expect(() => runStrategy('lottery')).toThrow(/^strategy: unknown strategy 'lottery'/);
    expect(() => runStrategy('categories')).toThrow(/needs a configuration/);
    const r = strategyFor({ name: 'categories', categories: { segments: [{ name: 'x', category: 'hoard', match: {} }], default: 'fill' } });
    expect(r).toMatchObject({ ok: false, error: { code: 'validation_failed', field: 'categories/segments/0/category' } });
    expect(strategyFor({ name: 'categories', categories: config })).toMatchObject({ ok: true, value: { name: 'categories' } });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Properties

const WAREHOUSES = ['EU', 'UK', 'US'] as const;

const runArb = fc
  .record({
    free: fc.array(fc.option(fc.integer({ min: 0, max: 15 }), { nil: undefined }), { minLength: 3, maxLength: 3 }),
    demand: fc.array(
      fc.record({
        day: fc.integer({ min: 1, max: 5 }),
        tier: fc.integer({ min: 1, max: 3 }),
        promise: fc.option(fc.integer({ min: 10, max: 14 }), { nil: null }),
        owed: fc.integer({ min: 0, max: 10 }),
        wh: fc.constantFrom(...WAREHOUSES),
        flexible: fc.boolean(),
        held: fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 3, maxLength: 3 }),
        channel: fc.constantFrom(null, 'web', 'marketplace'),
        value: fc.integer({ min: 0, max: 1000 }),
        age: fc.integer({ min: 0, max: 60 }),
      }),
      { maxLength: 12 },
    ),
    idShift: fc.integer({ min: 0, max: 11 }),
  })
  .map(({ free, demand, idShift }) => {
    const supply: RunSupply[] = [];
    free.forEach((f, k) => f !== undefined && supply.push({ warehouseId: WAREHOUSES[k]!, free: f }));
    const ds = demand.map((d, k): RunDemand => {
      let room = d.owed;
      const allocated: { warehouseId: string; quantity: number }[] = [];
      WAREHOUSES.forEach((w, j) => {
        if (!(d.flexible || d.wh === w)) return;
        const q = Math.min(room, d.held[j]!);
        if (q > 0) allocated.push({ warehouseId: w, quantity: q });
        room -= q;
      });
      return {
        backorderId: `b${String((k + idShift) % Math.max(1, demand.length)).padStart(2, '0')}`,
        orderId: `o${k}`,
        customerId: `c${k % 4}`,
        placedAt: `2026-01-0${d.day}T10:00:00.000Z`,
        customerTier: d.tier,
        promisedDate: d.promise === null ? null : `2026-02-${d.promise}`,
        owed: d.owed,
        allocated,
        warehouseId: d.wh,
        flexible: d.flexible,
        channel: d.channel,
        orderValueMinor: d.value,
        ageDays: d.age,
      };
    });
    return { supply, demand: ds };
  });

const matchArb = fc
  .record(
  {
    tierAtMost: fc.integer({ min: 1, max: 3 }),
    tierAtLeast: fc.integer({ min: 1, max: 3 }),
    channel: fc.constantFrom('web', 'marketplace'),
    minAgeDays: fc.integer({ min: 0, max: 60 }),
    minOrderValueMinor: fc.integer({ min: 0, max: 1000 }),
  },
  { requiredKeys: [] },
  )
  .map((m) => {
    if (m.tierAtLeast !== undefined && m.tierAtMost !== undefined && m.tierAtLeast > m.tierAtMost) delete m.tierAtLeast;
    return m;
  });
const configArb: fc.Arbitrary<CategoriesConfig> = fc.record({
  segments: fc.array(fc.record({ category: fc.constantFrom(...categoryNames), match: matchArb }), { maxLength: 4 }).map((ss) => ss.map((s, k) => ({ name: `seg${k}`, ...s }))),
  default: fc.constantFrom(...categoryNames),
});

const strategyArb: fc.Arbitrary<RunStrategy> = fc.oneof(
  fc.constantFrom(...Object.values(runStrategies)),
  configArb.map((c) => categoriesStrategy(c)),
);
const ranked = [runStrategies.fifo, runStrategies['tier-then-fifo'], runStrategies['earliest-promise']];

const poolOf = (supply: readonly RunSupply[], demand: readonly RunDemand[]) => {
  const pool = new Map<string, number>();
  for (const s of supply) pool.set(s.warehouseId, (pool.get(s.warehouseId) ?? 0) + s.free);
  for (const d of demand) for (const a of d.allocated) pool.set(a.warehouseId, (pool.get(a.warehouseId) ?? 0) + a.quantity);
  return pool;
};
const heldBy = (d: RunDemand) => d.allocated.reduce((s, a) => s + a.quantity, 0);
const plannedFor = (plan: RunPlan, id: string) => plan.allocations.filter((a) => a.backorderId === id).reduce((s, a) => s + a.quantity, 0);

/** An independent maximum flow (Ford-Fulkerson, DFS) of pools to demand under eligibility: the units usable. */
function maxUsable(pool: Map<string, number>, demand: readonly RunDemand[]): number {
  const ws = [...pool.keys()];
  const cap = demand.map((d) => ws.map((w) => (isEligibleAt(d, w) ? Infinity : 0)));
  const flow = demand.map(() => ws.map(() => 0));
  const left = ws.map((w) => pool.get(w)!);
  const need = demand.map((d) => d.owed);
  let total = 0;
  for (;;) {
    // DFS from a demand with need to a warehouse with room, through demand -> w (eligible) and w -> demand (flow > 0).
    const seenD = new Set<number>();
    const seenW = new Set<number>();
    const walk = (i: number): number[] | null => {
      seenD.add(i);
      for (let w = 0; w < ws.length; w++) {
        if (cap[i]![w] === 0 || seenW.has(w)) continue;
        seenW.add(w);
        if (left[w]! > 0) return [i, w];
        for (let j = 0; j < demand.length; j++) {
          if (flow[j]![w]! > 0 && !seenD.has(j)) {
            const rest = walk(j);
            if (rest) return [i, w, ...rest];
          }
        }
      }
      return null;
    };
    let path: number[] | null = null;
    for (let i = 0; i < demand.length && !path; i++) if (need[i]! > 0) path = walk(i);
    if (!path) return total;
    // path = [i0, w0, i1, w1, ..., ik, wk]: i0 gains at w0, i1 moves from w0 to w1, ...
    need[path[0]!]! -= 1;
    for (let k = 0; k < path.length; k += 2) {
      flow[path[k]!]![path[k + 1]!]! += 1;
      if (k > 0) flow[path[k]!]![path[k - 1]!]! -= 1;
    }
    left[path[path.length - 1]!]! -= 1;
    total += 1;
  }
}

/** The checks every plan must pass. */
function checkValid(supply: readonly RunSupply[], demand: readonly RunDemand[], plan: RunPlan) {
  const pool = poolOf(supply, demand);
  const byWh = new Map<string, number>();
  const byId = new Map(demand.map((d) => [d.backorderId, d]));
  for (const a of plan.allocations) {
    const d = byId.get(a.backorderId)!;
    expect(d).toBeDefined();
    expect(Number.isSafeInteger(a.quantity) && a.quantity > 0).toBe(true);
    expect(isEligibleAt(d, a.warehouseId)).toBe(true);
    expect(a.reason.length).toBeGreaterThan(0);
    byWh.set(a.warehouseId, (byWh.get(a.warehouseId) ?? 0) + a.quantity);
  }
  for (const [w, q] of byWh) expect(q).toBeLessThanOrEqual(pool.get(w) ?? 0);
  expect(plan.demands.map((d) => d.rank)).toEqual(demand.map((_, k) => k + 1));
  expect(new Set(plan.demands.map((d) => d.backorderId)).size).toBe(demand.length);
  for (const p of plan.demands) {
    const d = byId.get(p.backorderId)!;
    expect(p.planned).toBe(plannedFor(plan, d.backorderId));
    expect(p.planned).toBeLessThanOrEqual(d.owed);
    expect(p.before).toBe(heldBy(d));
  }
  for (const a of plan.allocations) expect(a.rank).toBe(plan.demands.find((d) => d.backorderId === a.backorderId)!.rank);
}

/** The plan applied: each demand holds what the plan gives it, the supply is what is left of each pool. */
function apply(supply: readonly RunSupply[], demand: readonly RunDemand[], plan: RunPlan) {
  const pool = poolOf(supply, demand);
  for (const a of plan.allocations) pool.set(a.warehouseId, pool.get(a.warehouseId)! - a.quantity);
  return {
    supply: [...pool].map(([warehouseId, free]) => ({ warehouseId, free })),
    demand: demand.map((d) => ({
      ...d,
      allocated: plan.allocations.filter((a) => a.backorderId === d.backorderId).map((a) => ({ warehouseId: a.warehouseId, quantity: a.quantity })),
    })),
  };
}

describe('run properties', () => {
  it('every strategy: within pools, owed and eligibility; diffRun deltas sum to planned minus current', () => {
    fc.assert(
      fc.property(runArb, strategyArb, ({ supply, demand }, strategy) => {
        const plan = strategy.plan(supply, demand);
        checkValid(supply, demand, plan);
        const diff = diffRun(demand, plan);
        const planned = plan.allocations.reduce((s, a) => s + a.quantity, 0);
        const current = demand.reduce((s, d) => s + heldBy(d), 0);
        expect(diff.reduce((s, r) => s + r.delta, 0)).toBe(planned - current);
        for (const r of diff) expect(r.after - r.before).toBe(r.delta);
      }),
      { numRuns: 400 },
    );
  });

  it('placement moves nothing needlessly: a unit leaves or lands away from home only where the better place is full', () => {
    fc.assert(
      fc.property(runArb, strategyArb, ({ supply, demand }, strategy) => {
        const plan = strategy.plan(supply, demand);
        const pool = poolOf(supply, demand);
        const used = new Map<string, number>();
        for (const a of plan.allocations) used.set(a.warehouseId, (used.get(a.warehouseId) ?? 0) + a.quantity);
        const full = (w: string) => (used.get(w) ?? 0) === (pool.get(w) ?? 0);
        const rows = diffRun(demand, plan);
        for (const d of demand) {
          const mine = rows.filter((r) => r.backorderId === d.backorderId);
          const gains = mine.filter((r) => r.delta > 0).map((r) => r.warehouseId);
          const losses = mine.filter((r) => r.delta < 0).map((r) => r.warehouseId);
          // Losing at w while gaining elsewhere: keeping the unit at w was only impossible if w is full.
          for (const w of losses) if (gains.some((v) => v !== w)) expect(full(w)).toBe(true);
          // A new unit away from home: home is full, and so is every eligible warehouse earlier in id order.
          for (const v of gains) {
            if (v === d.warehouseId) continue;
            expect(full(d.warehouseId)).toBe(true);
            for (const u of pool.keys()) if (u < v && isEligibleAt(d, u)) expect(full(u)).toBe(true);
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it('ranked strategies: the most the pools can give, and every prefix of the order gets the most it could alone', () => {
    fc.assert(
      fc.property(runArb, fc.constantFrom(...ranked), ({ supply, demand }, strategy) => {
        const plan = strategy.plan(supply, demand);
        const pool = poolOf(supply, demand);
        const planned = plan.allocations.reduce((s, a) => s + a.quantity, 0);
        const usable = maxUsable(pool, demand);
        expect(planned).toBe(usable);
        expect(planned).toBeLessThanOrEqual(Math.min([...pool.values()].reduce((s, q) => s + q, 0), demand.reduce((s, d) => s + d.owed, 0)));
        // Lexicographic priority: the first k in rank order get together what they could get with nobody else.
        const byId = new Map(demand.map((d) => [d.backorderId, d]));
        const prefix: RunDemand[] = [];
        let sum = 0;
        for (const p of plan.demands) {
          prefix.push(byId.get(p.backorderId)!);
          sum += p.planned;
          expect(sum).toBe(maxUsable(pool, prefix));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('every strategy is stable (fifo idempotent): planning again from the planned state changes nothing', () => {
    fc.assert(
      fc.property(runArb, fc.oneof(fc.constantFrom(...ranked), strategyArb), ({ supply, demand }, strategy) => {
        const plan = strategy.plan(supply, demand);
        const next = apply(supply, demand, plan);
        const again = strategy.plan(next.supply, next.demand);
        expect(again.allocations).toEqual(plan.allocations.map((a) => ({ ...a, reason: expect.any(String) })));
        expect(diffRun(next.demand, again).every((r) => r.delta === 0)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('fair share at one warehouse: within one unit of proportional, never over owed, the pool used in full', () => {
    fc.assert(
      fc.property(runArb, fc.integer({ min: 0, max: 80 }), ({ demand }, free) => {
        const one = demand.map((d) => ({ ...d, warehouseId: 'UK', allocated: heldBy(d) > 0 ? [{ warehouseId: 'UK', quantity: heldBy(d) }] : [] }));
        const plan = runStrategies['fair-share'].plan([{ warehouseId: 'UK', free }], one);
        checkValid([{ warehouseId: 'UK', free }], one, plan);
        const pool = free + one.reduce((s, d) => s + heldBy(d), 0);
        const owed = one.reduce((s, d) => s + d.owed, 0);
        expect(plan.allocations.reduce((s, a) => s + a.quantity, 0)).toBe(Math.min(pool, owed));
        for (const d of one) {
          const got = plannedFor(plan, d.backorderId);
          expect(got).toBeLessThanOrEqual(d.owed);
          if (owed <= pool) expect(got).toBe(d.owed);
          else {
            const exact = (pool * d.owed) / owed;
            expect(got).toBeGreaterThanOrEqual(Math.floor(exact));
            expect(got).toBeLessThanOrEqual(Math.floor(exact) + 1);
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it('categories: protect and improve never lose, fill never changes, release ends at zero', () => {
    fc.assert(
      fc.property(runArb, configArb, ({ supply, demand }, config) => {
        const plan = categoriesStrategy(config).plan(supply, demand);
        const pool = poolOf(supply, demand);
        const c = validateCategoriesConfig(config);
        const used = new Map<string, number>();
        for (const a of plan.allocations) used.set(a.warehouseId, (used.get(a.warehouseId) ?? 0) + a.quantity);
        for (const d of demand) {
          const got = plannedFor(plan, d.backorderId);
          const { category } = categorise(c, d);
          if (category === 'protect' || category === 'improve') expect(got).toBeGreaterThanOrEqual(heldBy(d));
          if (category === 'fill') expect(got).toBe(heldBy(d));
          if (category === 'release') expect(got).toBe(0);
          if (category === 'redistribute' && got < heldBy(d)) expect(demand.some((p) => categorise(c, p).category === 'protect')).toBe(true);
          // Short demand that may take free units (all but fill and release) leaves none where it is eligible.
          if (category !== 'fill' && category !== 'release' && got < d.owed) {
            for (const [w, q] of pool) if (isEligibleAt(d, w)) expect(used.get(w) ?? 0).toBe(q);
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it('pure: frozen input is not touched, the same input gives the same plan, and input order does not change totals', () => {
    const freeze = <T>(x: T): T => {
      if (typeof x === 'object' && x !== null) {
        Object.values(x).forEach(freeze);
        Object.freeze(x);
      }
      return x;
    };
    fc.assert(
      fc.property(runArb, strategyArb, fc.integer({ min: 0, max: 1000 }), ({ supply, demand }, strategy, seed) => {
        freeze(supply);
        freeze(demand);
        const plan = strategy.plan(supply, demand);
        expect(strategy.plan(supply, demand)).toEqual(plan);
        const shuffled = [...demand].sort((a, b) => ((a.backorderId.charCodeAt(2) * 31 + seed) % 7) - ((b.backorderId.charCodeAt(2) * 31 + seed) % 7));
        const again = strategy.plan([...supply].reverse(), shuffled);
        expect(again.demands).toEqual(plan.demands);
      }),
      { numRuns: 300 },
    );
  });

  it('prepareRun pools are free plus what these demands hold', () => {
    fc.assert(
      fc.property(runArb, ({ supply, demand }) => {
        const run = prepareRun(supply, demand);
        const pool = poolOf(supply, demand);
        run.warehouses.forEach((w, k) => expect(run.pool[k]).toBe(pool.get(w) ?? 0));
      }),
      { numRuns: 100 },
    );
  });
});

describe('transfers after a plan (run-transfers.ts)', () => {
  const transit = (days: number) => ({ days, arrival: days === 0 ? '2026-02-10' : '2026-02-12' });

  it('by hand: stock left free at EU goes to pinned demand short at UK, in rank order, never to flexible demand', () => {
    const d = (id: string, day: number, owed: number, flexible = false, promisedDate: string | null = null): RunDemand => ({
      backorderId: id, orderId: `o-${id}`, customerId: 'c', placedAt: `2026-01-0${day}T10:00:00.000Z`, customerTier: 1, promisedDate, owed, allocated: [], warehouseId: 'UK', flexible, channel: null, orderValueMinor: 0, ageDays: 0,
    });
    const demand = [d('late', 3, 4), d('early', 1, 3, false, '2026-02-11'), d('any', 2, 5, true)];
    const supply = [{ warehouseId: 'EU', free: 6 }];
    const plan = runStrategies.fifo.plan(supply, demand);
    // The flexible demand takes 5 of EU's 6 itself; 1 is left for the pinned ones, the earliest first.
    expect(planTransfers(supply, demand, plan, transit(0))).toEqual([{ backorderId: 'early', fromWarehouseId: 'EU', toWarehouseId: 'UK', quantity: 1, rank: 1 }]);
    // In transit until 02-12: 'early' is promised 02-11, sooner than the transfer, so 'late' gets it.
    expect(planTransfers(supply, demand, plan, transit(2))).toEqual([{ backorderId: 'late', fromWarehouseId: 'EU', toWarehouseId: 'UK', quantity: 1, rank: 3 }]);
    const moved = withTransferredUnits(plan, planTransfers(supply, demand, plan, transit(0)));
    expect(diffRun(demand, moved).find((r) => r.backorderId === 'early')).toMatchObject({ warehouseId: 'UK', before: 0, after: 1 });
  });

  it('properties: only what the plan left free moves, never beyond what a pinned demand still owes, never to its own warehouse', () => {
    fc.assert(
      fc.property(runArb, strategyArb, fc.constantFrom(0, 3), ({ supply, demand }, strategy, days) => {
        const plan = strategy.plan(supply, demand);
        const moves = planTransfers(supply, demand, plan, transit(days));
        const run = prepareRun(supply, demand);
        const used = new Map<string, number>();
        for (const a of plan.allocations) used.set(a.warehouseId, (used.get(a.warehouseId) ?? 0) + a.quantity);
        const out = new Map<string, number>();
        for (const t of moves) out.set(t.fromWarehouseId, (out.get(t.fromWarehouseId) ?? 0) + t.quantity);
        run.warehouses.forEach((w, k) => expect((used.get(w) ?? 0) + (out.get(w) ?? 0)).toBeLessThanOrEqual(run.pool[k]!));
        const byId = new Map(demand.map((x) => [x.backorderId, x]));
        const planned = new Map(plan.demands.map((p) => [p.backorderId, p]));
        for (const t of moves) {
          const x = byId.get(t.backorderId)!;
          expect(x.flexible).toBe(false);
          expect(t.fromWarehouseId).not.toBe(x.warehouseId);
          expect(t.toWarehouseId).toBe(x.warehouseId);
          if (days > 0 && x.promisedDate !== null) expect(x.promisedDate > transit(days).arrival).toBe(true);
        }
        for (const [id, p] of planned) {
          const got = moves.filter((t) => t.backorderId === id).reduce((s, t) => s + t.quantity, 0);
          expect(got).toBeLessThanOrEqual(p.owed - p.planned);
        }
        // Immediate transfers: the plan with them stays within what each demand owes, and nobody loses units.
        const moved = withTransferredUnits(plan, days === 0 ? moves : []);
        for (const p of moved.demands) {
          expect(p.planned).toBeLessThanOrEqual(p.owed);
          expect(p.planned).toBeGreaterThanOrEqual(planned.get(p.backorderId)!.planned);
        }
      }),
    );
  });
});
