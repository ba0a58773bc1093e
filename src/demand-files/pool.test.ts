import { describe, expect, it } from 'vitest';
import { chunkSeries, runJob, type Job } from '../main/forecast-worker.js';
import { planDefaults } from './plan-rows.js';
import type { DemandSeries } from './types.js';

const series: DemandSeries[] = Array.from({ length: 300 }, (_, i) => ({
  id: `S${i}`,
  values: Float64Array.from({ length: 24 }, (_, t) => ((i * 31 + t * 17) % 11 < 4 ? 0 : (i + t) % 9)),
  attributes: i % 3 === 0 ? { lead_time: 1 + (i % 5), order_cost: 20 } : {},
}));
const target = { measure: 'fill-rate', level: 0.9 } as const;
const job: Job = { kind: 'plan', settings: { policy: 'sS', review: 1, target, periodsPerYear: 12, defaults: planDefaults, demand: { source: 'forecast', method: 'auto' } } };

async function run(threads: number): Promise<string> {
  let text = '';
  await runJob(job, chunkSeries(series, threads), threads, (r) => (text += r.text));
  return text;
}

describe('the worker pool', () => {
  it('gives the same rows, in the same order, as the main thread', async () => {
    const single = await run(0);
    expect(single.split('\n')).toHaveLength(301);
    expect(await run(2)).toBe(single);
  }, 30_000);

  it('splits series into chunks that cover each once, in order', () => {
    const chunks = chunkSeries(series, 4);
    expect(chunks.length).toBeGreaterThan(4);
    expect(chunks.flat().map((s) => s.id)).toEqual(series.map((s) => s.id));
  });
});
