import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { afterAll, expect, it } from 'vitest';
import { readDemandFile } from './read.js';

const dir = mkdtempSync(join(tmpdir(), 'raincheck-orders-mem-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const LINES = 1_000_000;
const SKUS = 2_000;

/** A million order lines over 2,000 SKUs and one year, about 90 MB, written in blocks to keep this process small. */
async function writeOrders(path: string): Promise<number> {
  let units = 0;
  const out = createWriteStream(path);
  out.write('invoice,stock_code,description,quantity,invoice_date,unit_price,customer_id,country\n');
  for (let block = 0; block < LINES / 10_000; block++) {
    let text = '';
    for (let i = block * 10_000; i < (block + 1) * 10_000; i++) {
      const day = Math.floor((i / LINES) * 365);
      const date = new Date(Date.UTC(2010, 0, 1 + day)).toISOString().slice(0, 10);
      units += 1 + (i % 12);
      text += `${500000 + (i >> 3)},SKU${(i * 7919) % SKUS},"GLASS BALL, RED ${i % 97}",${1 + (i % 12)},${date} 10:${String(i % 60).padStart(2, '0')}:00,2.55,${13000 + (i % 4000)},United Kingdom\n`;
    }
    if (!out.write(text)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return units;
}

it('aggregates a million order lines while the heap stays far below the file size', async () => {
  const path = join(dir, 'orders.csv');
  const units = await writeOrders(path);
  const fileBytes = statSync(path).size;
  const before = process.memoryUsage().heapUsed;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 10);
  const started = performance.now();
  const result = await readDemandFile(path, { grain: 'week' });
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  const seconds = (performance.now() - started) / 1000;
  if (!result.ok) throw new Error(result.error.message);
  expect(result.value.linesRead).toBe(LINES);
  expect(result.value.series).toHaveLength(SKUS);
  const total = result.value.series.reduce((sum, s) => sum + s.values.reduce((a, v) => a + (v > 0 ? v : 0), 0), 0);
  expect(total).toBe(units);
  const grownMb = (peak - before) / 1e6;
  console.log(`1e6 order lines (${(fileBytes / 1e6).toFixed(0)} MB) in ${seconds.toFixed(1)} s, heap grew at most ${grownMb.toFixed(0)} MB`);
  // Loading the file whole would take more heap than its size; streaming keeps one block of lines plus the totals.
  expect(peak - before).toBeLessThan(Math.min(64e6, fileBytes / 2));
}, 30_000);
