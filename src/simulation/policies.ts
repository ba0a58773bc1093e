/**
 * Policy families the simulator compares, each with one knob to sweep:
 *
 * - Rules of thumb practitioners use, from the average demand of the last 12 periods (avg):
 *   - `cover`: every review, order up to N periods of average demand (S = ceil(N x avg)); knob N.
 *   - `minmax`: min s = ceil(k x avg x (L + R)), max S = s + max(1, ceil(avg x R)); knob k.
 * - Forecast-driven policies, `<model>/<RS|sS|sQ>/<fill|cycle|exchange>`: at every review the demand model
 *   (demand-models.ts) is re-estimated on the history so far and the planning module (src/planning/policies.ts)
 *   sets the level for the target fill rate or cycle service level (the knob), with lead time L and review R in
 *   periods, EOQ-based quantities for (s, S) and (s, Q), the item's MOQ and pack size. `exchange` sets each
 *   item's order-up-to level by one marginal rate for all items instead (exchangeLevel below).
 *
 * Timing as in engine.ts: an order placed at the end of period t arrives at the start of t + 1 + L, so an
 * order-up-to level protects L + R periods of demand.
 */
import { Discrete } from '../planning/discrete.js';
import type { Distribution } from '../planning/distributions.js';
import { planPolicy, type PolicyKind } from '../planning/policies.js';
import type { Decide, OrderRule, SimItem } from './engine.js';
import { demandModel, demandModelNames, demandOver, type DemandModelName, type DemandView, type LawName, type SmootherSettings } from './demand-models.js';
import { exchangeScan } from './exchange.js';
import { panelKnnDefaults, panelKnnLevels, type PanelKnnSettings, type PanelLevels } from './panel-knn.js';

/** An item with the economics the policies and the report need. */
export interface PlanItem extends SimItem {
  /** Value of one unit (inventory value, turnover). */
  readonly unitCost: number;
  /** K: cost of one order. */
  readonly orderCost: number;
  /** h: cost of holding one unit for a year. */
  readonly holdingCostPerYear: number;
}

export interface PolicyContext {
  readonly review: number;
  readonly periodsPerYear: number;
}

export interface PolicyFamily {
  readonly name: string;
  /** What the knob is, for reports: 'periods of cover', 'fill-rate target', ... */
  readonly knob: string;
  readonly settings: readonly number[];
  /**
   * Per item: the decision for each setting (item-level work such as forecasts is shared between settings). A family
   * that pools the panel gets what its fitPanel returned for the whole panel.
   */
  prepare(item: PlanItem, ctx: PolicyContext, panel?: PanelLevels): (setting: number) => Decide;
  /**
   * Families that learn across series (panel-knn.ts): fitted once on EVERY item of the run before any item is
   * simulated (each review still sees only the panel's past), so runs cut into chunks or threads get the same levels.
   * Null when the fit passed `deadline` (performance.now() milliseconds) before it finished.
   */
  fitPanel?(items: readonly PlanItem[], start: number, ctx: PolicyContext, deadline?: number): PanelLevels | null;
}

const EXCHANGE_KNOB = 'units of fill per period per unit of value held';

export const defaultTargets = [0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.92, 0.94, 0.95, 0.96, 0.97, 0.98, 0.99];
// Periods of cover up to a year of weekly demand: weekly data with lead times of 8-17 weeks needs far more than 12.
const coverSettings = [0.5, 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10, 12, 16, 20, 26, 39, 52];
const minmaxSettings = [0.25, 0.5, 0.75, 1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6];

/** Mean of the last (up to) 12 observed periods of a history. */
function recentAverage(history: Float64Array): number {
  let sum = 0;
  let seen = 0;
  for (let t = history.length - 1; t >= 0 && seen < 12; t--) {
    const v = history[t]!;
    if (v === v) {
      sum += Math.max(0, v);
      seen++;
    }
  }
  return seen > 0 ? sum / seen : 0;
}

export function coverFamily(settings: readonly number[] = coverSettings): PolicyFamily {
  return {
    name: 'cover',
    knob: 'periods of cover',
    settings,
    prepare: () => (n) => (history) => ({ kind: 'RS', orderUpTo: Math.ceil(n * recentAverage(history) - 1e-9) }),
  };
}

export function minmaxFamily(settings: readonly number[] = minmaxSettings): PolicyFamily {
  return {
    name: 'minmax',
    knob: 'min as a multiple of average demand over lead time + review',
    settings,
    prepare: (item, ctx) => (k) => (history) => {
      const avg = recentAverage(history);
      const min = Math.ceil(k * avg * (item.leadTime + ctx.review) - 1e-9);
      // No recent demand, no stock (as cover); else at least one unit above the min.
      return { kind: 'sS', reorderPoint: min, orderUpTo: avg > 0 ? min + Math.max(1, Math.ceil(avg * ctx.review - 1e-9)) : 0 };
    },
  };
}

/**
 * fill: each item's level is the smallest whose expected fill rate reaches the target, so every item is at or above
 * it and the panel as a whole above it; fill-avg: the level whose expected fill rate is nearest the target, so
 * the panel meets it on average (whole units make slow movers' fill rates jump: 0.85 at S = 1, 0.97 at S = 2).
 */
export type ServiceMeasure = 'fill' | 'fill-avg' | 'cycle' | 'exchange';

/**
 * Values of lambda swept by the exchange family: units of fill bought per period for each unit of value held (per
 * unit held when units have no cost). Suits unit costs near 1; dearer units need smaller values (the simulate bench
 * sweeps MAN's, in euros, down to 1e-6).
 */
export const defaultExchangeRates = [1, 0.7, 0.5, 0.35, 0.25, 0.18, 0.13, 0.1, 0.07, 0.05, 0.035, 0.025, 0.018, 0.012];

export interface ForecastPolicySpec {
  readonly model: DemandModelName;
  readonly law?: LawName;
  /** A smoother's own constants (demand-models.ts SmootherSettings); none: the textbook ones. */
  readonly smoothing?: SmootherSettings;
  readonly kind: PolicyKind;
  readonly measure: ServiceMeasure;
}

export function forecastFamily(spec: ForecastPolicySpec, settings?: readonly number[]): PolicyFamily {
  const { model, kind, measure } = spec;
  const law = spec.law ?? 'normal';
  if (measure === 'exchange' && kind !== 'RS') throw new RangeError(`the exchange measure is for RS policies, got ${kind}`);
  const swept = settings ?? (measure === 'exchange' ? defaultExchangeRates : defaultTargets);
  const smoothing = spec.smoothing ?? {};
  const name = `${model}${smoothingLabel(smoothing)}${law === 'normal' ? '' : `+${law}`}/${kind}/${measure}`;
  return {
    name,
    knob: measure === 'cycle' ? 'cycle-service-level target' : measure === 'exchange' ? EXCHANGE_KNOB : 'fill-rate target',
    settings: swept,
    prepare(item, ctx) {
      const protection = item.leadTime + ctx.review;
      const next = demandModel(model, protection, law, item.demand, smoothing);
      // Per review (by history length): every setting replays the same reviews, and the model only moves forward.
      const views = new Map<number, DemandView>();
      const viewAt = (history: Float64Array): DemandView => {
        let v = views.get(history.length);
        if (v === undefined) views.set(history.length, (v = next(history)));
        return v;
      };
      if (kind === 'RS' && measure !== 'cycle') {
        // One scan over S gives the level of every setting at a review: the sweep costs what one setting costs.
        const levels = new Map<number, number[]>();
        const levelsAt = (history: Float64Array): number[] => {
          let l = levels.get(history.length);
          if (l === undefined) {
            const v = viewAt(history);
            l = measure === 'exchange' ? exchangeLevels(v, item.leadTime, ctx.review, swept, item.unitCost) : fillLevels(v, item.leadTime, ctx.review, swept, measure === 'fill-avg');
            levels.set(history.length, l);
          }
          return l;
        };
        return (setting) => {
          const k = swept.indexOf(setting);
          if (k < 0) throw new RangeError(`${name}: ${setting} is not one of its settings`);
          return (history) => ({ kind: 'RS', orderUpTo: levelsAt(history)[k]! });
        };
      }
      if (law === 'compound') throw new RangeError('the compound law is for RS policies with a fill-rate target or exchange');
      if (measure === 'fill-avg') throw new RangeError('fill-avg is for RS policies');
      return (level) => (history) => ruleFor(viewAt(history), item, ctx, kind, measure as 'fill' | 'cycle', level);
    },
  };
}

function ruleFor(v: DemandView, item: PlanItem, ctx: PolicyContext, kind: PolicyKind, measure: 'fill' | 'cycle', level: number): OrderRule {
  const p = planPolicy(
    kind,
    {
      family: v.perPeriod.mean > 0 ? v.family : 'normal',
      dailyDemand: v.perPeriod,
      leadTime: { meanDays: item.leadTime, sdDays: 0 },
      orderCost: item.orderCost,
      holdingCostPerUnitYear: item.holdingCostPerYear > 0 ? item.holdingCostPerYear : 1e-9,
      minimumOrder: item.minOrder ?? 0,
      packSize: item.packSize ?? 1,
      daysPerYear: ctx.periodsPerYear,
    },
    { measure: measure === 'fill' ? 'fill-rate' : 'cycle-service-level', level },
    ctx.review,
  );
  if (p.kind === 'RS') return { kind: 'RS', orderUpTo: Math.ceil(p.orderUpTo - 1e-9) };
  if (p.kind === 'sS') return { kind: 'sS', reorderPoint: Math.ceil(p.reorderPoint - 1e-9), orderUpTo: Math.ceil(p.orderUpTo - 1e-9) };
  return { kind: 'sQ', reorderPoint: Math.ceil(p.reorderPoint - 1e-9), orderQuantity: p.orderQuantity };
}

/**
 * The order-up-to level where one more unit of stock stops paying lambda units of fill per period for each unit of
 * value it holds: the exchange-curve allocation (Silver, Pyke & Thomas 2017, section 7.9; Brown 1967): one lambda
 * for every item spreads a stock budget to where it buys the most fill, instead of giving every item the same
 * target. Raising S by one fills P(D_{L+R} > S) - P(D_L > S) more units per cycle of R periods (the units short in
 * a cycle are E[(D_{L+R} - S)+] - E[(D_L - S)+]) and holds the unit about P(D_{L+R} <= S) of the time; S stops
 * rising at the first S where (fill gained / R) < lambda x (time held) x unit value. The unit value is what the
 * budget is counted in: with unit costs, a unit of a part costing 300 uses the budget of 100 units costing 3, so
 * the dear part gets fewer units of cover than the cheap one at the same lambda (the inventory is compared in
 * value); without costs every unit is worth 1 and the budget is counted in units.
 */
export function exchangeLevel(v: DemandView, lead: number, review: number, lambda: number, unitValue = 1): number {
  return exchangeLevels(v, lead, review, [lambda], unitValue)[0]!;
}

/** exchangeLevel for several lambdas at once (one scan over S; any order of lambdas). */
export function exchangeLevels(v: DemandView, lead: number, review: number, lambdas: readonly number[], unitValue = 1): number[] {
  if (!(v.perPeriod.mean > 0)) return lambdas.map(() => 0);
  const total = demandOver(v, lead + review);
  const before = lead > 0 ? demandOver(v, lead) : null;
  const limit = Math.ceil(total.quantile(0.9999)) + 1;
  return exchangeScan((S) => total.survival(S) - (before ? before.survival(S) : 0), (S) => total.cdf(S), review, limit, lambdas, unitValue);
}

/**
 * The smallest order-up-to level whose expected fill rate reaches the target, for any law of demand: units short
 * per cycle E[(D_{L+R} - S)+] - E[(D_L - S)+] over the R periods' mean demand (Silver, Pyke & Thomas 2017, eq. 6.24).
 * Whole units: the same level as planning's planRS rounded up, for every family.
 */
export function fillLevel(v: DemandView, lead: number, review: number, target: number): number {
  return fillLevels(v, lead, review, [target])[0]!;
}

const SCAN_LIMIT = 64;

/**
 * fillLevel for several targets at once. The fill rate never falls as S rises (raising S by one changes the units
 * short by P(D_L > S) - P(D_{L+R} > S) <= 0), so each target's level is found by a galloping search, the targets
 * in increasing order, each from a guess along the slope at the last one's level: a few dozen evaluations where a
 * scan from 0 took one per unit (thousands for MAN's weekly quantities over lead times of 8-17 weeks).
 */
export function fillLevels(v: DemandView, lead: number, review: number, targets: readonly number[], nearest = false): number[] {
  if (!(v.perPeriod.mean > 0)) return targets.map(() => 0);
  const key = `${lead}|${review}|${targets.join(',')}`;
  const known = reachingLevels.get(v) ?? reachingLevels.set(v, new Map()).get(v)!;
  let r = known.get(key);
  if (r === undefined) known.set(key, (r = reaching(v, lead, review, targets)));
  if (!nearest) return r.levels.slice();
  // One unit less when its fill rate is nearer the target than that of the level reaching it (see ServiceMeasure).
  const { at, below } = r;
  return r.levels.map((S, k) => (S > 0 && targets[k]! - below[k]! < at[k]! - targets[k]! ? S - 1 : S));
}

/** The levels reaching each target, and the fill rates at each level and one unit below it (NaN below 0). */
interface Reaching {
  levels: number[];
  at: number[];
  below: number[];
}

/**
 * The levels reaching each target, per view: families that share an item's views (auto/RS/fill and auto/RS/fill-avg
 * run together) search once, and fill-avg's look one unit below costs nothing.
 */
const reachingLevels = new WeakMap<DemandView, Map<string, Reaching>>();

function reaching(v: DemandView, lead: number, review: number, targets: readonly number[]): Reaching {
  const total = demandOver(v, lead + review);
  const before = lead > 0 ? demandOver(v, lead) : null;
  const { fill, limit } = fillCurve(total, before, v.perPeriod.mean * review);
  const levels = fillLevelsAtLeast(fill, limit, targets);
  return { levels, at: levels.map(fill), below: levels.map((S) => (S > 0 ? fill(S - 1) : NaN)) };
}

/** Levels above the 0.99999 quantile of demand over L + R (plus one) are not searched. */
const SEARCH_TAIL = 1 - 0.99999;

/**
 * The fill rate at each order-up-to level S in 0..limit: units short per cycle over the R periods' demand `units`
 * (see fillLevel). Count laws (negative binomial, Poisson: TSB+count's and auto's intermittent laws) walk their loss
 * tables once (Discrete.lossTable); other laws compute each value searched, once.
 */
function fillCurve(total: Distribution, before: Distribution | null, units: number): { fill: (S: number) => number; limit: number } {
  const table = total instanceof Discrete ? total.lossTable({ tail: SEARCH_TAIL }) : null;
  if (table !== null) {
    const head = before === null ? null : before instanceof Discrete ? before.lossTable({ length: table.length }) : null;
    if (before === null || head !== null) return { fill: (S) => 1 - (table[S]! - (head === null ? 0 : head[S]!)) / units, limit: table.length - 1 };
  }
  const seen = new Map<number, number>();
  const fill = (S: number) => {
    let x = seen.get(S);
    if (x === undefined) seen.set(S, (x = 1 - (total.loss(S) - (before ? before.loss(S) : 0)) / units));
    return x;
  };
  return { fill, limit: Math.ceil(total.quantile(1 - SEARCH_TAIL)) + 1 };
}

/** The smallest S in 0..limit with fill(S) >= each target (limit when none), fill non-decreasing (and remembered). */
function fillLevelsAtLeast(f: (S: number) => number, limit: number, targets: readonly number[]): number[] {
  const out = targets.map(() => 0);
  const order = targets.map((_, i) => i).sort((a, b) => targets[a]! - targets[b]!);
  if (limit <= SCAN_LIMIT) {
    // Slow movers: a plain scan over their few levels is cheaper than searching for each target.
    let next = 0;
    for (let S = 0; S <= limit && next < order.length; S++) {
      const x = f(S);
      while (next < order.length && x >= targets[order[next]!]!) out[order[next++]!] = S;
    }
    while (next < order.length) out[order[next++]!] = limit;
    return out;
  }
  let lo = 0;
  let guess = 0;
  for (let j = 0; j < order.length; j++) {
    const k = order[j]!;
    const target = targets[k]!;
    // Invariant: this target's level is >= lo (the last target's level: targets ascend). Start at the guess,
    // gallop away from it (steps 1, 2, 4, ...) until the level is bracketed, then bisect the bracket.
    let a = lo; // fill(a - 1) < target, or a is where the search may start
    let b = limit; // fill(b) >= target, unless no level reaches it
    const c = Math.min(limit, Math.max(lo, guess));
    if (f(c) >= target) {
      b = c;
      for (let step = 1, x = c - 1; x >= lo; x = c - (step *= 2)) {
        if (f(x) < target) {
          a = x + 1;
          break;
        }
        b = x;
      }
    } else {
      a = c + 1;
      let found = false;
      for (let step = 1, x = Math.min(limit, c + 1); ; x = Math.min(limit, c + (step *= 2))) {
        if (f(x) >= target) {
          b = x;
          found = true;
          break;
        }
        a = x + 1;
        if (x === limit) break;
      }
      if (!found) {
        out[k] = limit;
        lo = limit;
        continue;
      }
    }
    while (a < b) {
      const mid = Math.floor((a + b) / 2);
      if (f(mid) >= target) b = mid;
      else a = mid + 1;
    }
    out[k] = lo = a;
    // The next target's guess: a straight line along fill's slope at this level (the gallop from it corrects the
    // guess either way; on MAN's weekly panel this needs a quarter fewer fill values than galloping from the level).
    const slope = a > 0 ? f(a) - f(a - 1) : 0;
    const next = order[j + 1];
    guess = next !== undefined && slope > 0 ? a + Math.max(0, Math.floor((targets[next]! - f(a)) / slope)) : a;
  }
  return out;
}

/** Exchange rates swept by the knn family: 0.2 x 0.8^j (j = 0..39) and 2e-5, 1e-5, dense enough to read it at any stock. */
export const knnExchangeRates = [...Array.from({ length: 40 }, (_, j) => Number((0.2 * 0.8 ** j).toPrecision(6))), 2e-5, 1e-5];

/** `knn[...]/RS/exchange`: the panel's pooled law mixed with TSB + normal, levels by the exchange curve (panel-knn.ts). */
export function knnFamily(settings: Partial<PanelKnnSettings> = {}, rates: readonly number[] = knnExchangeRates): PolicyFamily {
  const s = { ...panelKnnDefaults, ...settings };
  const label = Object.entries(settings).length === 0 ? '' : `[${knnKeys.filter(([, f]) => settings[f] !== undefined).map(([k, f]) => `${k}=${settings[f]}`).join(',')}]`;
  const name = `knn${label}/RS/exchange`;
  return {
    name,
    knob: EXCHANGE_KNOB,
    settings: rates,
    fitPanel: (items, start, ctx, deadline) => panelKnnLevels(items, start, ctx.review, rates, s, deadline),
    prepare(item, _ctx, panel) {
      const table = panel?.levels.get(item.id);
      if (panel === undefined || table === undefined) throw new RangeError(`${name}: item '${item.id}' was not in the panel it was fitted on`);
      return (setting) => {
        const k = rates.indexOf(setting);
        if (k < 0) throw new RangeError(`${name}: ${setting} is not one of its settings`);
        return (history) => ({ kind: 'RS', orderUpTo: table[history.length - panel.from]![k]! });
      };
    },
  };
}

/** The keys of a knn bracket and the settings they set. */
const knnKeys: [string, keyof PanelKnnSettings][] = [['k', 'k'], ['w', 'window'], ['m', 'mix'], ['a', 'alpha'], ['b', 'beta'], ['v', 'varianceFactor']];

function knnSettingsOf(spec: string, bracket: string | undefined): Partial<PanelKnnSettings> {
  const out: Partial<Record<keyof PanelKnnSettings, number>> = {};
  if (bracket === undefined) return out;
  for (const part of bracket.slice(1, -1).split(',')) {
    const kv = /^\s*([a-z])\s*=\s*([^\s]+)\s*$/.exec(part);
    const field = knnKeys.find(([k]) => k === kv?.[1])?.[1];
    const value = kv === null ? NaN : Number(kv[2]);
    if (field === undefined) throw new RangeError(`policy '${spec}': expected ${knnKeys.map(([k]) => `${k}=<value>`).join(', ')} inside [], got '${part}'`);
    if (field in out) throw new RangeError(`policy '${spec}': ${kv![1]} given twice`);
    const whole = field === 'k' || field === 'window';
    const ok = whole ? Number.isInteger(value) && value >= 1 : field === 'varianceFactor' ? value > 0 && Number.isFinite(value) : field === 'mix' ? value >= 0 && value <= 1 : value > 0 && value <= 1;
    if (!ok) throw new RangeError(`policy '${spec}': ${kv![1]} must be ${whole ? 'a whole number >= 1' : field === 'mix' ? 'in [0, 1]' : field === 'varianceFactor' ? 'a positive number' : 'in (0, 1]'}, got '${kv![2]}'`);
    out[field] = value;
  }
  return out;
}

/**
 * A family from its spec: `cover`, `minmax`, `knn[k=..,w=..,m=..,a=..,b=..,v=..]/RS/exchange` (panel-knn.ts: k neighbours, window
 * of origins, mix weight of the pooled law, and the TSB constants of the item's own law), or `<model>[+count|+compound]/<RS|sS|sQ>/<fill|fill-avg|cycle|exchange>`
 * (model: auto, ses, tsb, sba, ma; `+count` gives a smoother a negative binomial / Poisson law instead of the
 * normal, `+compound` a compound Poisson of its observed sizes; fill-avg and exchange for RS only); a smoother's
 * model may carry its constants in brackets, `tsb[a=0.3,b=0.2,v=0.35]` (a: alpha, b: TSB's beta, v: the variance
 * factor, see demand-models.ts SmootherSettings; any subset, the rest the textbook ones); an optional `:a,b,c` sets
 * the knob's values. Throws a RangeError naming what is wrong.
 */
export function parsePolicySpec(spec: string): PolicyFamily {
  const parts = spec.split(':');
  if (parts.length > 2) throw new RangeError(`policy '${spec}': one ':' at most, before the settings`);
  const [name = '', values] = parts;
  const settings = values === undefined ? undefined : values.split(',').map((v) => (v.trim() === '' ? NaN : Number(v)));
  if (settings?.some((v) => !Number.isFinite(v) || v <= 0)) throw new RangeError(`policy '${spec}': settings must be positive numbers, separated by commas`);
  if (name === 'cover') return coverFamily(settings);
  if (name === 'minmax') return minmaxFamily(settings);
  const knn = /^knn(\[[^\]]*\])?\/RS\/exchange$/.exec(name);
  if (knn !== null) return knnFamily(knnSettingsOf(spec, knn[1]), settings);
  if (name.startsWith('knn')) throw new RangeError(`policy '${spec}': the knn model is for RS policies with the exchange measure: knn[k=..,w=..,m=..,a=..,b=..,v=..]/RS/exchange`);
  const m = /^([a-z]+)(\[[^\]]*\])?(\+count|\+compound)?\/(RS|sS|sQ)\/(fill|fill-avg|cycle|exchange)$/.exec(name);
  if (m === null || !(demandModelNames as readonly string[]).includes(m[1]!)) {
    throw new RangeError(`policy '${spec}': expected cover, minmax or <model>[a=..,b=..,v=..][+count|+compound]/<RS|sS|sQ>/<fill|fill-avg|cycle|exchange> with model one of ${demandModelNames.join(', ')}`);
  }
  const [, model, constants, lawPart, kind, measure] = m as unknown as [string, DemandModelName, string | undefined, string | undefined, PolicyKind, ServiceMeasure];
  const smoothing = constants === undefined ? undefined : smoothingOf(spec, model, constants);
  const law: LawName = lawPart === undefined ? 'normal' : (lawPart.slice(1) as LawName);
  if (measure !== 'exchange' && settings?.some((v) => !(v < 1))) throw new RangeError(`policy '${spec}': service targets must be in (0, 1)`);
  if ((measure === 'exchange' || measure === 'fill-avg') && kind !== 'RS') throw new RangeError(`policy '${spec}': the ${measure} measure is for RS policies`);
  if (model === 'auto' && law !== 'normal') throw new RangeError(`policy '${spec}': auto brings its own law (negative binomial, gamma or normal); +${law} is for the smoothers`);
  if (law === 'compound' && (kind !== 'RS' || measure === 'cycle')) throw new RangeError(`policy '${spec}': the compound law is for RS policies with fill or exchange`);
  return forecastFamily({ model, law, kind, measure, ...(smoothing ? { smoothing } : {}) }, settings);
}

/** The bracket of a spec naming a smoother's constants, e.g. [a=0.3,b=0.2,v=0.35]: what each model takes. */
const smoothingKeys: Record<DemandModelName, readonly string[]> = { auto: [], ses: ['a', 'v'], tsb: ['a', 'b', 'v'], sba: ['a', 'v'], ma: ['v'] };

function smoothingOf(spec: string, model: DemandModelName, bracket: string): SmootherSettings {
  const allowed = smoothingKeys[model];
  if (allowed.length === 0) throw new RangeError(`policy '${spec}': ${model} has no smoothing constants to set`);
  const out: Record<string, number> = {};
  for (const part of bracket.slice(1, -1).split(',')) {
    const kv = /^\s*([a-z])\s*=\s*([^\s]+)\s*$/.exec(part);
    const key = kv?.[1];
    const value = kv === null ? NaN : Number(kv[2]);
    if (key === undefined || !allowed.includes(key)) throw new RangeError(`policy '${spec}': expected ${allowed.map((k) => `${k}=<value>`).join(', ')} inside [], got '${part}'`);
    if (key in out) throw new RangeError(`policy '${spec}': ${key} given twice`);
    const ok = key === 'v' ? value > 0 && Number.isFinite(value) : value > 0 && value <= 1;
    if (!ok) throw new RangeError(`policy '${spec}': ${key} must be ${key === 'v' ? 'a positive number' : 'in (0, 1]'}, got '${kv![2]}'`);
    out[key] = value;
  }
  return { ...(out.a !== undefined ? { alpha: out.a } : {}), ...(out.b !== undefined ? { beta: out.b } : {}), ...(out.v !== undefined ? { varianceFactor: out.v } : {}) };
}

/** The constants as written in a family's name (a, b, v in that order), '' for the textbook ones. */
function smoothingLabel(s: SmootherSettings): string {
  const parts = [s.alpha !== undefined ? `a=${s.alpha}` : '', s.beta !== undefined ? `b=${s.beta}` : '', s.varianceFactor !== undefined ? `v=${s.varianceFactor}` : ''].filter((x) => x !== '');
  return parts.length === 0 ? '' : `[${parts.join(',')}]`;
}
