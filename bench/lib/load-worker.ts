/**
 * The load generator's child process (forked by load.ts, so its CPU never competes with the server's event loop):
 * N keep-alive connections, each sending the next body as soon as its previous answer is read, for a warm-up and
 * then a measured window. Only answers that complete inside the window count.
 */
import http from 'node:http';
import type { LoadResult, LoadSpec, WorkerMessage } from './load.js';

let bodies: Buffer[] = [];
let cursor = 0;

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

async function run(spec: LoadSpec): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: spec.concurrency, keepAliveMsecs: 60_000 });
  const start = performance.now();
  const measureFrom = start + spec.warmupMs;
  const measureTo = measureFrom + spec.durationMs;
  let latencies = new Float64Array(1 << 16);
  let count = 0;
  let errors = 0;
  let firstError: string | undefined;
  const statuses: Record<string, number> = {};
  const bySecond = new Array<number>(Math.ceil(spec.durationMs / 1000)).fill(0);
  let cpuAtStart: NodeJS.CpuUsage | null = null;

  const post = (body: Buffer, port: number) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = http.request(
        { agent, host: '127.0.0.1', port, path: spec.path, method: 'POST', headers: { ...spec.headers, 'content-type': 'application/json', 'content-length': body.length } },
        (res) => {
          const status = res.statusCode ?? 0;
          const keep = status >= 300 && firstError === undefined;
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => void (keep && text.length < 2000 && (text += chunk)));
          res.on('end', () => resolve({ status, text }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });

  const user = async (_: unknown, i: number) => {
    const port = spec.ports ? spec.ports[i % spec.ports.length]! : spec.port;
    for (let t0 = performance.now(); t0 < measureTo; t0 = performance.now()) {
      if (cpuAtStart === null && t0 >= measureFrom) cpuAtStart = process.cpuUsage();
      const body = bodies[cursor++ % bodies.length]!;
      let status = 0;
      try {
        const answer = await post(body, port);
        status = answer.status;
        if (status >= 300 && firstError === undefined) firstError = `HTTP ${status}: ${answer.text}`;
      } catch (e) {
        if (firstError === undefined) firstError = String(e);
      }
      const t1 = performance.now();
      if (t0 < measureFrom || t1 > measureTo) continue;
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status < 200 || status >= 300) {
        errors++;
        continue;
      }
      if (count === latencies.length) {
        const bigger = new Float64Array(latencies.length * 2);
        bigger.set(latencies);
        latencies = bigger;
      }
      latencies[count++] = t1 - t0;
      bySecond[Math.floor((t1 - measureFrom) / 1000)]! += 1;
    }
  };
  await Promise.all(Array.from({ length: spec.concurrency }, user));
  const cpu = process.cpuUsage(cpuAtStart ?? undefined);
  agent.destroy();
  const sorted = latencies.slice(0, count).sort();
  return {
    requests: count,
    perSecond: count / (spec.durationMs / 1000),
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    errors,
    statuses,
    bySecond,
    clientCpuPct: (100 * (cpu.user + cpu.system)) / 1000 / spec.durationMs,
    ...(firstError === undefined ? {} : { firstError }),
  };
}

process.on('message', (msg: WorkerMessage) => {
  if (msg.type === 'bodies') {
    bodies = msg.bodies.map((b) => Buffer.from(b));
    cursor = 0;
    process.send!({ type: 'ready' });
  } else if (msg.type === 'run') {
    if (msg.restart) cursor = 0;
    run(msg.spec).then(
      (result) => process.send!({ type: 'result', result }),
      (e: unknown) => process.send!({ type: 'failed', message: String((e as Error).stack ?? e) }),
    );
  } else if (msg.type === 'exit') {
    process.exit(0);
  }
});
