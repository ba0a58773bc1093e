/**
 * A real `raincheck serve` process for end-to-end tests: spawned on a store URL with `--port 0`, ready once it
 * prints its API address, stopped with SIGTERM (SIGKILL if it does not go). Its stderr is kept so a failure can
 * show what the server said.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** The admin key every test server is started with (RAINCHECK_ADMIN_KEY); RecordingClient sends it. */
export const testAdminKey = 'rck_7e57000000000001_' + 'T'.repeat(43);
const keptStderrChars = 64 * 1024;

export interface StopResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** True when the process ignored SIGTERM and had to be killed. */
  forced: boolean;
}

export interface ServerProcess {
  /** e.g. `http://127.0.0.1:41234` (no trailing slash). */
  baseUrl: string;
  pid: number;
  /** What the server printed on stdout up to and including its API line (and the lines that came with it). */
  banner: string;
  /** Everything the server wrote to stderr so far (the last 64 KiB). */
  stderr(): string;
  stop(): Promise<StopResult>;
}

export interface StartOptions {
  /** How long to wait for the API line; generous because tsx compiles on first start and the machine is shared. */
  timeoutMs?: number;
  /** Extra environment for the server (LOG_LEVEL defaults to `warn` so errors still show). */
  env?: Record<string, string>;
  /** More `serve` arguments, e.g. `['--demo']`. */
  args?: string[];
}

const running = new Set<ChildProcess>();
// A crashed test run must not leave servers behind.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** Spawns `node --import tsx src/main/cli.ts --database <url> serve --port 0` and resolves once it listens. */
export function startServer(databaseUrl: string, options: StartOptions = {}): Promise<ServerProcess> {
  const timeoutMs = options.timeoutMs ?? 45_000;
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/main/cli.ts', '--database', databaseUrl, 'serve', '--port', '0', '--host', '127.0.0.1', ...(options.args ?? [])],
    { cwd: repoRoot, env: { ...process.env, LOG_LEVEL: 'warn', RAINCHECK_ADMIN_KEY: testAdminKey, RAINCHECK_RATE_LIMIT: '0', ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  running.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-keptStderrChars);
  });
  child.once('exit', () => running.delete(child));

  const stop = async (): Promise<StopResult> => {
    if (child.exitCode !== null || child.signalCode !== null) return { ...(await exited(child)), forced: false };
    child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), 5_000);
    });
    const first = await Promise.race([exited(child), late]);
    clearTimeout(timer);
    if (first !== 'late') return { ...first, forced: false };
    child.kill('SIGKILL');
    return { ...(await exited(child)), forced: true };
  };

  return new Promise<ServerProcess>((resolve, reject) => {
    const fail = (why: string) => {
      cleanup();
      child.kill('SIGKILL');
      reject(new Error(`raincheck serve on ${databaseUrl} ${why}\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr.slice(-8000)}`));
    };
    const onData = (chunk: string) => {
      stdout += chunk;
      const match = /^\s*API:\s+(http:\/\/\S+?)\/?\s*$/m.exec(stdout);
      // The banner is one write: wait for its last line too.
      if (!match || !stdout.endsWith('\n')) return;
      cleanup();
      // Keep draining stdout so the pipe never fills and blocks the server.
      child.stdout!.resume();
      resolve({ baseUrl: match[1]!, pid: child.pid!, banner: stdout, stderr: () => stderr, stop });
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => fail(`exited early (code ${code}, signal ${signal})`);
    const onError = (e: Error) => fail(`could not be spawned: ${e.message}`);
    const timer = setTimeout(() => fail(`printed no API address within ${timeoutMs} ms`), timeoutMs);
    function cleanup() {
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.off('exit', onExit);
      child.off('error', onError);
    }
    child.stdout!.on('data', onData);
    child.once('exit', onExit);
    child.once('error', onError);
  });
}

/** Starts `count` servers on the same store at once; if any fails to start, the others are stopped. */
export async function startServers(databaseUrl: string, count: number, options: StartOptions = {}): Promise<ServerProcess[]> {
  const started = await Promise.allSettled(Array.from({ length: count }, () => startServer(databaseUrl, options)));
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  const ok = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  if (failed) {
    await Promise.all(ok.map((s) => s.stop()));
    throw failed.reason;
  }
  return ok;
}

export interface Exchange {
  server: number;
  method: string;
  path: string;
  status: number;
  /** Parsed JSON reply (or the raw text when it was not JSON); for a network failure, the error message. */
  body: unknown;
  ms: number;
}

/** An HTTP client that spreads requests round-robin over server processes and records every exchange. */
export class RecordingClient {
  readonly exchanges: Exchange[] = [];
  private next = 0;

  constructor(readonly servers: readonly Pick<ServerProcess, 'baseUrl'>[]) {}

  /** Sends to the given server index, or to the next one in turn; a network failure is recorded as status 0. */
  async send<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    options: { server?: number; headers?: Record<string, string> } = {},
  ): Promise<{ status: number; body: T; server: number }> {
    const server = (options.server ?? this.next++) % this.servers.length;
    const started = performance.now();
    let status = 0;
    let parsed: unknown;
    try {
      const res = await fetch(`${this.servers[server]!.baseUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${testAdminKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...options.headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      status = res.status;
      const text = await res.text();
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    } catch (e) {
      parsed = `network error: ${(e as Error).message}`;
    }
    this.exchanges.push({ server, method, path, status, body: parsed, ms: performance.now() - started });
    return { status, body: parsed as T, server };
  }
}

/** Runs the tasks with at most `concurrency` in flight; resolves when all are done (a task that throws rejects it). */
export async function runPool(tasks: readonly (() => Promise<unknown>)[], concurrency: number): Promise<void> {
  let index = 0;
  const worker = async () => {
    while (index < tasks.length) {
      const task = tasks[index++]!;
      await task();
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, tasks.length) }, worker));
}
