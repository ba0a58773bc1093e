/** The simulator on worker threads gives what one thread gives: the same totals, the same per-item results in order. */
import { describe, expect, it } from 'vitest';
import { parsePolicySpec, type PlanItem } from './policies.js';
import { runPanelOnThreads, SimulationPool } from './pool.js';
import { runPanel, type RunOptions } from './run.js';

function items(count: number): PlanItem[] {
  let seed = 7;
  const next = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  return Array.from({ length: count }, (_, i) => ({
    id: `S${i}`,
    demand: Float64Array.from({ length: 40 }, () => (next() < 0.4 ? 1 + Math.floor(next() * 6) : 0)),
    leadTime: i % 3,
    unitCost: 1 + (i % 5),
    orderCost: 10,
    holdingCostPerYear: 0.25,
    packSize: 1 + (i % 2),
  }));
}

const o: RunOptions = { start: 20, measureFrom: 23, review: 1, periodsPerYear: 12, keepItems: true };
const specs = ['cover:2,4', 'tsb/RS/fill:0.8,0.95', 'auto/RS/fill:0.9'];

describe('the simulator on worker threads', () => {
  it('equals one thread: totals per family and setting, per-item results in input order', async () => {
    const panel = items(60);
    const one = runPanel(panel, specs.map(parsePolicySpec), o);
    const run = await runPanelOnThreads(panel, specs, o, { threads: 2 });
    expect(run.complete).toBe(true);
    expect(run.itemsDone).toBe(60);
    // Per-item results exactly; totals up to the order of summing money (chunks add up in a different order).
    expect(run.results.map((r) => [r.family, r.setting, r.items])).toEqual(one.map((r) => [r.family, r.setting, r.items]));
    run.results.forEach((r, k) => {
      for (const [key, value] of Object.entries(r.totals)) {
        const expected = one[k]!.totals[key as keyof typeof r.totals];
        if (typeof value === 'number') expect(value, `${r.family} ${r.setting} ${key}`).toBeCloseTo(expected as number, 9);
        else expect(value, key).toEqual(expected);
      }
    });
  }, 60_000);

  it('a family that pools the panel (knn) is fitted on every item once: threads equal one thread', async () => {
    const panel = items(48).map((i) => ({ ...i, packSize: 1 }));
    const pooled = ['knn/RS/exchange:0.05,0.005'];
    const one = runPanel(panel, pooled.map(parsePolicySpec), o);
    const run = await runPanelOnThreads(panel, pooled, o, { threads: 2 });
    expect(run.results.map((r) => [r.setting, r.items])).toEqual(one.map((r) => [r.setting, r.items]));
    // Its fit counts against the budget: none left, no item done.
    const stopped = await runPanelOnThreads(panel, pooled, o, { threads: 2, budgetSeconds: 0 });
    expect([stopped.complete, stopped.itemsDone, stopped.results[0]!.totals.items]).toEqual([false, 0, 0]);
  }, 60_000);

  it('keeps its workers between runs, and a budget of zero starts no chunk', async () => {
    const pool = new SimulationPool(2);
    try {
      const panel = items(30);
      const first = await pool.run(panel, ['cover:3'], o);
      const second = await pool.run(panel, ['cover:3'], o);
      expect(second.results).toEqual(first.results);
      const none = await pool.run(panel, ['cover:3'], o, { budgetSeconds: 0 });
      expect(none.complete).toBe(false);
      expect(none.itemsDone).toBe(0);
      expect(none.results[0]!.totals.items).toBe(0);
    } finally {
      pool.close();
    }
  }, 60_000);
});
