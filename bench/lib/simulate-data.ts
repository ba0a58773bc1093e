/**
 * The simulator benchmark's panels as items with economics (src/simulation/policies.ts PlanItem):
 *
 * - carparts: forecast-data.ts's complete series, only those with at least 2 non-zero months in months 1-24 (the
 *   history every policy starts from: a part never sold before month 25 gives no rule anything to work with);
 *   lead time 1 month; no costs in the data, so unit cost 1 and plan's default order and holding costs.
 * - MAN weekly: each SKU's own lead time (weeks), unit cost, fixed order cost, holding cost per unit-year and MOQ,
 *   found by their header names (forecast-data.ts's readMan keeps only the lead time). All 3,451 SKUs; the bench
 *   also reads the ones with the carparts protocol's history (run.ts hasHistory: >= 2 non-zero weeks in weeks 1-52).
 */
import { existsSync, readFileSync } from 'node:fs';
import { planDefaults } from '../../src/demand-files/plan-rows.js';
import type { PlanItem } from '../../src/simulation/policies.js';
import { hasHistory } from '../../src/simulation/run.js';
import { readCarparts } from './forecast-data.js';

export interface ItemPanel {
  readonly name: string;
  readonly items: PlanItem[];
  /** Series in the file before the selection. */
  readonly read: number;
}

/** carparts.csv as items (see the file comment); null when the file is absent. */
export function carpartsItems(path: string, historyMonths = 24, minNonZero = 2): ItemPanel | null {
  const panel = readCarparts(path);
  if (panel === null) return null;
  const items: PlanItem[] = [];
  panel.series.forEach((y, k) => {
    if (!hasHistory(y, historyMonths, minNonZero)) return;
    items.push({
      id: panel.ids[k]!,
      demand: y,
      leadTime: 1,
      unitCost: 1,
      orderCost: planDefaults.orderCost,
      holdingCostPerYear: planDefaults.holdingRate,
    });
  });
  return { name: 'carparts', items, read: panel.series.length };
}

const manColumns = ['sku', 'cost_price_eur', 'fixed_order_cost_eur', 'holding_cost_eur_per_unit_year', 'lead_time_weeks', 'min_order_qty'] as const;

/** man_weekly.csv as items with their own lead time, costs and MOQ; null when the file is absent. */
export function manItems(path: string): ItemPanel | null {
  if (!existsSync(path)) return null;
  const [header = '', ...lines] = readFileSync(path, 'utf8').split('\n');
  const names = header.split(',').map((s) => s.trim());
  const at = Object.fromEntries(manColumns.map((c) => [c, names.indexOf(c)])) as Record<(typeof manColumns)[number], number>;
  const missing = manColumns.filter((c) => at[c] < 0);
  if (missing.length > 0) throw new Error(`${path}: no column ${missing.join(', ')}`);
  // Weekly quantities: every column named like 2012-W01.
  const weeks = names.flatMap((n, i) => (/^\d{4}-W\d{2}$/.test(n) ? [i] : []));
  const items: PlanItem[] = [];
  for (const line of lines) {
    if (line.trim() === '') continue;
    const cells = line.split(',');
    const num = (i: number) => Number(cells[i]);
    items.push({
      id: cells[at.sku]!,
      demand: Float64Array.from(weeks, (i) => (cells[i]!.trim() === '' ? NaN : Number(cells[i]))),
      leadTime: num(at.lead_time_weeks),
      unitCost: num(at.cost_price_eur),
      orderCost: num(at.fixed_order_cost_eur),
      holdingCostPerYear: num(at.holding_cost_eur_per_unit_year),
      minOrder: num(at.min_order_qty),
    });
  }
  return { name: 'man', items, read: items.length };
}
