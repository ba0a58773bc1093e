/**
 * Background work that runs every `everyMs`, one round at a time in this process (a slow round is never overlapped
 * by the next); a failed round is logged and the next interval tries again. `stop` waits for a round in progress.
 * With `immediately`, the first round starts now rather than one interval from now.
 */
import type { Logger } from 'pino';

export function startPeriodic(log: Logger, everyMs: number, round: () => Promise<unknown>, failure: string, options: { immediately?: boolean } = {}): { stop(): Promise<void> } {
  let running: Promise<void> | null = null;
  const tick = () => {
    running ??= round()
      .then(() => undefined, (e: unknown) => log.error({ err: e }, failure))
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, everyMs);
  timer.unref();
  if (options.immediately) tick();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
