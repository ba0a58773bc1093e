/**
 * The load generator as seen from the benchmark: a forked child process (load-worker.ts, run through tsx) holding
 * the request bodies, so the client's CPU is a separate process from the server measured here.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';

export interface LoadSpec {
  port: number;
  path: string;
  concurrency: number;
  warmupMs: number;
  durationMs: number;
  /** Sent with every request, e.g. the API key's Authorization. */
  headers?: Record<string, string>;
  /** Several servers: connection i sends to ports[i % ports.length] (`port` is then ignored). */
  ports?: number[];
}

export interface LoadResult {
  /** Successful (2xx) answers completed inside the measured window. */
  requests: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Non-2xx answers and transport errors inside the window. */
  errors: number;
  statuses: Record<string, number>;
  /** Successful answers completed in each second of the window (a falling series means intake slows as data grows). */
  bySecond: number[];
  /** CPU the load generator used, as % of one core, over the window. */
  clientCpuPct: number;
  firstError?: string;
}

export interface MeasuredLoad extends LoadResult {
  /** CPU this (server) process used, as % of one core, over warm-up + window. */
  serverCpuPct: number;
  /** Busy % of the whole machine (all cores) over warm-up + window: other work here makes numbers noisy. */
  machineBusyPct: number;
}

export type WorkerMessage =
  | { type: 'bodies'; bodies: string[] }
  | { type: 'run'; spec: LoadSpec; restart: boolean }
  | { type: 'exit' };

type Reply = { type: 'ready' } | { type: 'result'; result: LoadResult } | { type: 'failed'; message: string };

function machineTimes(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const c of cpus()) {
    const t = c.times.user + c.times.nice + c.times.sys + c.times.irq + c.times.idle;
    total += t;
    busy += t - c.times.idle;
  }
  return { busy, total };
}

export class LoadGenerator {
  private constructor(private readonly child: ChildProcess) {}

  /** Forks the worker and hands it the bodies it will send, in order, round-robin. */
  static async start(bodies: string[]): Promise<LoadGenerator> {
    const worker = fileURLToPath(new URL('./load-worker.ts', import.meta.url));
    const child = fork(worker, [], { execArgv: ['--import', import.meta.resolve('tsx')], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const gen = new LoadGenerator(child);
    await gen.request({ type: 'bodies', bodies });
    return gen;
  }

  private request(msg: WorkerMessage): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`load generator exited (${code}) before answering`));
      this.child.once('exit', onExit);
      this.child.once('message', (reply: Reply) => {
        this.child.off('exit', onExit);
        if (reply.type === 'failed') reject(new Error(`load generator failed: ${reply.message}`));
        else resolve(reply);
      });
      this.child.send(msg);
    });
  }

  /** Runs one warm-up + measured window against a listening server. `restart` sends bodies from the first again. */
  async run(spec: LoadSpec, restart = false): Promise<MeasuredLoad> {
    const cpu0 = process.cpuUsage();
    const m0 = machineTimes();
    const t0 = performance.now();
    const reply = await this.request({ type: 'run', spec, restart });
    if (reply.type !== 'result') throw new Error(`unexpected reply ${reply.type}`);
    const wall = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const m1 = machineTimes();
    return {
      ...reply.result,
      serverCpuPct: (100 * (cpu.user + cpu.system)) / 1000 / wall,
      machineBusyPct: m1.total > m0.total ? (100 * (m1.busy - m0.busy)) / (m1.total - m0.total) : NaN,
    };
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.send({ type: 'exit' });
    await exited;
  }
}
