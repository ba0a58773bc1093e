/**
 * What planning reads about launches (launch.ts): when each recently listed SKU had its first order, which listed
 * SKUs have not had one yet, and the first weeks of the recent launches they are compared with.
 */
import type { Tx } from '../db/connect.js';
import type { DemandRow } from './demand.js';
import { demandRows } from './history.js';
import { launchAnalogs, launchSettings, type LaunchEstimate, type LaunchSample } from './launch.js';
import { shiftDay } from './periods.js';
import * as repo from './repository.js';

export interface Launches {
  /** The day of the first order of each SKU listed inside the window (or lately) that has had one. */
  launchedOn: ReadonlyMap<string, string>;
  /** Per SKU listed lately and never ordered, per warehouse: its demand from the launches like it (none: too few). */
  upcoming: ReadonlyMap<string, ReadonlyMap<string, LaunchEstimate>>;
}

export interface LaunchQuery {
  /** The demand window (ISO days) and today. */
  from: string;
  to: string;
  today: string;
  /** The clock's time: SKUs listed later are not known yet (a replay lists its whole catalogue up front). */
  now: string;
  /** The SKUs asked about (undefined: all). */
  skuIds: readonly string[] | undefined;
  warehouseIds: readonly string[];
  /** Whether to estimate the upcoming launches at all (a shortage check or a rule of thumb does not). */
  estimate: boolean;
  /** The window's demand rows of every SKU, when the caller read them all already. */
  allRows: readonly DemandRow[] | undefined;
}

export async function readLaunches(db: Tx, q: LaunchQuery): Promise<Launches> {
  const recently = shiftDay(q.today, -launchSettings.listedWithinDays);
  const since = recently < q.from ? recently : q.from;
  const listed = await repo.skusListedBetween(db, `${since}T00:00:00.000Z`, q.now, q.skuIds === undefined ? {} : { skuIds: q.skuIds });
  const launchedOn = new Map(listed.flatMap((s) => (s.firstOrderDay === undefined ? [] : [[s.id, s.firstOrderDay] as const])));
  const waiting = q.estimate ? listed.filter((s) => s.firstOrderDay === undefined && !s.discontinued && s.listedAt.slice(0, 10) >= recently) : [];
  const upcoming = new Map<string, Map<string, LaunchEstimate>>();
  if (waiting.length === 0) return { launchedOn, upcoming };
  const samples = await launchSamples(db, q, q.skuIds === undefined ? listed : await repo.skusListedBetween(db, `${since}T00:00:00.000Z`, q.now, {}));
  const analogs = launchAnalogs(samples);
  for (const s of waiting) {
    const byWarehouse = new Map<string, LaunchEstimate>();
    for (const w of q.warehouseIds) {
      const e = analogs.estimate(s.unitCostMinor, w);
      if (e !== null && e.dailyMean > 0) byWarehouse.set(w, e);
    }
    if (byWarehouse.size > 0) upcoming.set(s.id, byWarehouse);
  }
  return { launchedOn, upcoming };
}

/** The launches inside the window whose first `firstDays` days are known, with their units and lines per warehouse. */
async function launchSamples(db: Tx, q: LaunchQuery, listed: readonly repo.ListedSku[]): Promise<LaunchSample[]> {
  const lastStart = shiftDay(q.to, 1 - launchSettings.firstDays);
  const launched = listed.filter((s) => s.firstOrderDay !== undefined && s.firstOrderDay >= q.from && s.firstOrderDay <= lastStart);
  if (launched.length === 0) return [];
  const rowsOf = bySku(q.allRows ?? (await demandRows(db, q.from, q.to, launched.length > 500 ? {} : { skuIds: launched.map((s) => s.id) })));
  return launched.map((s) => {
    const first = s.firstOrderDay!;
    const until = shiftDay(first, launchSettings.firstDays - 1);
    const byWarehouse = new Map<string, { units: number; lines: number }>();
    for (const r of rowsOf.get(s.id) ?? []) {
      if (r.day < first || r.day > until) continue;
      const w = byWarehouse.get(r.warehouseId) ?? { units: 0, lines: 0 };
      byWarehouse.set(r.warehouseId, { units: w.units + r.quantity, lines: w.lines + r.lines });
    }
    return { skuId: s.id, unitCostMinor: s.unitCostMinor, byWarehouse };
  });
}

/** Demand rows by SKU. */
function bySku(rows: readonly DemandRow[]): Map<string, DemandRow[]> {
  const out = new Map<string, DemandRow[]>();
  for (const r of rows) (out.get(r.skuId) ?? out.set(r.skuId, []).get(r.skuId)!).push(r);
  return out;
}
