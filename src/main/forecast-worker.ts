/**
 * Runs `forecast` and `plan` over chunks of series, either in this thread or on a pool of worker threads (one per
 * core), and hands the chunks' CSV text back in input order, so both paths write the same bytes.
 *
 * This file is also the worker's entry: loaded in a worker thread with a job in `workerData`, it answers chunk
 * messages (shared/workers.ts starts it, through tsx when it is a .ts file).
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { isMainThread, parentPort, workerData, type Worker } from 'node:worker_threads';
import { spawnModuleWorker } from '../shared/workers.js';
import { forecastChunk, projectForecaster, type ForecastSettings } from '../demand-files/forecast-rows.js';
import { planChunk, type ChunkResult, type PlanSettings } from '../demand-files/plan-rows.js';
import type { DemandSeries } from '../demand-files/types.js';

export type Job = { kind: 'forecast'; settings: ForecastSettings } | { kind: 'plan'; settings: PlanSettings };

type Reply = { index: number; result: ChunkResult } | { index: number; error: string };

/**
 * Runs the job over the chunks on `threads` workers (0: in this thread), calling `onChunk` once per chunk in input
 * order. Rejects with the first error a chunk throws.
 */
export async function runJob(job: Job, chunks: DemandSeries[][], threads: number, onChunk: (r: ChunkResult) => void): Promise<void> {
  if (threads <= 0) {
    const run = chunkRunner(job);
    for (const chunk of chunks) {
      onChunk(run(chunk));
      // Lets the progress bar's timer draw between chunks.
      await yieldToEventLoop();
    }
    return;
  }
  await runOnPool(job, chunks, Math.min(threads, chunks.length), onChunk);
}

/** Splits the series into chunks small enough to keep every worker busy to the end, large enough to be cheap. */
export function chunkSeries(series: readonly DemandSeries[], threads: number): DemandSeries[][] {
  const size = Math.max(10, Math.min(500, Math.ceil(series.length / (Math.max(1, threads) * 8))));
  const chunks: DemandSeries[][] = [];
  for (let i = 0; i < series.length; i += size) chunks.push(series.slice(i, i + size));
  return chunks;
}

/** The function that turns one chunk into CSV rows for this job. */
function chunkRunner(job: Job): (chunk: DemandSeries[]) => ChunkResult {
  if (job.kind === 'plan') return (chunk) => planChunk(chunk, job.settings);
  return (chunk) => forecastChunk(chunk, job.settings, projectForecaster);
}

function runOnPool(job: Job, chunks: DemandSeries[][], size: number, onChunk: (r: ChunkResult) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const workers: Worker[] = [];
    const done: (ChunkResult | undefined)[] = [];
    let next = 0;
    let flushed = 0;
    const stop = (error?: Error) => {
      for (const w of workers) void w.terminate();
      if (error) reject(error);
      else resolve();
    };
    const feed = (w: Worker) => {
      if (next < chunks.length) w.postMessage({ index: next, series: chunks[next++] });
    };
    const onReply = (w: Worker, reply: Reply) => {
      if ('error' in reply) return stop(new Error(reply.error));
      done[reply.index] = reply.result;
      // Results come back in any order; hand them on in input order.
      while (flushed < chunks.length && done[flushed] !== undefined) {
        onChunk(done[flushed]!);
        done[flushed++] = undefined;
      }
      if (flushed === chunks.length) return stop();
      feed(w);
    };
    for (let i = 0; i < size; i++) {
      const w = spawnWorker(job);
      workers.push(w);
      w.on('message', (reply: Reply) => onReply(w, reply));
      w.on('error', (e) => stop(e));
      // Two chunks in flight per worker, so it starts the next while its last result travels back.
      feed(w);
      feed(w);
    }
  });
}

function spawnWorker(job: Job): Worker {
  return spawnModuleWorker(import.meta.url, { raincheckJob: job });
}

/** Worker side: answer each chunk message with its CSV rows, or with the error it threw. */
function serveChunks(job: Job): void {
  const port = parentPort!;
  const run = chunkRunner(job);
  port.on('message', (msg: { index: number; series: DemandSeries[] }) => {
    try {
      port.postMessage({ index: msg.index, result: run(msg.series) } satisfies Reply);
    } catch (e) {
      port.postMessage({ index: msg.index, error: e instanceof Error ? (e.stack ?? e.message) : String(e) } satisfies Reply);
    }
  });
}

const job = isMainThread ? undefined : (workerData as { raincheckJob?: Job } | null)?.raincheckJob;
if (job !== undefined) serveChunks(job);
