/** The Pareto of root causes: per slice, causes by units (then count), each with its share and the running share. */
import { groupBy } from '../shared/group.js';
import type { Cause } from './domain.js';

export interface CauseCount {
  slice: string;
  cause: Cause | 'unattributed';
  count: number;
  units: number;
}

export interface ParetoRow extends CauseCount {
  shareOfUnits: number;
  shareOfCount: number;
  /** Share of the slice's units covered by this cause and every cause above it. */
  cumulativeUnits: number;
}

export function pareto(counts: readonly CauseCount[]): ParetoRow[] {
  const bySlice = groupBy(counts, (c) => c.slice);
  const out: ParetoRow[] = [];
  for (const slice of [...bySlice.keys()].sort()) {
    const rows = bySlice.get(slice)!.sort((a, b) => b.units - a.units || b.count - a.count || a.cause.localeCompare(b.cause));
    const units = rows.reduce((s, r) => s + r.units, 0);
    const count = rows.reduce((s, r) => s + r.count, 0);
    let running = 0;
    for (const r of rows) {
      running += r.units;
      out.push({ ...r, shareOfUnits: units > 0 ? r.units / units : 0, shareOfCount: count > 0 ? r.count / count : 0, cumulativeUnits: units > 0 ? running / units : 0 });
    }
  }
  return out;
}
