/** buildApp: the one Fastify app used by the server, the CLI and the tests (they call inject() or listen()). */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { webRoutes } from './web.js';
import { installAccess } from '../access/guard.js';
import { accessRoutes } from '../access/routes.js';
import { rateLimitFromEnv, type RateLimit } from '../access/rate-limit.js';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from './context.js';
import { problemOf, sendProblem } from './problem.js';
import type { ErrorCode } from '../shared/errors.js';
import { catalogRoutes } from '../catalog/routes.js';
import { inventoryRoutes } from '../inventory/routes.js';
import { orderRoutes } from '../orders/routes.js';
import { backorderRoutes } from '../backorders/routes.js';
import { allocationRoutes } from '../allocation/routes.js';
import { purchasingRoutes } from '../purchasing/routes.js';
import { promisingRoutes } from '../promising/routes.js';
import { communicationRoutes } from '../communication/routes.js';
import { selfServiceRoutes } from '../selfservice/routes.js';
import { kpiRoutes } from '../kpis/routes.js';
import { replenishmentRoutes } from '../replenishment/routes.js';

export const bodyLimitBytes = 1024 * 1024;

export interface BuildOptions {
  /** Log each request (off in tests and benchmarks). */
  logRequests?: boolean;
  /**
   * Check every response against its documented schema (the tests do, so the OpenAPI document stays true).
   * In production responses are plain JSON.stringify: encoding through zod costs more than the rest of a small
   * request, and a response that already left the services cannot be fixed by refusing it.
   */
  validateResponses?: boolean;
  /** Requests per second per key (and per address without one); default from RAINCHECK_RATE_LIMIT (200/400). */
  rateLimit?: RateLimit | undefined;
  /** How long a client may take to send a request's headers (slow senders hold a socket each); default 30 s. */
  requestTimeoutMs?: number;
  /**
   * How long a socket may stay silent, both ways, before it is closed: ends a body that stalls half sent (Node's
   * request timeout does not reach a request already handed to its route). Longer than the slowest request (a
   * whole-catalogue allocation run); default 2 minutes.
   */
  idleTimeoutMs?: number;
}

/** The path (`lines/0/reference`, '' for the value itself) of the first string or key holding U+0000, if any. */
export function nulField(value: unknown): string | undefined {
  // Iterative: a body may nest deeper than the call stack allows.
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length > 0) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return path;
    } else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        const at = path ? `${path}/${k}` : k;
        if (k.includes('\u0000')) return at;
        stack.push([x, at]);
      }
    }
  }
  return undefined;
}

export async function buildApp(ctx: AppContext, options: BuildOptions = {}): Promise<FastifyInstance> {
  const requestTimeout = options.requestTimeoutMs ?? 30_000;
  const app = Fastify({
    loggerInstance: ctx.log as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: !options.logRequests }),
    bodyLimit: bodyLimitBytes,
    // Keep-alive clients (load balancers, benchmarks) reuse connections; be explicit so they are not cut early.
    keepAliveTimeout: 65_000,
    requestTimeout,
    connectionTimeout: options.idleTimeoutMs ?? 120_000,
    // Node checks for requests over time every 30 s by default; check often enough that the timeout means something.
    http: { connectionsCheckingInterval: Math.min(5_000, requestTimeout / 2) },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(options.validateResponses ? serializerCompiler : () => (data) => JSON.stringify(data));
  app.setErrorHandler((error: FastifyError, req, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const where = error.validationContext;
      const errors = error.validation.map((v) => ({
        field: where === 'headers' ? v.instancePath.replace(/^\//, '') : v.instancePath.replace(/^\//, '') || (where ?? ''),
        message: v.message ?? 'is invalid',
      }));
      const first = errors[0]!;
      const detail = `${where ?? 'request'} ${first.field ? `field '${first.field}' ` : ''}${first.message}`;
      return sendProblem(reply, problemOf({ code: 'validation_failed', message: detail, field: first.field }, errors));
    }
    const status = error.statusCode ?? 500;
    if (status >= 500) {
      req.log.error({ err: error }, 'request failed');
      // "Nothing was changed" would be a promise we cannot keep: a commit whose reply the database lost may have
      // happened. An Idempotency-Key makes the retry safe either way.
      return sendProblem(reply, problemOf({ code: 'internal', message: 'The server could not complete the request. Retry it; send an Idempotency-Key with changes, so a retry cannot apply one twice.' }));
    }
    const byStatus: Record<number, ErrorCode> = { 404: 'not_found', 413: 'payload_too_large', 415: 'unsupported_media_type' };
    const code = byStatus[status] ?? 'malformed_request';
    const message = code === 'payload_too_large' ? `request body exceeds ${bodyLimitBytes} bytes` : error.message;
    return sendProblem(reply, problemOf({ code, message, field: 'body' }));
  });
  // PostgreSQL text cannot hold U+0000 (SQLite can): refuse it in any parameter, query or body string up front,
  // so both engines answer 400 rather than PostgreSQL failing the statement with a 500.
  app.addHook('preValidation', async (req, reply) => {
    for (const [where, value] of [['params', req.params], ['querystring', req.query], ['body', req.body]] as const) {
      const field = nulField(value);
      if (field !== undefined) {
        const path = field || where;
        return sendProblem(reply, problemOf({ code: 'validation_failed', message: `${where} field '${path}' must not contain NUL (U+0000) characters`, field: path }));
      }
    }
  });
  const access = installAccess(app, ctx, { rateLimit: 'rateLimit' in options ? options.rateLimit : rateLimitFromEnv() });
  app.setNotFoundHandler((req, reply) =>
    sendProblem(reply, problemOf({ code: 'not_found', message: `no route ${req.method} ${req.url.split('?')[0]}` })),
  );

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Raincheck API',
        version: '0.1.0',
        description:
          'Backorder management across warehouses. Errors are RFC 9457 problem+json naming the field at fault. ' +
          'POSTs that create something accept an Idempotency-Key header.',
      },
      tags: [
        { name: 'catalog', description: 'SKUs, warehouses, customers' },
        { name: 'stock', description: 'Receipts, adjustments, transfers, levels and the movement ledger' },
        { name: 'orders', description: 'Order intake, shipments, cancellations' },
        { name: 'backorders', description: 'Backorders and their history' },
        { name: 'allocation', description: 'How incoming stock is shared among waiting backorders' },
        { name: 'purchasing', description: 'Suppliers, supplier items, purchase orders, supplier performance' },
        { name: 'promises', description: 'Quotes, promise settings, promise accuracy' },
        { name: 'communication', description: 'Playbook, webhook subscriptions, the communication log and dead letters' },
        { name: 'self-service', description: 'Customer choices, SKU alternates (substitutes), CSAT surveys and their report' },
        { name: 'replenishment', description: 'Demand history, policies (s, Q / s, S / R, S), backorder risk, purchase recommendations' },
        { name: 'kpis', description: 'KPIs per period and slice, root causes of backorders and their Pareto' },
        { name: 'access', description: 'API keys and roles, dashboard sessions, the audit log' },
      ],
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'An API key: `Authorization: Bearer rck_...`. Made by an admin (POST /api-keys, or `raincheck keys create`).' },
          session: { type: 'apiKey', in: 'cookie', name: 'raincheck_session', description: 'The dashboard session (POST /auth/session); changes also need X-CSRF-Token.' },
        },
      },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  app.get('/health', {
    schema: { tags: ['allocation'], hide: true, response: { 200: z.object({ status: z.literal('ok'), store: z.string() }) } },
    handler: async () => ({ status: 'ok' as const, store: ctx.store.dialect }),
  });
  await app.register(catalogRoutes(ctx));
  await app.register(inventoryRoutes(ctx));
  await app.register(orderRoutes(ctx));
  await app.register(backorderRoutes(ctx));
  await app.register(allocationRoutes(ctx));
  await app.register(purchasingRoutes(ctx));
  await app.register(promisingRoutes(ctx));
  await app.register(communicationRoutes(ctx));
  await app.register(selfServiceRoutes(ctx));
  await app.register(replenishmentRoutes(ctx));
  await app.register(kpiRoutes(ctx));
  await app.register(accessRoutes(ctx, access));
  webRoutes(app);
  await app.ready();
  return app;
}
