/**
 * A long batch command's memory bound. V8 grows its heap lazily, towards a quarter of the machine's memory: a replay
 * of the Online Retail year keeps well under 600 MB live, yet its resident size reached 0.9-1.05 GB unbounded; with
 * the heap capped at 600 MB the same run peaked at 0.6 GB in the same time. So such a command runs again in a child
 * process with the cap, unless the user gave a cap of their own (NODE_OPTIONS or a node flag), which is respected.
 */
import { spawn } from 'node:child_process';

const capFlag = '--max-old-space-size';

/** True when this process runs under a heap cap someone chose. */
export function heapCapped(): boolean {
  const given = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  return given.some((a) => a.startsWith(capFlag));
}

/**
 * Runs this very command again with the heap capped at `megabytes` and resolves with its exit code; a child that
 * ran out of heap is told apart (it aborts), with how to give it more.
 */
export function rerunUnderHeapCap(megabytes: number, name: string): Promise<number> {
  const child = spawn(process.execPath, [...process.execArgv, `${capFlag}=${megabytes}`, ...process.argv.slice(1)], { stdio: 'inherit' });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on('SIGINT', forward).on('SIGTERM', forward);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      process.off('SIGINT', forward).off('SIGTERM', forward);
      if (signal === 'SIGABRT') {
        process.stderr.write(`${name}: ${megabytes} MB of heap was not enough for this file; give it more with NODE_OPTIONS=${capFlag}=<megabytes>\n`);
      }
      resolve(code ?? 1);
    });
  });
}
