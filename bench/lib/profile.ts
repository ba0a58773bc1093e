/** Optional CPU profile of this (server) process over one measured window, written as a .cpuprofile file. */
import { Session } from 'node:inspector/promises';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Profiler {
  stop(name: string): Promise<string>;
}

/** Starts sampling every 200 µs; `stop` writes `<dir>/<name>.cpuprofile` (open it in Chrome DevTools or speedscope). */
export async function startProfile(dir: string): Promise<Profiler> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  return {
    async stop(name) {
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `${name}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      return file;
    },
  };
}
