/**
 * Starts a worker thread on a module of this project. Workers cannot load TypeScript by themselves: when the
 * module is a .ts file (run through tsx or vitest) the worker first registers tsx's loader, then imports it.
 */
import { Worker } from 'node:worker_threads';

export function spawnModuleWorker(moduleUrl: string, workerData: unknown): Worker {
  if (!moduleUrl.endsWith('.ts')) return new Worker(new URL(moduleUrl), { workerData });
  // The ESM build of tsx's API: its CommonJS build registers its loader at a wrong path inside an eval'd worker.
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(moduleUrl)}); });`;
  return new Worker(boot, { eval: true, workerData });
}
