/** vitest global setup: the browser tests drive the built dashboard, so build it first when web/ changed. */
import { spawnSync } from 'node:child_process';

export default function setup(): void {
  const r = spawnSync('node', ['scripts/build-web.mjs'], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('building the dashboard failed (node scripts/build-web.mjs)');
}
