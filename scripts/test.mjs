// `npm test`: type-check (server and dashboard), then the whole vitest suite (whose global setup builds the
// dashboard when web/ changed): unit, store on every engine, HTTP, end to end.
// Extra arguments go to vitest, e.g. `npm test -- test/db`.
import { spawnSync } from 'node:child_process';

const run = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit' }).status ?? 1;
const args = process.argv.slice(2);
if (args.length === 0 && (run('npx', ['tsc', '--noEmit']) !== 0 || run('npx', ['tsc', '--noEmit', '-p', 'web']) !== 0)) {
  process.stdout.write('\ntype check failed\nTests: 0 passed, 1 failed, 0 skipped\n');
  process.exit(1);
}
process.exit(run('npx', ['vitest', 'run', ...args]));
