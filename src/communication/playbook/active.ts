/**
 * The playbook in force: the newest stored version, or the shipped default (version 0) until one is stored.
 * Every process reads the same table, so a change made through one API process reaches the others within
 * `cacheMs`; message rows record the version that produced them.
 */
import { readFileSync } from 'node:fs';
import type { Tx } from '../../db/connect.js';
import type { AppContext } from '../../main/context.js';
import { ok, type Result } from '../../shared/result.js';
import { parsePlaybook } from './load.js';
import type { Playbook } from './schema.js';

export interface ActivePlaybook {
  version: number;
  playbook: Playbook;
  source: string;
}

const cacheMs = 2_000;
export const defaultPlaybookSource = (): string => readFileSync(new URL('./default.yaml', import.meta.url), 'utf8');

let defaultCache: ActivePlaybook | null = null;
/** The shipped default; it must always parse (a test holds it to that). */
export function defaultPlaybook(): ActivePlaybook {
  if (!defaultCache) {
    const source = defaultPlaybookSource();
    const parsed = parsePlaybook(source);
    if (!parsed.ok) throw new Error(`the shipped default playbook is invalid: ${parsed.error.message}`);
    defaultCache = { version: 0, playbook: parsed.value, source };
  }
  return defaultCache;
}

const caches = new WeakMap<AppContext['store'], { at: number; active: ActivePlaybook }>();

/** The playbook in force, read at most every couple of seconds per store. */
export async function activePlaybook(ctx: AppContext, tx: Tx): Promise<ActivePlaybook> {
  const cached = caches.get(ctx.store);
  const nowMs = Date.now();
  if (cached && nowMs - cached.at < cacheMs) return cached.active;
  const row = await tx.selectFrom('playbook_version').select(['version', 'source']).orderBy('version', 'desc').limit(1).executeTakeFirst();
  let active = cached && row && cached.active.version === row.version ? cached.active : defaultPlaybook();
  if (row && active.version !== row.version) {
    const parsed = parsePlaybook(row.source);
    // Stored versions were validated on the way in; one that no longer parses (a newer build's schema) is a bug.
    if (!parsed.ok) throw new Error(`stored playbook version ${row.version} is invalid: ${parsed.error.message}`);
    active = { version: row.version, playbook: parsed.value, source: row.source };
  }
  caches.set(ctx.store, { at: nowMs, active });
  return active;
}

/** Validates and stores a new version; it is in force at once in this process. */
export async function storePlaybook(ctx: AppContext, tx: Tx, source: string, note: string | null): Promise<Result<ActivePlaybook>> {
  const parsed = parsePlaybook(source);
  if (!parsed.ok) return parsed;
  const last = await tx.selectFrom('playbook_version').select('version').orderBy('version', 'desc').limit(1).executeTakeFirst();
  const version = (last?.version ?? 0) + 1;
  await tx.insertInto('playbook_version').values({ version, source, note, created_at: ctx.clock.now().toISOString() }).execute();
  const active = { version, playbook: parsed.value, source };
  caches.set(ctx.store, { at: Date.now(), active });
  return ok(active);
}
