/** HTTP routes of the catalog: parse, call the service, reply. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../main/context.js';
import { catalogId, idempotencyHeaders, idempotencyOf, pageOf, pageQuery, problemResponses } from '../main/http-schemas.js';
import { sendResult } from '../main/problem.js';
import { customerDef, skuDef, supplierDef, warehouseDef } from './entities.js';
import { catalogService } from './service.js';

const timestamps = { createdAt: z.string(), updatedAt: z.string() };

export const skuFields = {
  name: z.string().trim().min(1).max(200),
  unitCostMinor: z.number().int().min(0).max(1e12).describe('Unit cost in minor currency units (cents)'),
  backorderPolicy: z
    .enum(['allow', 'allow-up-to-inbound', 'deny', 'discontinued'])
    .describe(
      'allow: unfilled demand waits on backorder; allow-up-to-inbound: it waits only up to the inbound supply confirmed ' +
        'within backorderHorizonDays; deny: it is refused (stockout); discontinued: always refused',
    ),
  backorderCap: z
    .number()
    .int()
    .min(0)
    .max(1e9)
    .nullable()
    .optional()
    .describe('With allow: at most this many units may wait on backorder at once; null = no cap'),
  backorderHorizonDays: z
    .number()
    .int()
    .min(0)
    .max(3650)
    .nullable()
    .optional()
    .describe('With allow-up-to-inbound: purchase orders and transfers expected within this many days count (default 30)'),
};
const skuSchema = z
  .object({
    id: z.string(),
    ...skuFields,
    backorderCap: z.number().int().nullable(),
    backorderHorizonDays: z.number().int().nullable(),
    ...timestamps,
  })
  .meta({ id: 'Sku' });

export const warehouseFields = {
  name: z.string().trim().min(1).max(200),
  regions: z.array(z.string().trim().min(1).max(64)).max(200).describe('Regions or country codes served first from here'),
  priority: z.number().int().min(0).max(1_000_000).describe('Lower is preferred when several warehouses could source a line'),
};
export const warehouseSchema = z.object({ id: z.string(), ...warehouseFields, ...timestamps }).meta({ id: 'Warehouse' });

export const customerFields = {
  name: z.string().trim().min(1).max(200),
  email: z.email(),
  region: z.string().trim().min(1).max(64),
  tier: z.number().int().min(1).max(9).describe('Priority tier, 1 = most important'),
  acceptsPartial: z.boolean().describe('Whether the customer accepts partial shipments (lines split across warehouses)'),
  language: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'a language tag such as en, de or fr-CA').describe('Language of the messages the customer gets; templates fall back to the playbook language'),
};
const customerSchema = z.object({ id: z.string(), ...customerFields, ...timestamps }).meta({ id: 'Customer' });

export const supplierFields = {
  name: z.string().trim().min(1).max(200),
  defaultLeadTimeDays: z.number().int().min(0).max(3650).describe('Lead time assumed for items without their own, before there is history'),
};
export const supplierSchema = z.object({ id: z.string(), ...supplierFields, ...timestamps }).meta({ id: 'Supplier' });

/** What a new customer gets for the fields left out (the API and the importer alike). */
export const customerDefaults = { tier: customerFields.tier.default(3), acceptsPartial: customerFields.acceptsPartial.default(true), language: customerFields.language.default('en') };

interface Resource {
  path: string;
  tag: string;
  service: ReturnType<typeof catalogService<any, any, any>>;
  fields: z.ZodRawShape;
  defaults: z.ZodRawShape;
  schema: z.ZodType;
}

const resources: Resource[] = [
  { path: '/skus', tag: 'catalog', service: catalogService(skuDef), fields: skuFields, defaults: {}, schema: skuSchema },
  { path: '/warehouses', tag: 'catalog', service: catalogService(warehouseDef), fields: warehouseFields, defaults: {}, schema: warehouseSchema },
  {
    path: '/customers',
    tag: 'catalog',
    service: catalogService(customerDef),
    fields: customerFields,
    defaults: customerDefaults,
    schema: customerSchema,
  },
  { path: '/suppliers', tag: 'purchasing', service: catalogService(supplierDef), fields: supplierFields, defaults: {}, schema: supplierSchema },
];

/** Create (POST), update (PATCH), get and list for SKUs, warehouses and customers. */
export function catalogRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    for (const r of resources) {
      const create = z.object({ id: catalogId, ...r.fields, ...r.defaults }).strict();
      const patch = z.object(r.fields).partial().strict();
      const params = z.object({ id: z.string() });
      app.post(r.path, {
        schema: { tags: [r.tag], headers: idempotencyHeaders, body: create, response: { 201: r.schema, ...problemResponses } },
        handler: async (req, reply) => sendResult(reply, await r.service.create(ctx, req.body, idempotencyOf(req, req.body)), 201),
      });
      app.patch(`${r.path}/:id`, {
        schema: { tags: [r.tag], params, body: patch, response: { 200: r.schema, ...problemResponses } },
        handler: async (req, reply) => sendResult(reply, await r.service.update(ctx, req.params.id, req.body)),
      });
      app.get(`${r.path}/:id`, {
        schema: { tags: [r.tag], params, response: { 200: r.schema, ...problemResponses } },
        handler: async (req, reply) => sendResult(reply, await r.service.get(ctx, req.params.id)),
      });
      app.get(r.path, {
        schema: { tags: [r.tag], querystring: pageQuery, response: { 200: pageOf(r.schema), ...problemResponses } },
        handler: async (req, reply) => sendResult(reply, await r.service.list(ctx, req.query)),
      });
    }
  };
}
