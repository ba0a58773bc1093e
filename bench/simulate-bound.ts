/**
 * `npm run bench -- simulate-bound [--carparts PATH]`: how far the simulator's carparts targets are from what knowing
 * each series' demand would allow. On the simulate bench's carparts protocol (1,849 series, monthly review, lead
 * time 1, policies from month 25, months 28-51 measured), the backordered units at 4 units on hand per series of:
 * - the rule of thumb (minmax) and TSB + normal (tsb/RS/fill), as in `npm run bench -- simulate`;
 * - `own-past`: an honest policy, each series' own empirical law of 1- and 2-month demand over all its past months
 *   at each review, levels by the exchange curve (one rate for all series);
 * - `oracle`: NOT a policy: the same, but from the law of all 51 months, the 24 measured ones included. It knows
 *   each series' demand distribution (not the order of its months), so it bounds what any forecaster of a series'
 *   law could buy with exchange-curve levels.
 * Each curve is read at 4 units per series by linear interpolation between its two settings around it. Last line
 * JSON. Single thread, about a minute.
 */
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { simulateItem, type Decide } from '../src/simulation/engine.js';
import { exchangeScan } from '../src/simulation/exchange.js';
import { parsePolicySpec, type PlanItem } from '../src/simulation/policies.js';
import { linearAt } from '../src/shared/interpolate.js';
import { carpartsItems } from './lib/simulate-data.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ON_HAND = 4;
const run = { start: 24, measureFrom: 27, review: 1 };
const rates = Array.from({ length: 48 }, (_, j) => 0.3 * 0.85 ** j);

interface Point {
  setting: number;
  onHandPerSeries: number;
  shortUnits: number;
  demandUnits: number;
}

/** Each setting's totals over the panel. */
function sweep(items: readonly PlanItem[], settings: readonly number[], decide: (item: PlanItem, setting: number) => Decide): Point[] {
  const measured = items[0]!.demand.length - run.measureFrom;
  return settings.map((setting) => {
    const p = { setting, onHandPerSeries: 0, shortUnits: 0, demandUnits: 0 };
    for (const item of items) {
      const r = simulateItem(item, decide(item, setting), run);
      p.onHandPerSeries += r.onHandSum / measured / items.length;
      p.shortUnits += r.shortUnits;
      p.demandUnits += r.demandUnits;
    }
    return p;
  });
}

/** Exchange-curve order-up-to levels (one per rate) from an empirical law of 1- and 2-period demand. */
function levelsFrom(y: ArrayLike<number>, from: number, to: number): number[] {
  const one: number[] = [];
  const two: number[] = [];
  const v = (t: number) => (y[t]! > 0 ? y[t]! : 0);
  for (let t = from; t < to; t++) {
    one.push(v(t));
    if (t + 1 < to) two.push(v(t) + v(t + 1));
  }
  if (two.length === 0) return rates.map(() => 0);
  const above = (xs: number[], S: number) => xs.filter((x) => x > S).length / xs.length;
  // Fill gained by S -> S + 1 per review: P(D_{L+R} > S) - P(D_L > S); held: P(D_{L+R} <= S) (exchange.ts).
  return exchangeScan((S) => above(two, S) - above(one, S), (S) => 1 - above(two, S), 1, Math.max(...two) + 1, rates, 1);
}

const oracle = (item: PlanItem, setting: number): Decide => {
  const S = levelsFrom(item.demand, 0, item.demand.length)[rates.indexOf(setting)]!;
  return () => ({ kind: 'RS', orderUpTo: S });
};

const ownPast = (item: PlanItem, setting: number): Decide => {
  const k = rates.indexOf(setting);
  return (history) => ({ kind: 'RS', orderUpTo: levelsFrom(history, 0, history.length)[k]! });
};

export async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { carparts: { type: 'string', default: resolve(root, '../shared/data/carparts/carparts.csv') } } });
  const panel = carpartsItems(resolve(values.carparts!));
  if (panel === null) throw new Error(`no carparts file at ${values.carparts}`);
  const items = panel.items;
  const ctx = { review: 1, periodsPerYear: 12 };
  const family = (spec: string) => {
    const f = parsePolicySpec(spec);
    const prepared = new Map(items.map((item) => [item.id, f.prepare(item, ctx)]));
    return [f.settings, (item: PlanItem, setting: number) => prepared.get(item.id)!(setting)] as const;
  };
  const curves: Record<string, Point[]> = {
    minmax: sweep(items, ...family('minmax')),
    'tsb/RS/fill': sweep(items, ...family('tsb/RS/fill')),
    'own-past': sweep(items, rates, ownPast),
    oracle: sweep(items, rates, oracle),
  };
  const at = (name: string) => linearAt(curves[name]!.map((p) => [p.onHandPerSeries, p.shortUnits] as const), ON_HAND);
  for (const [name, points] of Object.entries(curves)) {
    const reached = points.map((p) => `${p.onHandPerSeries.toFixed(2)}:${p.shortUnits}`).join(' ');
    console.log(`${name.padEnd(12)} backordered units at ${ON_HAND} on hand per series: ${at(name)?.toFixed(0) ?? 'n/a'}   (on hand:backordered ${reached})`);
  }
  const rule = at('minmax');
  const tsb = at('tsb/RS/fill');
  const less = (name: string, than: number | null) => {
    const x = at(name);
    return x === null || than === null ? null : Number((1 - x / than).toFixed(3));
  };
  console.log(
    JSON.stringify({
      series: items.length,
      on_hand_per_series: ON_HAND,
      backordered_rule: rule === null ? null : Math.round(rule),
      backordered_tsb: tsb === null ? null : Math.round(tsb),
      own_past_reduction_vs_rule: less('own-past', rule),
      oracle_reduction_vs_rule: less('oracle', rule),
      oracle_reduction_vs_tsb: less('oracle', tsb),
    }),
  );
}
