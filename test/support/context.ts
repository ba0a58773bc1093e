/** A test context on a fresh store of the given engine, with a clock the test controls. */
import pino from 'pino';
import type { FastifyInstance } from 'fastify';
import { createContext, type AppContext } from '../../src/main/context.js';
import { buildApp, type BuildOptions } from '../../src/main/http.js';
import { issueKey } from '../../src/access/keys.js';
import type { Role } from '../../src/access/policy.js';
import { manualClock } from '../../src/shared/clock.js';
import { catalogService } from '../../src/catalog/service.js';
import { customerDef, skuDef, warehouseDef, type CustomerInput, type SkuInput, type WarehouseInput } from '../../src/catalog/entities.js';
import type { Result } from '../../src/shared/result.js';
import type { Engine, TestDatabase } from './engines.js';

export interface TestContext {
  ctx: AppContext;
  clock: ReturnType<typeof manualClock>;
  db: TestDatabase;
  close(): Promise<void>;
}

export async function openTestContext(engine: Engine, start = '2026-01-05T09:00:00.000Z'): Promise<TestContext> {
  const db = await engine.create();
  const clock = manualClock(start);
  const ctx = await createContext({ databaseUrl: db.url, clock, log: pino({ level: 'silent' }) });
  return {
    ctx,
    clock,
    db,
    async close() {
      await ctx.store.close();
      await db.drop();
    },
  };
}

/**
 * A test app whose requests carry an admin key unless the test sends its own `authorization` or `cookie` header
 * (an empty `authorization` sends none): most suites test what the API does, not who may ask; the access suites
 * make keys of every role with `keyFor`. Rate limiting is off unless asked for.
 */
export async function openTestApp(engine: Engine, options: BuildOptions = {}): Promise<TestContext & { app: FastifyInstance; adminKey: string; keyFor(role: Role): Promise<string> }> {
  const t = await openTestContext(engine);
  const app = await buildApp(t.ctx, { validateResponses: true, rateLimit: undefined, ...options });
  const keyFor = async (role: Role) => must(await issueKey(t.ctx.store.db, t.ctx.clock, { name: `test ${role}`, role }, 'test')).secret;
  const adminKey = await keyFor('admin');
  actAs(app, adminKey);
  return {
    ...t,
    app,
    adminKey,
    keyFor,
    async close() {
      await app.close();
      await t.close();
    },
  };
}

/** Unwraps an ok result, failing the test with the error's message otherwise. */
export function must<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`);
  return r.value;
}

export interface CatalogFixture {
  warehouses?: WarehouseInput[];
  skus?: SkuInput[];
  customers?: CustomerInput[];
}

export const defaultWarehouses: WarehouseInput[] = [
  { id: 'UK', name: 'Manchester', regions: ['GB'], priority: 1 },
  { id: 'EU', name: 'Rotterdam', regions: ['NL', 'DE'], priority: 2 },
];

export const sku = (id: string, policy: SkuInput['backorderPolicy'] = 'allow', cap: number | null = null): SkuInput => ({
  id,
  name: `Item ${id}`,
  unitCostMinor: 500,
  backorderPolicy: policy,
  backorderCap: cap,
});

export const customer = (id: string, region = 'GB', tier = 2, acceptsPartial = true): CustomerInput => ({
  id,
  name: `Customer ${id}`,
  email: `${id.toLowerCase()}@example.com`,
  region,
  tier,
  acceptsPartial,
});

export async function seedCatalog(ctx: AppContext, f: CatalogFixture): Promise<void> {
  for (const w of f.warehouses ?? defaultWarehouses) must(await catalogService(warehouseDef).create(ctx, w));
  for (const s of f.skus ?? []) must(await catalogService(skuDef).create(ctx, s));
  for (const c of f.customers ?? []) must(await catalogService(customerDef).create(ctx, c));
}

/** Makes `app.inject` send `key` with every request that names no credential of its own. */
export function actAs(app: FastifyInstance, key: string): void {
  const inject = app.inject.bind(app) as (opts: object) => ReturnType<FastifyInstance['inject']>;
  app.inject = ((opts: { headers?: Record<string, unknown> }) => {
    const headers = opts.headers ?? {};
    if ('authorization' in headers || 'cookie' in headers) return inject(opts);
    return inject({ ...opts, headers: { ...headers, authorization: `Bearer ${key}` } });
  }) as unknown as FastifyInstance['inject'];
}
