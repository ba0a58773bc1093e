/**
 * Fuzzing the whole API on every engine. Every operation in the app's own OpenAPI document gets requests drawn
 * from its schemas: valid ones (real ids from a seeded store, so requests reach the services) and ones broken at
 * one place (wrong types, numbers past a bound or huge, unicode, injection strings, very long strings, NaN-like
 * text, missing and extra fields, nulls, deep nesting, malformed JSON, garbage path and query parameters).
 * Each reply must be below 500; a refused request (4xx) must leave the store exactly as it was; and the store's
 * invariants must hold at the end. "Exactly as it was" is a fingerprint: every table's row count, the stock and
 * backorder quantity sums, and the latest updated_at of the tables that have one (the clock ticks a second per request).
 * FUZZ_SEED=n picks another seed, FUZZ_RUNS=n another number of runs per operation;
 * FUZZ_VERBOSE=1 prints each operation's replies, FUZZ_LOG=1 the server's errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { engines } from '../support/engines.js';
import { openTestApp, type TestContext } from '../support/context.js';
import { httpClient } from '../support/http-client.js';
import { findViolations } from '../../src/audit/invariants.js';
import type { Tx } from '../../src/db/connect.js';
import {
  hostileParameter,
  hostileStrings,
  mutatedArbitrary,
  validArbitrary,
  type JsonSchema,
  type SchemaContext,
} from '../support/schema-arbitrary.js';

const seed = Number(process.env.FUZZ_SEED ?? 20261126);
const runs = Number(process.env.FUZZ_RUNS ?? 8);
const verbose = process.env.FUZZ_VERBOSE === '1';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema?: JsonSchema;
}

interface Operation {
  method: Method;
  path: string;
  parameters: Parameter[];
  body?: JsonSchema;
}

interface FuzzRequest {
  method: Method;
  url: string;
  headers: Record<string, string>;
  payload?: string;
  /** What was broken, for the report. */
  note: string;
}

/** The operations of the OpenAPI document, less the HTML pages and the document itself. */
function operationsOf(doc: { paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: { content?: Record<string, { schema?: JsonSchema }> } }>> }): Operation[] {
  const html = /^\/($|docs|assets\/|openapi\.json|status\/|survey\/)/;
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    if (html.test(path)) continue;
    for (const [method, op] of Object.entries(methods)) {
      const body = op.requestBody?.content?.['application/json']?.schema;
      ops.push({ method: method.toUpperCase() as Method, path, parameters: op.parameters ?? [], ...(body ? { body } : {}) });
    }
  }
  return ops;
}

// ---------------------------------------------------------------------------------------------------------------
// Real ids, by what names them

type Pools = Record<
  'sku' | 'warehouse' | 'customer' | 'supplier' | 'order' | 'orderLine' | 'backorder' | 'po' | 'poLine' | 'transfer' | 'message' | 'webhook' | 'run' | 'playbook',
  string[]
>;

async function poolsOf(db: Tx, playbook: string): Promise<Pools> {
  const ids = async (table: string, column = 'id'): Promise<string[]> =>
    (await sql<{ id: string }>`select ${sql.ref(column)} as id from ${sql.table(table)} order by ${sql.ref(column)}`.execute(db)).rows.map((r) => r.id);
  return {
    sku: await ids('sku'),
    warehouse: await ids('warehouse'),
    customer: await ids('customer'),
    supplier: await ids('supplier'),
    order: await ids('sales_order'),
    orderLine: await ids('order_line'),
    backorder: await ids('backorder'),
    po: await ids('purchase_order'),
    poLine: await ids('po_line'),
    transfer: await ids('transfer'),
    message: await ids('message'),
    webhook: await ids('webhook_subscription'),
    run: await ids('allocation_run'),
    playbook: [playbook],
  };
}

/** The pool a body field or query parameter draws from, by its name. */
function fieldPool(pools: Pools, name: string): string[] | undefined {
  if (/^(skuIds?|alternateSkuId|alternates)$/.test(name)) return pools.sku;
  if (/^(warehouseId|fromWarehouseId|toWarehouseId)$/.test(name)) return pools.warehouse;
  if (name === 'customerId') return pools.customer;
  if (name === 'supplierId') return pools.supplier;
  if (name === 'orderId') return pools.order;
  if (/^backorderIds?$/.test(name)) return pools.backorder;
  if (name === 'lineId') return [...pools.orderLine, ...pools.poLine];
  // Free text the services parse: give them text they accept, so valid requests get past the parse.
  if (name === 'url') return ['https://example.com/hooks/a', 'http://127.0.0.1:9/hook'];
  if (name === 'source') return pools.playbook;
  return undefined;
}

/** The pool a path parameter draws from: named by the collection before it (`/skus/{id}`, `/orders/{id}/lines/{lineId}`). */
function pathPool(pools: Pools, path: string, param: string): string[] {
  const segments = path.split('/');
  const at = segments.indexOf(`{${param}}`);
  const collection = segments[at - 1];
  const first = segments[1];
  if (param === 'skuId') return pools.sku;
  if (param === 'lineId') return first === 'purchase-orders' ? pools.poLine : pools.orderLine;
  const byCollection: Record<string, string[]> = {
    skus: pools.sku,
    warehouses: pools.warehouse,
    customers: pools.customer,
    suppliers: pools.supplier,
    orders: pools.order,
    backorders: pools.backorder,
    'purchase-orders': pools.po,
    transfers: pools.transfer,
    messages: pools.message,
    webhooks: pools.webhook,
    runs: pools.run,
  };
  return byCollection[collection ?? ''] ?? [];
}

// ---------------------------------------------------------------------------------------------------------------
// Requests

const encode = (s: string): string => {
  try {
    return encodeURIComponent(s);
  } catch {
    return encodeURIComponent(s.replace(/[\ud800-\udfff]/g, '\ufffd'));
  }
};

const asText = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v) ?? '');

/** Header values inject can send at all (visible ASCII and spaces). */
const headerSafe = (s: string): string => s.replace(/[^\x20-\x7e]/g, '?');

const shorten = (s: string, n = 300): string => (s.length > n ? `${s.slice(0, n)}... (${s.length} chars)` : s);

function withToString(r: FuzzRequest): FuzzRequest {
  const text = `${r.method} ${shorten(r.url)} [${r.note}]${r.payload === undefined ? '' : ` ${shorten(r.payload)}`}`;
  return Object.assign(r, { [fc.toStringMethod]: () => text });
}

type Slot = 'valid' | 'body' | 'query' | 'path' | 'header' | 'raw-body';

function requestArbitrary(op: Operation, sc: SchemaContext, pools: Pools): fc.Arbitrary<FuzzRequest> {
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const queryParams = op.parameters.filter((p) => p.in === 'query');
  const headerParams = op.parameters.filter((p) => p.in === 'header');

  const validPathValue = (p: Parameter): fc.Arbitrary<string> => {
    const pool = pathPool(pools, op.path, p.name);
    return pool.length > 0 ? fc.constantFrom(...pool) : validArbitrary(p.schema ?? { type: 'string' }, sc, p.name).map(asText);
  };
  const brokenPathValue = (p: Parameter): fc.Arbitrary<string> => {
    const wrongKind = [...pools.customer, ...pools.backorder, ...pools.po].filter((id) => !pathPool(pools, op.path, p.name).includes(id));
    return fc.oneof(
      { weight: 4, arbitrary: hostileParameter(p.schema, sc) },
      { weight: 1, arbitrary: wrongKind.length > 0 ? fc.constantFrom(...wrongKind) : fc.constant('nope') },
      { weight: 1, arbitrary: fc.constantFrom('nope', 'bo_00000000000000000000', '0', '-1', '1.5', ' ') },
    );
  };
  const validQueryValue = (p: Parameter) => validArbitrary(p.schema ?? { type: 'string' }, sc, p.name).map(asText);

  const validPath = fc.tuple(...pathParams.map(validPathValue));
  // Cursors are opaque (only ones the API handed out are valid): a valid request leaves them out.
  const validQuery = fc.tuple(
    ...queryParams.map((p) =>
      p.required ? validQueryValue(p).map((v) => [v]) : p.name === 'cursor' ? fc.constant(undefined) : fc.option(validQueryValue(p).map((v) => [v]), { nil: undefined }),
    ),
  );
  const validHeaders = fc.tuple(
    // A few shared keys, so retries (same key, maybe another body) happen within an operation's runs.
    ...headerParams.map(() =>
      fc.option(fc.oneof(fc.constantFrom('fuzz-key-1', 'fuzz-key-2'), fc.stringMatching(/^[\x21-\x7e]{1,40}$/)), { freq: 2, nil: undefined }),
    ),
  );

  const slots: Slot[] = ['valid', 'valid', 'valid'];
  if (op.body) slots.push('body', 'body', 'body', 'raw-body');
  else if (op.method !== 'GET') slots.push('raw-body');
  if (queryParams.length > 0) slots.push('query', 'query');
  if (pathParams.length > 0) slots.push('path', 'path');
  if (headerParams.length > 0) slots.push('header');

  const validBody = op.body ? validArbitrary(op.body, sc) : fc.constant(undefined);
  const brokenBody = op.body ? mutatedArbitrary(op.body, sc) : fc.constant({ value: undefined, mutation: { kind: 'replace' as const, path: [] } });
  const rawBodies = fc.constantFrom(
    { payload: '{"a":', type: 'application/json' },
    { payload: '', type: 'application/json' },
    { payload: 'null', type: 'application/json' },
    { payload: '"text"', type: 'application/json' },
    { payload: '[1,2,3]', type: 'application/json' },
    { payload: '{"__proto__":{"polluted":true}}', type: 'application/json' },
    { payload: '{"constructor":{"prototype":{"polluted":true}}}', type: 'application/json' },
    { payload: '{"a":1}', type: 'text/plain' },
    { payload: '<xml/>', type: 'application/xml' },
    { payload: 'a=1&b=2', type: 'application/x-www-form-urlencoded' },
    { payload: `{"a":"${'x'.repeat(1024 * 1024 + 10)}"}`, type: 'application/json' },
  );

  const queryBreak = fc.record({
    at: fc.nat(),
    how: fc.constantFrom('hostile', 'hostile', 'drop', 'repeat', 'extra', 'empty'),
    value: queryParams.length > 0 ? fc.oneof(...queryParams.map((p) => hostileParameter(p.schema, sc))) : fc.constant(''),
  });

  return fc
    .record({
      slot: fc.constantFrom(...slots),
      path: validPath,
      brokenPath: fc.tuple(fc.nat(), fc.oneof(...(pathParams.length > 0 ? pathParams.map(brokenPathValue) : [fc.constant('')]))),
      rawPath: fc.constantFrom('%', '%zz', '%E0%A4%A', '..', '%2e%2e', '%00'),
      query: validQuery,
      queryBreak,
      headers: validHeaders,
      brokenHeader: fc.constantFrom('', ' ', 'has space', 'x'.repeat(256), 'ü', "' OR 1=1 --"),
      body: validBody,
      brokenBody,
      rawBody: rawBodies,
    })
    .map((d) => {
      const notes: string[] = [d.slot];
      const pathValues = d.path.map(encode);
      if (d.slot === 'path') {
        const i = d.brokenPath[0] % pathParams.length;
        const raw = d.brokenPath[0] % 7 === 0;
        pathValues[i] = raw ? d.rawPath : encode(d.brokenPath[1]);
        notes.push(`${pathParams[i]!.name}=${raw ? `raw ${d.rawPath}` : JSON.stringify(shorten(d.brokenPath[1], 60))}`);
      }
      let url = op.path;
      pathParams.forEach((p, i) => (url = url.replace(`{${p.name}}`, pathValues[i]!)));

      const query: [string, string[]][] = [];
      queryParams.forEach((p, i) => {
        const v = d.query[i];
        if (v !== undefined) query.push([p.name, v]);
      });
      if (d.slot === 'query') {
        const i = d.queryBreak.at % queryParams.length;
        const name = queryParams[i]!.name;
        const entry = query.find(([n]) => n === name);
        const others = query.filter(([n]) => n !== name);
        const value = d.queryBreak.value;
        switch (d.queryBreak.how) {
          case 'hostile':
            query.splice(0, query.length, ...others, [name, [value]]);
            break;
          case 'drop':
            query.splice(0, query.length, ...others);
            break;
          case 'repeat':
            query.splice(0, query.length, ...others, [name, [entry?.[1][0] ?? value, value]]);
            break;
          case 'extra':
            query.push([shorten(value, 40) || 'extra', [value]]);
            break;
          case 'empty':
            query.splice(0, query.length, ...others, [name, ['']]);
            break;
        }
        notes.push(`${d.queryBreak.how} ${name}`);
      }
      const qs = query.flatMap(([n, vs]) => vs.map((v) => `${encode(n)}=${encode(v)}`)).join('&');
      if (qs) url += `?${qs}`;

      const headers: Record<string, string> = {};
      headerParams.forEach((p, i) => {
        const v = d.headers[i];
        if (v !== undefined) headers[p.name] = v;
      });
      if (d.slot === 'header') headers[headerParams[0]!.name] = headerSafe(d.brokenHeader);

      let payload: string | undefined;
      if (op.body) {
        const body = d.slot === 'body' ? d.brokenBody.value : d.body;
        if (d.slot === 'body') notes.push(`${d.brokenBody.mutation.kind} at /${d.brokenBody.mutation.path.join('/')}`);
        if (body !== undefined) {
          payload = JSON.stringify(body);
          headers['content-type'] = 'application/json';
        }
      }
      if (d.slot === 'raw-body') {
        payload = d.rawBody.payload;
        headers['content-type'] = d.rawBody.type;
        notes.push(`raw ${d.rawBody.type}`);
      }
      return withToString({ method: op.method, url, headers, ...(payload === undefined ? {} : { payload }), note: notes.join('; ') });
    });
}

// ---------------------------------------------------------------------------------------------------------------
// The store's fingerprint: row counts of every table, and sums and latest stamps of the columns that move

// The audit log records refused requests on purpose (a 401 or 403 adds a row); it is a record of requests, not state.
const logTables = new Set(['audit_log']);

async function stateTables(db: Tx): Promise<string[]> {
  return (await db.introspection.getTables()).map((x) => x.name).filter((t) => !logTables.has(t)).sort();
}

async function fingerprint(db: Tx, tables: string[]): Promise<Record<string, unknown>> {
  const parts = [
    ...tables.map((t) => sql`(select count(*) from ${sql.table(t)}) as ${sql.ref(`rows_${t}`)}`),
    sql`(select coalesce(sum(on_hand), 0) from stock_level) as on_hand`,
    sql`(select coalesce(sum(allocated), 0) from stock_level) as stock_allocated`,
    sql`(select coalesce(sum(allocated), 0) from backorder) as bo_allocated`,
    sql`(select coalesce(sum(fulfilled), 0) from backorder) as bo_fulfilled`,
    sql`(select coalesce(sum(cancelled), 0) from backorder) as bo_cancelled`,
    sql`(select max(updated_at) from backorder) as bo_updated`,
    sql`(select coalesce(sum(allocated + shipped + cancelled + rejected), 0) from order_line) as lines_moved`,
    sql`(select coalesce(sum(quantity + received + cancelled), 0) from po_line) as po_units`,
    sql`(select max(expected_date) || count(distinct expected_date) from po_line) as po_dates`,
    sql`(select count(*) from message where status <> 'pending') as messages_moved`,
    sql`(select coalesce(sum(length(value)), 0) from setting) as settings`,
    sql`(select max(updated_at) from setting) as settings_updated`,
    ...['sku', 'warehouse', 'customer', 'supplier', 'supplier_item', 'sales_order', 'purchase_order', 'webhook_subscription'].map(
      (t) => sql`(select max(updated_at) from ${sql.table(t)}) as ${sql.ref(`updated_${t}`)}`,
    ),
  ];
  const row = (await sql<Record<string, unknown>>`select ${sql.join(parts)}`.execute(db)).rows[0]!;
  // PostgreSQL's count and sum are bigint / numeric (strings); SQLite's are numbers.
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v]));
}

// ---------------------------------------------------------------------------------------------------------------

describe.each(engines)('fuzzing every operation on $name', (engine) => {
  let t: TestContext & { app: FastifyInstance };
  const { send } = httpClient(() => t.app);

  beforeAll(async () => {
    t = await openTestApp(engine);
    if (process.env.FUZZ_LOG === '1') t.ctx.log.level = 'error';
    // A small store where ids exist and most routes reach their services.
    await send('POST', '/warehouses', { id: 'UK', name: 'Manchester', regions: ['GB'], priority: 1 });
    await send('POST', '/warehouses', { id: 'EU', name: 'Rotterdam', regions: ['NL', 'DE'], priority: 2 });
    await send('POST', '/skus', { id: 'KETTLE', name: 'Kettle', unitCostMinor: 1500, backorderPolicy: 'allow' });
    await send('POST', '/skus', { id: 'TOASTER', name: 'Toaster', unitCostMinor: 900, backorderPolicy: 'allow' });
    await send('POST', '/skus', { id: 'MUG', name: 'Mug', unitCostMinor: 300, backorderPolicy: 'deny' });
    await send('POST', '/skus', { id: 'LAMP', name: 'Lamp', unitCostMinor: 2500, backorderPolicy: 'allow', backorderCap: 20 });
    await send('PUT', '/skus/KETTLE/alternates', { alternates: ['LAMP'] });
    for (const [id, region, tier] of [['ANNA', 'GB', 1], ['BEN', 'GB', 2], ['CLARA', 'NL', 3]] as const) {
      await send('POST', '/customers', { id, name: id, email: `${id.toLowerCase()}@example.com`, region, tier, acceptsPartial: true });
    }
    await send('POST', '/suppliers', { id: 'ACME', name: 'Acme', defaultLeadTimeDays: 20 });
    await send('PUT', '/suppliers/ACME/items/KETTLE', { leadTimeDays: 14, unitCostMinor: 1200 });
    await send('PUT', '/suppliers/ACME/items/TOASTER', { leadTimeDays: 10, unitCostMinor: 600 });
    await send('POST', '/webhooks', { url: 'https://example.com/hooks/raincheck', eventTypes: ['*'] });
    await send('POST', '/stock/receipts', { skuId: 'TOASTER', warehouseId: 'UK', quantity: 6 });
    await send('POST', '/stock/receipts', { skuId: 'MUG', warehouseId: 'EU', quantity: 10 });
    await send('POST', '/stock/receipts', { skuId: 'LAMP', warehouseId: 'UK', quantity: 3 });
    await send('POST', '/orders', { customerId: 'ANNA', lines: [{ skuId: 'KETTLE', quantity: 5 }, { skuId: 'TOASTER', quantity: 2 }] });
    await send('POST', '/orders', { customerId: 'BEN', lines: [{ skuId: 'KETTLE', quantity: 3 }] });
    await send('POST', '/orders', { customerId: 'CLARA', lines: [{ skuId: 'TOASTER', quantity: 8 }, { skuId: 'MUG', quantity: 2 }] });
    t.clock.advance(86_400_000);
    await send('POST', '/stock/transfers', { skuId: 'MUG', fromWarehouseId: 'EU', toWarehouseId: 'UK', quantity: 2, transitDays: 3 });
    const po = await send('POST', '/purchase-orders', {
      supplierId: 'ACME',
      place: true,
      lines: [{ skuId: 'KETTLE', warehouseId: 'UK', quantity: 6, expectedDate: '2026-01-20' }],
    });
    await send('POST', `/purchase-orders/${po.id}/receipts`, { lines: [{ lineId: po.lines[0].id, quantity: 2 }] });
    await send('POST', '/purchase-orders', { supplierId: 'ACME', lines: [{ skuId: 'TOASTER', warehouseId: 'UK', quantity: 4, expectedDate: '2026-01-25' }] });
    await send('POST', '/allocation/runs', { strategy: 'tier-then-fifo' });
    t.clock.advance(86_400_000);
  });
  afterAll(async () => t?.close());

  it('no 5xx, no change on a refused request, and the invariants hold after', async () => {
    const db = t.ctx.store.db;
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const operations = operationsOf(doc);
    expect(operations.length).toBeGreaterThan(60);
    const pools = await poolsOf(db, (await send('GET', '/playbook')).source);
    for (const [name, ids] of Object.entries(pools)) expect(ids.length, `seeded ${name}`).toBeGreaterThan(0);
    const sc: SchemaContext = { root: doc, pools: (name) => fieldPool(pools, name) };
    const tables = await stateTables(db);

    const failures: string[] = [];
    const statuses: Record<string, number> = {};
    const perOperation: Record<string, string> = {};
    let before = await fingerprint(db, tables);
    for (const [i, op] of operations.entries()) {
      const arbitrary = requestArbitrary(op, sc, pools);
      const property = fc.asyncProperty(arbitrary, async (req) => {
        t.clock.advance(1000);
        const res = await t.app.inject({ method: req.method, url: req.url, headers: req.headers, ...(req.payload === undefined ? {} : { payload: req.payload }) });
        const bucket = `${Math.floor(res.statusCode / 100)}xx`;
        statuses[bucket] = (statuses[bucket] ?? 0) + 1;
        if (verbose) perOperation[`${op.method} ${op.path}`] = `${perOperation[`${op.method} ${op.path}`] ?? ''} ${res.statusCode}`;
        if (res.statusCode >= 500) {
          throw new Error(`${req.method} ${shorten(req.url)} [${req.note}] -> ${res.statusCode} ${shorten(res.body)}; payload ${shorten(req.payload ?? '(none)')}`);
        }
        const after = await fingerprint(db, tables);
        if (res.statusCode >= 400) {
          const changed = Object.keys(after).filter((k) => after[k] !== before[k]);
          if (changed.length > 0) {
            const diff = changed.map((k) => `${k}: ${String(before[k])} -> ${String(after[k])}`).join(', ');
            before = after;
            throw new Error(`${req.method} ${shorten(req.url)} [${req.note}] -> ${res.statusCode} changed the store (${diff}); payload ${shorten(req.payload ?? '(none)')}`);
          }
        }
        before = after;
      });
      try {
        await fc.assert(property, { seed: seed + i, numRuns: runs, endOnFailure: true });
      } catch (e) {
        const cause = (e as Error).cause;
        failures.push(`${op.method} ${op.path} (replay: FUZZ_SEED=${seed}, operation #${i} on ${engine.name}): ${(e as Error).message}${cause instanceof Error ? `\n${cause.message}` : ''}`);
      }
    }
    console.log(`fuzz on ${engine.name}: seed ${seed}, ${operations.length} operations x ${runs} runs, replies ${JSON.stringify(statuses)}`);
    if (verbose) console.log(Object.entries(perOperation).map(([k, v]) => `${k}:${v}`).join('\n'));
    expect(failures).toEqual([]);
    expect(await findViolations(db)).toEqual([]);
  });

  it('regression: U+0000 anywhere in a request is refused with a 400 and changes nothing', async () => {
    const db = t.ctx.store.db;
    const tables = await stateTables(db);
    const before = await fingerprint(db, tables);
    // U+0000 in a path, query or body string: PostgreSQL cannot store or even compare it; was a 500 there.
    for (const [method, url, payload] of [
      ['GET', '/skus/%00', undefined],
      ['GET', '/backorders/%00%01/explain', undefined],
      ['GET', '/backorders?skuId=KET%00TLE', undefined],
      ['PATCH', '/customers/ANNA', { name: 'Anna\u0000' }],
      ['POST', '/orders', { customerId: 'ANNA', reference: 'ref\u0000', lines: [{ skuId: 'KETTLE', quantity: 1 }] }],
    ] as const) {
      const res = await t.app.inject({ method, url, ...(payload === undefined ? {} : { payload }) });
      expect(res.statusCode, `${method} ${url}`).toBe(400);
      expect(res.json().code).toBe('validation_failed');
    }
    expect(await fingerprint(db, tables)).toEqual(before);
  });

  it('regression: a huge position over a trickle of demand gets a recommendation, not a 500', async () => {
    // The "order by" day overflowed the calendar (RangeError: Invalid time value).
    await send('POST', '/skus', { id: 'BULK', name: 'Bulk', unitCostMinor: 100, backorderPolicy: 'allow' });
    await send('PUT', '/suppliers/ACME/items/BULK', { leadTimeDays: 14, unitCostMinor: 80 });
    await send('POST', '/stock/receipts', { skuId: 'BULK', warehouseId: 'UK', quantity: 100_000_000 });
    await send('POST', '/orders', { customerId: 'ANNA', lines: [{ skuId: 'BULK', quantity: 2 }] });
    t.clock.advance(3 * 86_400_000);
    const recs = await send('GET', '/replenishment/recommendations?skuId=BULK&windowDays=1096');
    expect(recs.items[0]).toMatchObject({ skuId: 'BULK', orderNow: false });
    expect(recs.items[0].orderBy).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect((await t.app.inject({ method: 'POST', url: '/replenishment/recommendations/approve', payload: { skuId: 'BULK', warehouseId: 'UK', windowDays: 1096 } })).statusCode).toBe(201);
    expect(await findViolations(t.ctx.store.db)).toEqual([]);
  });

  it('regression: KPIs over stock worth more than a 64-bit integer', async () => {
    // 10^8 units at 10^12 a unit overflowed the stock value sum; was a 500 on PostgreSQL ("bigint out of range").
    await send('POST', '/skus', { id: 'GOLD', name: 'Gold', unitCostMinor: 1e12, backorderPolicy: 'allow' });
    await send('POST', '/stock/receipts', { skuId: 'GOLD', warehouseId: 'UK', quantity: 100_000_000 });
    await send('POST', '/stock/receipts', { skuId: 'GOLD', warehouseId: 'EU', quantity: 100_000_000 });
    const from = t.clock.now().toISOString().slice(0, 10);
    const to = new Date(t.clock.now().getTime() + 86_400_000).toISOString().slice(0, 10);
    for (const by of ['warehouse', 'sku']) {
      const kpis = await t.app.inject({ method: 'GET', url: `/kpis?from=${from}&to=${to}&period=total&by=${by}` });
      expect(kpis.statusCode, kpis.body).toBe(200);
    }
  });

  // Found by the fuzzer: both were 500s on PostgreSQL only.
  const onFreshStore = async (body: (app: FastifyInstance) => Promise<void>) => {
    const fresh = await openTestApp(engine);
    try {
      await fresh.app.inject({ method: 'POST', url: '/warehouses', payload: { id: 'UK', name: 'Manchester', regions: ['GB'], priority: 1 } });
      await body(fresh.app);
    } finally {
      await fresh.close();
    }
  };

  it('a dry run with no open backorders (run-repository freeStock read `sku_id in ()`)', async () => {
    await onFreshStore(async (app) => {
      expect((await app.inject({ method: 'POST', url: '/allocation/runs/dry-run', payload: { strategy: 'fifo' } })).statusCode).toBe(200);
    });
  });

  it('a dry run by segments over an order worth more than 2^63 (run-repository orderValues overflowed)', async () => {
    await onFreshStore(async (app) => {
      await app.inject({ method: 'POST', url: '/skus', payload: { id: 'GOLD', name: 'Gold', unitCostMinor: 1e12, backorderPolicy: 'allow' } });
      await app.inject({ method: 'POST', url: '/customers', payload: { id: 'A', name: 'A', email: 'a@example.com', region: 'GB', tier: 2, acceptsPartial: true } });
      await app.inject({ method: 'POST', url: '/orders', payload: { customerId: 'A', lines: [{ skuId: 'GOLD', quantity: 100_000_000 }] } });
      const categories = { segments: [{ name: 'big', category: 'protect', match: { minOrderValueMinor: 1 } }], default: 'fill' };
      expect((await app.inject({ method: 'POST', url: '/allocation/runs/dry-run', payload: { strategy: 'categories', categories } })).statusCode).toBe(200);
    });
  });

  it('hostile strings are stored as text, never executed', async () => {
    // A customer named by an injection string reads back verbatim, and every table still exists.
    const res = await t.app.inject({
      method: 'POST',
      url: '/customers',
      payload: { id: 'INJ-1', name: `${hostileStrings[1]} ${hostileStrings[0]}`, email: 'inj@example.com', region: 'GB', tier: 2, acceptsPartial: true },
    });
    expect(res.statusCode).toBe(201);
    expect((await t.app.inject({ method: 'GET', url: '/customers/INJ-1' })).json().name).toBe(`${hostileStrings[1]} ${hostileStrings[0]}`);
    expect((await t.app.inject({ method: 'GET', url: '/skus/KETTLE' })).statusCode).toBe(200);
  });
});
