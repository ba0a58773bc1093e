/**
 * API keys: `rck_<id>_<secret>`. The id finds the key; only a SHA-256 of the secret is stored, so a copy of the
 * database does not let anyone in. A plain hash (not a slow password hash) is enough because the secret is 256
 * random bits, not something a person chose: there is nothing to guess. The key is shown once, when made.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Clock } from '../shared/clock.js';
import { fail, ok, type Result } from '../shared/result.js';
import { roles, type Role } from './policy.js';

const keyPattern = /^rck_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export interface ApiKey {
  id: string;
  name: string;
  role: Role;
  createdBy: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** A key as made: `secret` is the whole key to hand over, and is never shown again. */
export interface IssuedKey extends ApiKey {
  secret: string;
}

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The id and secret of a well-formed key, else undefined (nothing about why: a malformed key is just not a key). */
export function parseKey(key: string): { id: string; secret: string } | undefined {
  const m = keyPattern.exec(key);
  return m ? { id: m[1]!, secret: m[2]! } : undefined;
}

export const isRole = (value: string): value is Role => (roles as readonly string[]).includes(value);

export interface NewKey {
  name: string;
  role: Role;
}

/** Makes a key; `secret` (the given one, for a key set from the environment) must be a well-formed key. */
export async function issueKey(db: Kysely<Database>, clock: Clock, input: NewKey, createdBy: string, secret?: string): Promise<Result<IssuedKey>> {
  const name = input.name.trim();
  if (name.length === 0 || name.length > 100) return fail('validation_failed', 'name must be 1 to 100 characters', { field: 'name' });
  if (!isRole(input.role)) return fail('validation_failed', `role must be one of ${roles.join(', ')}`, { field: 'role' });
  const whole = secret ?? `rck_${randomBytes(8).toString('hex')}_${randomBytes(32).toString('base64url')}`;
  const parts = parseKey(whole);
  if (!parts) return fail('validation_failed', 'a key must look like rck_<16 hex digits>_<43 base64url characters>', { field: 'key' });
  const createdAt = clock.now().toISOString();
  const row = { id: parts.id, name, role: input.role, secret_hash: sha256(parts.secret), created_by: createdBy, created_at: createdAt, last_used_at: null, revoked_at: null };
  const inserted = await db.insertInto('api_key').values(row).onConflict((oc) => oc.column('id').doNothing()).executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) {
    const existing = await db.selectFrom('api_key').select(['secret_hash', 'role']).where('id', '=', parts.id).executeTakeFirst();
    // Setting the same key again (a restart with RAINCHECK_ADMIN_KEY) is not an error; another key with its id is.
    if (existing?.secret_hash !== row.secret_hash || existing.role !== input.role) return fail('already_exists', `a different key with id ${parts.id} exists`, { field: 'key' });
  }
  return ok({ ...keyOf(row), secret: whole });
}

export async function listKeys(db: Kysely<Database>): Promise<ApiKey[]> {
  const rows = await db.selectFrom('api_key').selectAll().orderBy('created_at').orderBy('id').execute();
  return rows.map(keyOf);
}

/** Revokes a key and ends its sessions; revoking a revoked key changes nothing. */
export async function revokeKey(db: Kysely<Database>, clock: Clock, id: string): Promise<Result<ApiKey>> {
  const now = clock.now().toISOString();
  await db.updateTable('api_key').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null).execute();
  await db.deleteFrom('session').where('key_id', '=', id).execute();
  const row = await db.selectFrom('api_key').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? ok(keyOf(row)) : fail('not_found', `no API key ${id}`, { field: 'id' });
}

function keyOf(row: { id: string; name: string; role: string; created_by: string; created_at: string; last_used_at: string | null; revoked_at: string | null }): ApiKey {
  return {
    id: row.id,
    name: row.name,
    role: row.role as Role,
    createdBy: row.created_by,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

/** Who a request acts as. */
export interface Principal {
  keyId: string;
  name: string;
  role: Role;
}

interface Cached {
  principal: Principal;
  secretHash: Buffer;
  revoked: boolean;
  fetchedAt: number;
}

/**
 * Checks keys, remembering each for a few seconds so a busy client does not cost a read per request. A key revoked
 * through this process stops at once; through another process, within `ttlMs`. `last_used_at` is written at most
 * once per `ttlMs` per key and process.
 */
export function keyVerifier(db: Kysely<Database>, clock: Clock, ttlMs = 5_000) {
  const cache = new Map<string, Cached>();
  return {
    async verify(key: string): Promise<Principal | undefined> {
      const parts = parseKey(key);
      if (!parts) return undefined;
      const now = Date.now();
      let entry = cache.get(parts.id);
      if (!entry || now - entry.fetchedAt > ttlMs) {
        const row = await db.selectFrom('api_key').selectAll().where('id', '=', parts.id).executeTakeFirst();
        if (!row) {
          cache.delete(parts.id);
          return undefined;
        }
        entry = { principal: { keyId: row.id, name: row.name, role: row.role as Role }, secretHash: Buffer.from(row.secret_hash, 'hex'), revoked: row.revoked_at !== null, fetchedAt: now };
        cache.set(parts.id, entry);
        if (!entry.revoked) await db.updateTable('api_key').set({ last_used_at: clock.now().toISOString() }).where('id', '=', row.id).execute();
      }
      const given = Buffer.from(sha256(parts.secret), 'hex');
      if (entry.revoked || !timingSafeEqual(given, entry.secretHash)) return undefined;
      return entry.principal;
    },
    /** Forgets a key at once (after revoking it here). */
    forget(id: string): void {
      cache.delete(id);
    },
  };
}

export type KeyVerifier = ReturnType<typeof keyVerifier>;
