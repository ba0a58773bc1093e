// Builds the dashboard (web/ -> dist-web/) unless dist-web is newer than every file of web/. Run by `npm install`
// (prepare), `npm start` (prestart) and `npm test`; `--force` always builds.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const newest = (dir) =>
  readdirSync(dir, { withFileTypes: true }).reduce((t, e) => Math.max(t, e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs), 0);
const built = (() => {
  try {
    return statSync('dist-web/index.html').mtimeMs;
  } catch {
    return 0;
  }
})();
if (process.argv.includes('--force') || built < newest('web')) {
  // Always a production build: run from vitest (NODE_ENV=test) Vite would bundle React's development build, whose
  // JSX runtime made a filtered worklist render several times slower.
  const r = spawnSync('npx', ['vite', 'build', '--mode', 'production', '--config', 'web/vite.config.ts'], { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
  if (r.status !== 0) {
    process.stderr.write('building the dashboard failed\n');
    process.exit(r.status ?? 1);
  }
}
