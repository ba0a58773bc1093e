/**
 * Dashboard sessions: signing in with a key sets a random token in an HttpOnly, SameSite=Strict cookie (scripts
 * cannot read it, other sites cannot send it); only its SHA-256 is stored. Changes made through a session must also
 * carry the session's CSRF token in `X-CSRF-Token`, which a page of another origin cannot learn.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Clock } from '../shared/clock.js';
import { sha256, type Principal } from './keys.js';
import type { Role } from './policy.js';

export const sessionCookie = 'raincheck_session';
export const csrfHeader = 'x-csrf-token';
export const sessionHours = 12;

export interface Session {
  principal: Principal;
  csrfToken: string;
  expiresAt: string;
}

export async function openSession(db: Kysely<Database>, clock: Clock, principal: Principal): Promise<Session & { token: string }> {
  const now = clock.now();
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const expiresAt = new Date(now.getTime() + sessionHours * 3_600_000).toISOString();
  // Sessions that ran out are of no use to anyone: drop them as new ones open.
  await db.deleteFrom('session').where('expires_at', '<=', now.toISOString()).execute();
  await db.insertInto('session').values({ token_hash: sha256(token), key_id: principal.keyId, csrf_token: csrfToken, created_at: now.toISOString(), expires_at: expiresAt }).execute();
  return { token, principal, csrfToken, expiresAt };
}

/** The live session the token opens: not expired, its key not revoked. */
export async function findSession(db: Kysely<Database>, clock: Clock, token: string): Promise<Session | undefined> {
  const row = await db
    .selectFrom('session')
    .innerJoin('api_key', 'api_key.id', 'session.key_id')
    .select(['session.key_id', 'session.csrf_token', 'session.expires_at', 'api_key.name', 'api_key.role', 'api_key.revoked_at'])
    .where('session.token_hash', '=', sha256(token))
    .executeTakeFirst();
  if (!row || row.revoked_at !== null || row.expires_at <= clock.now().toISOString()) return undefined;
  return { principal: { keyId: row.key_id, name: row.name, role: row.role as Role }, csrfToken: row.csrf_token, expiresAt: row.expires_at };
}

export async function closeSession(db: Kysely<Database>, token: string): Promise<void> {
  await db.deleteFrom('session').where('token_hash', '=', sha256(token)).execute();
}

export function csrfMatches(session: Session, given: string | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(session.csrfToken);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The value of one cookie in a Cookie header. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return decodeURIComponent(part.slice(at + 1).trim());
  }
  return undefined;
}

export function sessionCookieHeader(token: string, secure: boolean, maxAgeSeconds = sessionHours * 3600): string {
  return `${sessionCookie}=${token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`;
}
