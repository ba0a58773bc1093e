/**
 * `raincheck keys create|list|revoke`: API keys from the command line, for whoever holds the database (how the first
 * admin key is made), and the keys a server sets itself up with at start (RAINCHECK_ADMIN_KEY, the demo's).
 */
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import pino from 'pino';
import { auditWriter } from '../access/audit.js';
import { issueKey, listKeys, revokeKey, type IssuedKey } from '../access/keys.js';
import { roles, type Role } from '../access/policy.js';
import { exitCodeOf } from '../shared/errors.js';
import type { Result } from '../shared/result.js';
import { oneOf } from '../demand-files/options.js';
import { createContext, defaultDatabaseUrl, type AppContext } from './context.js';

const cliActor = () => `cli (${userInfo().username})`;

/** Records a change made from the command line in the audit log, as the API records its own. */
async function auditCli(ctx: AppContext, method: string, route: string, path: string): Promise<void> {
  await auditWriter(ctx.store.db, ctx.ids).write({
    at: ctx.clock.now().toISOString(),
    actor: cliActor(),
    key_id: null,
    role: null,
    via: 'cli',
    method,
    route,
    path,
    status: 200,
    outcome: 'changed',
    idempotency_key: null,
    request_id: `cli-${process.pid}`,
    ip: null,
  });
}

/**
 * Keys a starting server makes: the one in RAINCHECK_ADMIN_KEY (for deployments that hand the server its first key),
 * and with `--demo` a fresh demo admin key, replacing the previous start's (a key can only be shown when made).
 */
export async function startupKeys(ctx: AppContext, demo: boolean): Promise<{ demoKey?: string }> {
  const fromEnv = process.env.RAINCHECK_ADMIN_KEY;
  if (fromEnv) {
    const set = await issueKey(ctx.store.db, ctx.clock, { name: 'admin (RAINCHECK_ADMIN_KEY)', role: 'admin' }, 'env', fromEnv);
    if (!set.ok) throw new Error(`RAINCHECK_ADMIN_KEY: ${set.error.message}`);
  }
  if (!demo) return {};
  const previous = (await listKeys(ctx.store.db)).filter((k) => k.createdBy === 'demo' && k.revokedAt === null);
  for (const k of previous) await revokeKey(ctx.store.db, ctx.clock, k.id);
  const issued = await issueKey(ctx.store.db, ctx.clock, { name: 'demo admin', role: 'admin' }, 'demo');
  if (!issued.ok) throw new Error(issued.error.message);
  return { demoKey: issued.value.secret };
}

export function registerKeysCommand(program: Command): void {
  const keys = program.command('keys').description('API keys: each has a role; the key itself is shown once, when made');
  const withContext = async <T>(fn: (ctx: AppContext) => Promise<Result<T>>, print: (value: T) => string) => {
    const databaseUrl = (program.opts().database as string | undefined) ?? defaultDatabaseUrl();
    const ctx = await createContext({ databaseUrl, log: pino({ level: process.env.LOG_LEVEL ?? 'warn' }, pino.destination(2)) });
    try {
      const result = await fn(ctx);
      if (result.ok) process.stdout.write(print(result.value));
      else {
        process.stderr.write(`${result.error.message}\n`);
        process.exitCode = exitCodeOf(result.error.code);
      }
    } finally {
      await ctx.store.close();
    }
  };

  keys
    .command('create')
    .description('Make a key and print it (only its hash is stored: keep it now)')
    .requiredOption('--name <name>', 'who or what will use it, e.g. "shop integration"')
    .requiredOption('--role <role>', `one of ${roles.join(', ')}`, oneOf(...roles))
    .action((opts: { name: string; role: Role }) =>
      withContext(
        async (ctx) => {
          const issued = await issueKey(ctx.store.db, ctx.clock, opts, cliActor());
          if (issued.ok) await auditCli(ctx, 'POST', '/api-keys', '/api-keys');
          return issued;
        },
        (k: IssuedKey) => `${k.secret}\n`,
      ),
    );
  keys
    .command('list')
    .description('Every key: id, role, name, state (never the secret)')
    .action(() =>
      withContext(
        async (ctx) => ({ ok: true as const, value: await listKeys(ctx.store.db) }),
        (list) => list.map((k) => `${k.id}  ${k.role.padEnd(11)}  ${k.revokedAt ? `revoked ${k.revokedAt}` : 'live'}  ${k.name}\n`).join(''),
      ),
    );
  keys
    .command('revoke <id>')
    .description('Revoke a key and end its dashboard sessions')
    .action((id: string) =>
      withContext(
        async (ctx) => {
          const revoked = await revokeKey(ctx.store.db, ctx.clock, id);
          if (revoked.ok) await auditCli(ctx, 'DELETE', '/api-keys/:id', `/api-keys/${id}`);
          return revoked;
        },
        (k) => `revoked ${k.id} (${k.name})\n`,
      ),
    );
}
