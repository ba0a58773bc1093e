/**
 * Every request passes here before anything else reads it: who is calling (an API key in `Authorization: Bearer`,
 * or a dashboard session cookie with its CSRF token for changes), whether their role may call this route
 * (src/access/policy.ts), and whether they are within their rate. Every change, and every refusal, is written to
 * the audit log before the reply leaves.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../main/context.js';
import { problemOf, sendProblem } from '../main/problem.js';
import { auditWriter } from './audit.js';
import { keyVerifier, type KeyVerifier, type Principal } from './keys.js';
import { accessOf, changesState, type Access } from './policy.js';
import { rateLimiter, type RateLimit } from './rate-limit.js';
import { cookieValue, csrfHeader, csrfMatches, findSession, sessionCookie } from './sessions.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who the request acts as; null for public routes called without a key. */
    principal: Principal | null;
    /** How the caller proved who they are. */
    via: 'key' | 'session' | 'link' | 'none';
  }
}

export interface AccessOptions {
  /** Per key (and per address for calls without one); undefined: no limit. */
  rateLimit?: RateLimit | undefined;
}

export interface AccessServices {
  keys: KeyVerifier;
}

const bearer = /^Bearer\s+(\S+)\s*$/i;
const customerLinkRoutes = new Set(['/status/:orderId', '/status/:orderId/choices', '/survey/:surveyId']);

export function installAccess(app: FastifyInstance, ctx: AppContext, options: AccessOptions): AccessServices {
  const keys = keyVerifier(ctx.store.db, ctx.clock);
  const audit = auditWriter(ctx.store.db, ctx.ids);
  const limiter = options.rateLimit ? rateLimiter(options.rateLimit) : undefined;
  app.decorateRequest('principal', null);
  app.decorateRequest('via', 'none');

  // The OpenAPI document says, for each operation, who may call it.
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const access = accessOf(methods[0]!, route.url);
    const schema = (route.schema ??= {}) as { security?: unknown; description?: string; hide?: boolean };
    if (schema.hide) return;
    schema.security = access === 'public' ? [] : [{ apiKey: [] }, { session: [] }];
    const who = access === 'public' ? 'Public: no key needed.' : `Roles: ${access.join(', ')}.`;
    schema.description = schema.description ? `${schema.description}\n\n${who}` : who;
  });

  const refuse = (reply: FastifyReply, code: 'unauthorized' | 'forbidden', message: string) => {
    if (code === 'unauthorized') reply.header('www-authenticate', 'Bearer realm="raincheck"');
    return sendProblem(reply, problemOf({ code, message }));
  };

  app.addHook('onRequest', async (req, reply) => {
    const pattern = req.routeOptions.url;
    if (pattern === undefined) return; // no such route: the 404 says so and reads nothing
    const access: Access = accessOf(req.method, pattern);
    if (access === 'public') {
      if (customerLinkRoutes.has(pattern)) req.via = 'link';
      return limit(req, reply, `ip:${req.ip}`);
    }
    const header = req.headers.authorization;
    if (header !== undefined && header !== '') {
      const key = bearer.exec(header)?.[1];
      const principal = key === undefined ? undefined : await keys.verify(key);
      if (!principal) return refuse(reply, 'unauthorized', 'the API key in Authorization is malformed, unknown or revoked: send `Authorization: Bearer rck_...` with a live key');
      req.principal = principal;
      req.via = 'key';
    } else {
      const token = cookieValue(req.headers.cookie, sessionCookie);
      const session = token === undefined ? undefined : await findSession(ctx.store.db, ctx.clock, token);
      if (!session) {
        const why = token === undefined ? 'this route needs an API key' : 'the dashboard session has expired or was ended';
        return refuse(reply, 'unauthorized', `${why}: send \`Authorization: Bearer rck_...\`, or sign in to the dashboard`);
      }
      req.principal = session.principal;
      req.via = 'session';
      // SameSite=Strict already keeps other sites' requests from carrying the cookie; the token is the second lock.
      const given = req.headers[csrfHeader];
      if (changesState(req.method, pattern) && !csrfMatches(session, typeof given === 'string' ? given : undefined)) {
        return refuse(reply, 'forbidden', 'a change made through a dashboard session must carry the session\'s X-CSRF-Token header');
      }
    }
    if (!access.includes(req.principal.role)) {
      return refuse(reply, 'forbidden', `the role '${req.principal.role}' may not ${req.method} ${pattern} (allowed: ${access.join(', ')})`);
    }
    return limit(req, reply, `key:${req.principal.keyId}`);
  });

  async function limit(req: FastifyRequest, reply: FastifyReply, caller: string) {
    const wait = limiter?.take(caller) ?? 0;
    if (wait === 0) return;
    reply.header('retry-after', String(wait));
    return sendProblem(reply, problemOf({ code: 'rate_limited', message: `more than ${options.rateLimit!.perSecond} requests a second from this ${req.principal ? 'key' : 'address'}: retry after ${wait} s` }));
  }

  app.addHook('onSend', async (req, reply, payload) => {
    const pattern = req.routeOptions.url;
    if (pattern === undefined) return payload;
    const status = reply.statusCode;
    const outcome = status === 401 || status === 403 ? 'denied' : status === 429 ? 'limited' : status < 400 && changesState(req.method, pattern) ? 'changed' : undefined;
    if (outcome === undefined) return payload;
    const idem = req.headers['idempotency-key'];
    try {
      await audit.write({
        at: ctx.clock.now().toISOString(),
        actor: req.principal?.name ?? (req.via === 'link' ? 'customer (signed link)' : 'anonymous'),
        key_id: req.principal?.keyId ?? null,
        role: req.principal?.role ?? null,
        via: req.via,
        method: req.method,
        route: pattern,
        path: req.url.split('?')[0]!.slice(0, 2000),
        status,
        outcome,
        idempotency_key: typeof idem === 'string' ? idem.slice(0, 255) : null,
        request_id: req.id,
        ip: req.ip ?? null,
      });
    } catch (err) {
      // The change is committed; refusing the reply now would make the caller retry a change that happened.
      req.log.error({ err, route: pattern }, 'audit log write failed');
    }
    return payload;
  });

  return { keys };
}
