/**
 * runPanel on worker threads: items are independent, so the panel is cut into chunks, each worker runs its chunks
 * through the same families (rebuilt from their specs: functions do not cross threads), and the totals are merged
 * per family and setting. Per-item results come back in input order, so the output is the same as one thread's.
 *
 * This file is also the workers' entry (started by shared/workers.ts; each chunk message carries its job).
 */
import { isMainThread, parentPort, workerData, type Worker } from 'node:worker_threads';
import { spawnModuleWorker } from '../shared/workers.js';
import { parsePolicySpec, type PlanItem } from './policies.js';
import type { PanelLevels } from './panel-knn.js';
import { fitPanels, runPanel, sumResults, type RunOptions, type SettingResult } from './run.js';

interface Job {
  specs: string[];
  options: RunOptions;
  /** Per spec: what a family that pools the panel learnt from every item (fitted here, before the chunks). */
  panels: (PanelLevels | null | undefined)[];
}
type Request = { index: number; items: PlanItem[]; job: Job };
type Reply = { index: number; results: SettingResult[] } | { index: number; error: string };

export interface PoolOptions {
  /** Worker threads; 0 or 1 runs in this thread. */
  readonly threads: number;
  /** Told how many items each finished chunk held (a progress bar). */
  readonly onChunk?: (items: number) => void;
  /** No chunk is started after this many seconds: the results then cover only the items done. */
  readonly budgetSeconds?: number;
}

export interface PoolRun {
  readonly results: SettingResult[];
  readonly itemsDone: number;
  readonly complete: boolean;
}

/** Every family (by spec) x setting over every item, in chunks, on a pool started for this call. */
export async function runPanelOnThreads(items: readonly PlanItem[], specs: readonly string[], o: RunOptions, p: PoolOptions): Promise<PoolRun> {
  const pool = new SimulationPool(p.threads);
  try {
    return await pool.run(items, specs, o, p);
  } finally {
    pool.close();
  }
}

/**
 * Worker threads kept for several runs (a worker takes about half a second to start, which adds up over a
 * benchmark's families). Each chunk message carries its specs and options, so any run can use the same workers.
 */
export class SimulationPool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];

  constructor(readonly threads: number) {}

  async run(items: readonly PlanItem[], specs: readonly string[], o: RunOptions, p: Omit<PoolOptions, 'threads'> = {}): Promise<PoolRun> {
    const deadline = performance.now() + (p.budgetSeconds ?? Infinity) * 1000;
    // A per-order lead-time function cannot cross to another thread: such panels run here.
    const threads = items.some((i) => i.leadTimeOf !== undefined) ? 0 : this.threads;
    // Chunks cut the same way whatever the thread count, so totals are summed in the same order: the same bytes.
    const size = Math.max(1, Math.min(200, Math.ceil(items.length / 16)));
    const chunks: PlanItem[][] = [];
    for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
    // Families that pool the panel learn from every item once, here; the chunks only look their levels up. A fit
    // stopped by the budget leaves no item done.
    const panels = fitPanels(items, specs.map(parsePolicySpec), o, deadline);
    if (panels.some((p) => p === null)) return { results: runPanel([], specs.map(parsePolicySpec), o), itemsDone: 0, complete: false };
    const job: Job = { specs: [...specs], options: o, panels };
    const parts = threads > 1 && chunks.length > 1 ? await this.runChunks(job, chunks, Math.min(threads, chunks.length), deadline, p.onChunk) : await runHere(job, chunks, deadline, p.onChunk);
    const done = parts.filter((part) => part !== undefined);
    const itemsDone = parts.reduce((n, part, i) => n + (part === undefined ? 0 : chunks[i]!.length), 0);
    const results = done.length > 0 ? sumResults(done) : runPanel([], specs.map(parsePolicySpec), o);
    return { results, itemsDone, complete: itemsDone === items.length };
  }

  close(): void {
    for (const w of this.workers) void w.terminate();
    this.workers.length = 0;
    this.idle.length = 0;
  }

  private worker(): Worker {
    const w = this.idle.pop();
    if (w) {
      w.ref();
      return w;
    }
    const started = spawnModuleWorker(import.meta.url, { raincheckSimulationWorker: true });
    this.workers.push(started);
    return started;
  }

  private runChunks(job: Job, chunks: PlanItem[][], size: number, deadline: number, onChunk?: (items: number) => void): Promise<(SettingResult[] | undefined)[]> {
    return new Promise((resolve, reject) => {
      const used = Array.from({ length: size }, () => this.worker());
      const done: (SettingResult[] | undefined)[] = [];
      let next = 0;
      let inFlight = 0;
      const finish = (error?: Error) => {
        for (const w of used) w.removeAllListeners('message').removeAllListeners('error');
        if (error) {
          // A worker that failed may be half way through a chunk: start afresh next time.
          this.close();
          reject(error);
          return;
        }
        // Idle workers do not keep the process alive: a caller that forgets close() still exits.
        for (const w of used) w.unref();
        this.idle.push(...used);
        resolve(done);
      };
      const feed = (w: Worker) => {
        if (next < chunks.length && performance.now() <= deadline) {
          inFlight++;
          const items = chunks[next]!;
          w.postMessage({ index: next++, items, job: { ...job, panels: job.panels.map((p) => p && onlyFor(p, items)) } } satisfies Request);
        }
      };
      for (const w of used) {
        w.on('message', (reply: Reply) => {
          inFlight--;
          if ('error' in reply) return finish(new Error(reply.error));
          done[reply.index] = reply.results;
          onChunk?.(chunks[reply.index]!.length);
          feed(w);
          if (inFlight === 0) finish();
        });
        w.on('error', (e) => finish(e));
        // Two chunks in flight per worker, so it starts the next while its last result travels back.
        feed(w);
        feed(w);
      }
      if (inFlight === 0) finish(); // the budget was spent before the first chunk
    });
  }
}

/** A panel fit cut down to a chunk's items: a worker is sent only the levels it looks up. */
function onlyFor(p: PanelLevels, items: readonly PlanItem[]): PanelLevels {
  return { from: p.from, levels: new Map(items.flatMap((i) => (p.levels.has(i.id) ? [[i.id, p.levels.get(i.id)!] as const] : []))) };
}

async function runHere(job: Job, chunks: PlanItem[][], deadline: number, onChunk?: (items: number) => void): Promise<(SettingResult[] | undefined)[]> {
  const families = job.specs.map(parsePolicySpec);
  const parts: (SettingResult[] | undefined)[] = [];
  for (const chunk of chunks) {
    if (performance.now() > deadline) break;
    parts.push(runPanel(chunk, families, job.options, job.panels));
    onChunk?.(chunk.length);
    await new Promise((resolve) => setImmediate(resolve)); // lets a progress bar draw
  }
  return parts;
}

/** Worker side: run each chunk of items through its job's families and send the results back. */
function serve(): void {
  const port = parentPort!;
  port.on('message', (msg: Request) => {
    try {
      port.postMessage({ index: msg.index, results: runPanel(msg.items, msg.job.specs.map(parsePolicySpec), msg.job.options, msg.job.panels) } satisfies Reply);
    } catch (e) {
      port.postMessage({ index: msg.index, error: e instanceof Error ? (e.stack ?? e.message) : String(e) } satisfies Reply);
    }
  });
}

if (!isMainThread && (workerData as { raincheckSimulationWorker?: boolean } | null)?.raincheckSimulationWorker === true) serve();
