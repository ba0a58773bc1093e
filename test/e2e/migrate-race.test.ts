import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { engines } from '../support/engines.js';
import { createContext } from '../../src/main/context.js';
import { migrationNames } from '../../src/db/migrate.js';
import pino from 'pino';

/** Runs `raincheck migrate` as its own process; resolves with its exit code and output. */
function migrateProcess(url: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main/cli.ts', '--database', url, 'migrate'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe.each(engines)('several processes migrating a new $name store at once', (engine) => {
  it('all succeed and the schema is built once', async () => {
    const db = await engine.create();
    try {
      const runs = await Promise.all([1, 2, 3].map(() => migrateProcess(db.url)));
      for (const r of runs) expect(r.code, r.output).toBe(0);
      const ctx = await createContext({ databaseUrl: db.url, log: pino({ level: 'silent' }) });
      const applied = await ctx.store.db.selectFrom('kysely_migration' as never).select('name' as never).execute();
      expect(applied.map((r) => (r as { name: string }).name)).toEqual(migrationNames);
      expect(migrationNames[0]).toBe('001-core');
      await ctx.store.close();
    } finally {
      await db.drop();
    }
  });
});
