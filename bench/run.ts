/**
 * `npm run bench -- <name> [args]`: runs the benchmark in bench/<name>.ts. Every .ts file directly under bench/
 * (except this one) is a benchmark exporting `main(args)`; helpers live in bench/lib/.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

interface Benchmark {
  main(args: string[]): Promise<void>;
}

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts')
  .map((f) => f.slice(0, -3))
  .sort();

const [name, ...args] = process.argv.slice(2);
if (!name || !available.includes(name)) {
  const what = name ? `unknown benchmark '${name}'` : 'no benchmark named';
  process.stderr.write(`${what}; available: ${available.join(', ') || '(none)'}\nusage: npm run bench -- <name> [args]\n`);
  process.exit(2);
}

const mod = (await import(pathToFileURL(join(here, `${name}.ts`)).href)) as Partial<Benchmark>;
if (typeof mod.main !== 'function') {
  process.stderr.write(`bench/${name}.ts does not export main(args)\n`);
  process.exit(2);
}
await mod.main(args);
