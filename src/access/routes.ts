/** HTTP routes of access: dashboard sign-in, API keys (admin), the audit log (admin). */
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../main/context.js';
import { problemResponses } from '../main/http-schemas.js';
import { problemOf, problemSchema, sendProblem, sendResult } from '../main/problem.js';
import { auditOutcomes, listAudit } from './audit.js';
import type { AccessServices } from './guard.js';
import { issueKey, listKeys, revokeKey } from './keys.js';
import { roleDescriptions, roles } from './policy.js';
import { closeSession, cookieValue, findSession, openSession, sessionCookie, sessionCookieHeader, type Session } from './sessions.js';

const roleSchema = z.enum(roles);

export const apiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    role: roleSchema,
    createdBy: z.string(),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .meta({ id: 'ApiKey' });

export const sessionSchema = z
  .object({
    keyId: z.string(),
    name: z.string(),
    role: roleSchema,
    csrfToken: z.string().describe('Send it in X-CSRF-Token with every change made through this session'),
    expiresAt: z.string(),
  })
  .meta({ id: 'Session' });

export const auditEntrySchema = z
  .object({
    id: z.string(),
    at: z.string(),
    actor: z.string(),
    keyId: z.string().nullable(),
    role: z.string().nullable(),
    via: z.string().describe('key, session, link (a signed customer link) or none'),
    method: z.string(),
    route: z.string(),
    path: z.string(),
    status: z.number().int(),
    outcome: z.enum(auditOutcomes),
    idempotencyKey: z.string().nullable(),
    requestId: z.string(),
    ip: z.string().nullable(),
  })
  .meta({ id: 'AuditEntry' });

const unauthorized = { 401: problemSchema };
const sessionView = (s: Session) => ({ keyId: s.principal.keyId, name: s.principal.name, role: s.principal.role, csrfToken: s.csrfToken, expiresAt: s.expiresAt });

export function accessRoutes(ctx: AppContext, access: AccessServices): FastifyPluginAsyncZod {
  // Secure cookies when the public address or this request is https.
  const secure = (req: FastifyRequest) => ctx.comms.publicUrl.startsWith('https:') || req.protocol === 'https';
  return async (app) => {
    app.post('/auth/session', {
      schema: {
        tags: ['access'],
        summary: 'Sign in to the dashboard with an API key: sets an HttpOnly, SameSite=Strict session cookie (12 hours)',
        body: z.object({ key: z.string().min(1).max(200) }).strict(),
        response: { 201: sessionSchema, ...unauthorized, ...problemResponses },
      },
      handler: async (req, reply) => {
        const principal = await access.keys.verify(req.body.key);
        if (!principal) return sendProblem(reply, problemOf({ code: 'unauthorized', message: 'that key is malformed, unknown or revoked', field: 'key' }));
        req.principal = principal;
        req.via = 'key';
        const session = await openSession(ctx.store.db, ctx.clock, principal);
        reply.header('set-cookie', sessionCookieHeader(session.token, secure(req)));
        return reply.code(201).send(sessionView(session));
      },
    });
    app.get('/auth/session', {
      schema: {
        tags: ['access'],
        summary: 'Who the session cookie signs in (and its CSRF token); `session` is null when none is open',
        response: { 200: z.object({ session: sessionSchema.nullable() }) },
      },
      handler: async (req) => {
        const token = cookieValue(req.headers.cookie, sessionCookie);
        const session = token === undefined ? undefined : await findSession(ctx.store.db, ctx.clock, token);
        return { session: session ? sessionView(session) : null };
      },
    });
    app.delete('/auth/session', {
      schema: { tags: ['access'], summary: 'Sign out: ends the session and clears its cookie', response: { 204: z.null() } },
      handler: async (req, reply) => {
        const token = cookieValue(req.headers.cookie, sessionCookie);
        if (token !== undefined) await closeSession(ctx.store.db, token);
        reply.header('set-cookie', sessionCookieHeader('', secure(req), 0));
        return reply.code(204).send(null);
      },
    });

    app.get('/api-keys', {
      schema: {
        tags: ['access'],
        summary: 'Every API key (never its secret), with its role and when it was last used',
        response: { 200: z.object({ items: z.array(apiKeySchema), roles: z.record(z.string(), z.string()).describe('What each role may do') }), ...problemResponses },
      },
      handler: async () => ({ items: await listKeys(ctx.store.db), roles: roleDescriptions }),
    });
    app.post('/api-keys', {
      schema: {
        tags: ['access'],
        summary: 'Make an API key: the reply holds the key itself, shown this once (only its hash is kept)',
        body: z.object({ name: z.string().min(1).max(100), role: roleSchema }).strict(),
        response: { 201: apiKeySchema.extend({ secret: z.string().describe('The whole key: store it now, it cannot be shown again') }).meta({ id: 'IssuedApiKey' }), ...problemResponses },
      },
      handler: async (req, reply) => sendResult(reply, await issueKey(ctx.store.db, ctx.clock, req.body, `key:${req.principal!.keyId}`), 201),
    });
    app.delete('/api-keys/:id', {
      schema: {
        tags: ['access'],
        summary: 'Revoke an API key and end its dashboard sessions (at once in this process, within 5 s in others)',
        params: z.object({ id: z.string().max(64) }),
        response: { 200: apiKeySchema, ...problemResponses },
      },
      handler: async (req, reply) => {
        if (req.params.id === req.principal!.keyId) {
          return sendProblem(reply, problemOf({ code: 'illegal_transition', message: 'a key cannot revoke itself: sign in with another admin key', field: 'id' }));
        }
        const result = await revokeKey(ctx.store.db, ctx.clock, req.params.id);
        access.keys.forget(req.params.id);
        return sendResult(reply, result);
      },
    });

    app.get('/audit-log', {
      schema: {
        tags: ['access'],
        summary: 'Every change and every refused request, newest first, with who made it',
        querystring: z.object({
          keyId: z.string().max(64).optional(),
          outcome: z.enum(auditOutcomes).optional(),
          route: z.string().max(200).optional().describe('A route pattern, e.g. /orders/:id/shipments'),
          from: z.iso.datetime().optional(),
          to: z.iso.datetime().optional(),
          before: z.string().max(64).optional().describe("The previous page's nextBefore"),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
        response: { 200: z.object({ entries: z.array(auditEntrySchema), nextBefore: z.string().nullable() }), ...problemResponses },
      },
      handler: async (req) => listAudit(ctx.store.db, req.query),
    });
  };
}
