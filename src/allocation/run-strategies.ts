/**
 * The strategies of a processing run (issue 8). Each decides how many units every demand of one SKU ends with;
 * `assemblePlan` then places those totals with the fewest moves (see run-plan.ts). All pure.
 *
 * - fifo / tier-then-fifo / earliest-promise: full re-allocation. Demand in rank order, each gets as many units as
 *   it can without lowering any demand ranked before it; to make room it may move an earlier demand's units to
 *   another warehouse that demand may also use (augmenting paths). The totals are therefore lexicographically
 *   greatest in rank order, and the total planned is the most the pools can give under eligibility.
 * - fair-share: proportional shares where a pool is short (own warehouse first, then the leftovers).
 * - categories: SAP-like backorder processing with segments and categories (categoriesStrategy(config)).
 */
import {
  RunFlow,
  RunInputError,
  assemblePlan,
  byText,
  fifoCompare,
  outcome,
  prepareRun,
  type PreparedRun,
  type RunDemand,
  type RunPlan,
  type RunStrategy,
  type RunSupply,
} from './run-plan.js';
import { fail, ok, type Result } from '../shared/result.js';

const sortedIndexes = (run: PreparedRun, compare: (a: RunDemand, b: RunDemand) => number): number[] =>
  run.demand.map((_, i) => i).sort((a, b) => compare(run.demand[a]!, run.demand[b]!));

const held = (run: PreparedRun, i: number) => run.current[i]!.reduce((s, q) => s + q, 0);

/** A full re-allocation in the order of `compare`, each demand as far as it can without lowering earlier ones. */
function rankedStrategy(
  name: string,
  description: string,
  compare: (a: RunDemand, b: RunDemand) => number,
  explain: (d: RunDemand) => string,
): RunStrategy {
  return {
    name,
    description,
    plan(supply, demand) {
      const run = prepareRun(supply, demand);
      const order = sortedIndexes(run, compare);
      const flow = new RunFlow(run);
      for (const i of order) flow.augment(i, run.demand[i]!.owed);
      const n = order.length;
      return assemblePlan(name, run, order, flow.totals(), (i, rank, planned) => {
        const d = run.demand[i]!;
        return `${explain(d)}: position ${rank} of ${n} waiting; ${outcome(planned, d.owed, held(run, i))}`;
      });
    },
  };
}

export const fifoRun = rankedStrategy(
  'fifo',
  'First in, first out: every owed unit is re-allocated, the earliest order first.',
  fifoCompare,
  (d) => `FIFO, ordered ${d.placedAt}`,
);

const tierCompare = (a: RunDemand, b: RunDemand) => a.customerTier - b.customerTier || fifoCompare(a, b);
export const tierThenFifoRun = rankedStrategy(
  'tier-then-fifo',
  'Customer tier first (tier 1 before tier 2), then first in, first out; every owed unit is re-allocated.',
  tierCompare,
  (d) => `tier ${d.customerTier} customer, ordered ${d.placedAt}`,
);

const promiseCompare = (a: RunDemand, b: RunDemand) => {
  if (a.promisedDate !== b.promisedDate) {
    if (a.promisedDate === null) return 1;
    if (b.promisedDate === null) return -1;
    return byText(a.promisedDate, b.promisedDate);
  }
  return fifoCompare(a, b);
};
export const earliestPromiseRun = rankedStrategy(
  'earliest-promise',
  'Earliest promise date first (no promise date last), then first in, first out; every owed unit is re-allocated.',
  promiseCompare,
  (d) => (d.promisedDate === null ? `no promise date, ordered ${d.placedAt}` : `promised ${d.promisedDate}, ordered ${d.placedAt}`),
);

/**
 * Shares `pool` among `items` (in FIFO order) by what each still needs: all of it when the pool suffices, else
 * floor(pool x need / total need) each and the remainder one unit at a time in FIFO order. Never more than needed.
 */
export function shareOut(pool: number, needs: readonly number[]): number[] {
  const total = needs.reduce((s, n) => s + n, 0);
  if (total <= pool) return [...needs];
  const got = needs.map((n) => Math.floor((pool * n) / total));
  let left = pool - got.reduce((s, g) => s + g, 0);
  while (left > 0) {
    let moved = false;
    for (let k = 0; k < got.length && left > 0; k++) {
      if (got[k]! < needs[k]!) {
        got[k]! += 1;
        left -= 1;
        moved = true;
      }
    }
    if (!moved) break;
  }
  return got;
}

/**
 * fair-share. Step 1: at each warehouse (by id), the demand that waits there (pinned or flexible) shares the pool
 * in proportion to what each owes (shareOut). Step 2: what is left at each warehouse (by id) is shared the same way
 * among flexible demand still short, in proportion to what each still owes. Pinned demand only ever takes part in
 * step 1 at its own warehouse; a flexible demand is first a member of its own warehouse's share and only then of
 * other warehouses' leftovers. Known limit: a flexible demand's share at its own warehouse is not moved elsewhere
 * to make room for pinned demand there (unlike the ranked strategies). Ranks are FIFO positions.
 */
export const fairShareRun: RunStrategy = {
  name: 'fair-share',
  description:
    'When a warehouse is short, everyone waiting there gets a share in proportion to what they owe (rounded down, the remainder unit by unit first in, first out); leftovers go to flexible demand still short, the same way.',
  plan(supply, demand) {
    const run = prepareRun(supply, demand);
    const order = sortedIndexes(run, fifoCompare);
    const W = run.warehouses.length;
    const left = [...run.pool];
    const still = run.demand.map((d) => d.owed);
    const notes: string[][] = run.demand.map(() => []);
    for (let w = 0; w < W; w++) {
      const group = order.filter((i) => run.eligible[i]![0] === w && still[i]! > 0);
      if (group.length === 0) continue;
      const needs = group.map((i) => still[i]!);
      const total = needs.reduce((s, n) => s + n, 0);
      const pool = left[w]!;
      const got = shareOut(pool, needs);
      group.forEach((i, k) => {
        const g = got[k]!;
        notes[i]!.push(
          total <= pool
            ? `${run.warehouses[w]} has enough (${pool} units for ${total} owed there): all ${needs[k]} owed`
            : `fair share at ${run.warehouses[w]}: ${g} of ${pool} units for ${needs[k]} of ${total} owed`,
        );
        still[i]! -= g;
        left[w]! -= g;
      });
    }
    for (let w = 0; w < W; w++) {
      const pool = left[w]!;
      if (pool === 0) continue;
      const group = order.filter((i) => run.demand[i]!.flexible && still[i]! > 0);
      if (group.length === 0) continue;
      const needs = group.map((i) => still[i]!);
      const total = needs.reduce((s, n) => s + n, 0);
      const got = shareOut(pool, needs);
      group.forEach((i, k) => {
        const g = got[k]!;
        notes[i]!.push(`then ${g} of ${pool} units left at ${run.warehouses[w]} for ${needs[k]} of ${total} still owed by flexible demand`);
        still[i]! -= g;
        left[w]! -= g;
      });
    }
    const totals = run.demand.map((d, i) => d.owed - still[i]!);
    return assemblePlan('fair-share', run, order, totals, (i, rank, planned) => {
      const d = run.demand[i]!;
      const how = notes[i]!.length > 0 ? notes[i]!.join('; ') : 'owes nothing';
      return `${how}; ordered ${d.placedAt}, position ${rank} of ${order.length} (FIFO); ${outcome(planned, d.owed, held(run, i))}`;
    });
  },
};

// ---------------------------------------------------------------------------------------------------------------
// categories: SAP-like backorder processing

export const categoryNames = ['protect', 'improve', 'redistribute', 'fill', 'release'] as const;
export type Category = (typeof categoryNames)[number];

export interface SegmentMatch {
  tierAtMost?: number;
  tierAtLeast?: number;
  channel?: string;
  minAgeDays?: number;
  minOrderValueMinor?: number;
}
export interface Segment {
  name: string;
  category: Category;
  match: SegmentMatch;
}
export interface CategoriesConfig {
  segments: Segment[];
  default: Category;
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const matchKeys = ['tierAtMost', 'tierAtLeast', 'channel', 'minAgeDays', 'minOrderValueMinor'] as const;

/** Checks a categories configuration; throws RunInputError (a RangeError) whose path names the bad field. */
export function validateCategoriesConfig(raw: unknown): CategoriesConfig {
  const category = (x: unknown, path: string): Category => {
    if (typeof x !== 'string' || !(categoryNames as readonly string[]).includes(x))
      throw new RunInputError(path, `must be one of ${categoryNames.join(', ')}, got ${JSON.stringify(x) ?? String(x)}`);
    return x as Category;
  };
  if (!isObject(raw)) throw new RunInputError('config', 'must be an object with segments and default');
  for (const k of Object.keys(raw)) if (k !== 'segments' && k !== 'default') throw new RunInputError(`config.${k}`, 'is not a known field (segments, default)');
  if (!Array.isArray(raw.segments)) throw new RunInputError('segments', 'must be an array');
  const names = new Set<string>();
  const segments = raw.segments.map((s: unknown, k): Segment => {
    const at = `segments[${k}]`;
    if (!isObject(s)) throw new RunInputError(at, 'must be an object with name, category and match');
    for (const key of Object.keys(s)) if (!['name', 'category', 'match'].includes(key)) throw new RunInputError(`${at}.${key}`, 'is not a known field (name, category, match)');
    if (typeof s.name !== 'string' || s.name.trim() === '') throw new RunInputError(`${at}.name`, 'must be a non-empty string');
    if (names.has(s.name)) throw new RunInputError(`${at}.name`, `'${s.name}' is used by an earlier segment`);
    names.add(s.name);
    const cat = category(s.category, `${at}.category`);
    const m = s.match ?? {};
    if (!isObject(m)) throw new RunInputError(`${at}.match`, 'must be an object');
    const match: SegmentMatch = {};
    for (const key of Object.keys(m)) {
      const v = m[key];
      const p = `${at}.match.${key}`;
      if (v === undefined) continue;
      switch (key) {
        case 'tierAtMost':
        case 'tierAtLeast':
          if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1) throw new RunInputError(p, `must be a whole number >= 1, got ${JSON.stringify(v)}`);
          match[key] = v;
          break;
        case 'minAgeDays':
          if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new RunInputError(p, `must be a number >= 0, got ${JSON.stringify(v)}`);
          match.minAgeDays = v;
          break;
        case 'minOrderValueMinor':
          if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new RunInputError(p, `must be a whole number >= 0 (minor units), got ${JSON.stringify(v)}`);
          match.minOrderValueMinor = v;
          break;
        case 'channel':
          if (typeof v !== 'string' || v === '') throw new RunInputError(p, 'must be a non-empty string');
          match.channel = v;
          break;
        default:
          throw new RunInputError(p, `is not a known condition (${matchKeys.join(', ')})`);
      }
    }
    if (match.tierAtLeast !== undefined && match.tierAtMost !== undefined && match.tierAtLeast > match.tierAtMost)
      throw new RunInputError(`${at}.match`, `tierAtLeast ${match.tierAtLeast} > tierAtMost ${match.tierAtMost}: the segment can never match`);
    return { name: s.name, category: cat, match };
  });
  return { segments, default: category(raw.default, 'default') };
}

export const segmentMatches = (m: SegmentMatch, d: RunDemand): boolean =>
  (m.tierAtMost === undefined || d.customerTier <= m.tierAtMost) &&
  (m.tierAtLeast === undefined || d.customerTier >= m.tierAtLeast) &&
  (m.channel === undefined || d.channel === m.channel) &&
  (m.minAgeDays === undefined || d.ageDays >= m.minAgeDays) &&
  (m.minOrderValueMinor === undefined || d.orderValueMinor >= m.minOrderValueMinor);

/** The first matching segment (or none: the default category). */
export function categorise(config: CategoriesConfig, d: RunDemand): { category: Category; segment: string | null } {
  const s = config.segments.find((seg) => segmentMatches(seg.match, d));
  return s ? { category: s.category, segment: s.name } : { category: config.default, segment: null };
}

const processing: readonly Category[] = ['release', 'protect', 'improve', 'redistribute', 'fill'];
const categoryWords: Record<Category, string> = {
  protect: 'protected',
  improve: 'improve',
  redistribute: 'redistribute',
  fill: 'fill',
  release: 'release',
};
const categoryRule: Record<Category, string> = {
  protect: 'keeps its units and may take from redistribute demand and the free pool',
  improve: 'keeps its units and may take more from the free pool only',
  redistribute: 'keeps its units unless protected demand needs them; may take what is free after protect and improve',
  fill: 'keeps its units, never more',
  release: 'gives up its units to the pool',
};

/**
 * categories. Each demand gets the category of the first matching segment (else the default). Steps, each over
 * its category in FIFO order:
 * 1. release: its units go back to the pool (ends with 0).
 * 2. protect: keeps its units; gets more first from the free pool (including released units), then by taking units
 *    of redistribute demand, the last in FIFO order first. Never takes from protect, improve or fill demand.
 * 3. improve: keeps its units; gets more from the free pool only.
 * 4. redistribute: keeps what protect left it; gets more from the free pool only.
 * 5. fill: keeps its units, never more.
 * "Keeps its units" is about the total: to make room, a demand's units may move to another warehouse it may use.
 * Ranks follow that processing order (release, protect, improve, redistribute, fill; FIFO within).
 */
export function categoriesStrategy(rawConfig: unknown): RunStrategy {
  const config = validateCategoriesConfig(rawConfig);
  return {
    name: 'categories',
    description: 'SAP-like backorder processing: segments put each demand in a category (protect, improve, redistribute, fill, release).',
    plan(supply: readonly RunSupply[], demand: readonly RunDemand[]): RunPlan {
      const run = prepareRun(supply, demand);
      const fifo = sortedIndexes(run, fifoCompare);
      const cats = run.demand.map((d) => categorise(config, d));
      const of = (c: Category) => fifo.filter((i) => cats[i]!.category === c);
      const order = processing.flatMap(of);
      const flow = RunFlow.fromCurrent(run, (i) => cats[i]!.category === 'release');
      const victims = [...of('redistribute')].reverse();
      for (const i of of('protect')) {
        const want = () => run.demand[i]!.owed - flow.total(i);
        flow.augment(i, want());
        for (const v of victims) if (want() > 0) flow.augment(i, want(), v);
      }
      for (const i of [...of('improve'), ...of('redistribute')]) flow.augment(i, run.demand[i]!.owed - flow.total(i));
      const n = order.length;
      return assemblePlan('categories', run, order, flow.totals(), (i, rank, planned) => {
        const d = run.demand[i]!;
        const { category, segment } = cats[i]!;
        const seg = segment === null ? `default category '${category}'` : `${categoryWords[category]} segment '${segment}'`;
        return `tier ${d.customerTier} customer, ordered ${d.placedAt}: position ${rank} of ${n} waiting; ${seg} (${categoryRule[category]}); ${outcome(planned, d.owed, held(run, i))}`;
      });
    },
  };
}

/** The registry of strategies that need no configuration; `categories` needs one, see categoriesStrategy. */
export const runStrategies = {
  fifo: fifoRun,
  'tier-then-fifo': tierThenFifoRun,
  'earliest-promise': earliestPromiseRun,
  'fair-share': fairShareRun,
} as const satisfies Record<string, RunStrategy>;
export type RunStrategyName = keyof typeof runStrategies;
/** The names in the registry (without 'categories', which needs a configuration). */
export const runStrategyNames = Object.keys(runStrategies) as RunStrategyName[];

/** A strategy by name; `categories` requires its configuration. Throws RunInputError for an unknown name. */
export function runStrategy(name: string, categoriesConfig?: unknown): RunStrategy {
  if (name === 'categories') {
    if (categoriesConfig === undefined) throw new RunInputError('categories', "the 'categories' strategy needs a configuration");
    return categoriesStrategy(categoriesConfig);
  }
  if (Object.hasOwn(runStrategies, name)) return runStrategies[name as RunStrategyName];
  throw new RunInputError('strategy', `unknown strategy '${name}' (one of ${[...runStrategyNames, 'categories'].join(', ')})`);
}

/** What a caller asks for: a strategy's name and, for 'categories', its configuration. */
export interface StrategyRequest {
  name: string;
  categories?: unknown;
}

/** runStrategy as a Result: a bad name or configuration is a validation failure whose field is a slash path. */
export function strategyFor(req: StrategyRequest): Result<RunStrategy> {
  try {
    return ok(runStrategy(req.name, req.categories));
  } catch (e) {
    if (!(e instanceof RunInputError)) throw e;
    const field = e.path === 'strategy' || e.path === 'categories' ? e.path : `categories/${e.path.replace(/^config\.?/, '').replace(/\[(\d+)\]/g, '.$1').split('.').filter(Boolean).join('/')}`;
    return fail('validation_failed', e.message, { field: field.replace(/\/$/, '') });
  }
}
