/** HTTP routes for demand history, replenishment policies, backorder risk and purchase recommendations. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../main/context.js';
import { idempotencyHeaders, idempotencyOf, problemResponses } from '../main/http-schemas.js';
import { sendResult } from '../main/problem.js';
import { approveRecommendation } from './approve.js';
import { demandHistory } from './history.js';
import {
  approveBody,
  demandQuery,
  demandSchema,
  draftOrderSchema,
  listLimit,
  planningQuery,
  policySchema,
  recommendationListSchema,
  riskSchema,
} from './schemas.js';
import { listPolicies, listRecommendations, listRisks } from './service.js';

export function replenishmentRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['replenishment'];
    app.get('/demand', {
      schema: {
        tags,
        summary: 'Unconstrained demand per SKU x warehouse and period: allocated, backordered and rejected units alike',
        querystring: demandQuery,
        response: { 200: demandSchema, ...problemResponses },
      },
      handler: async (req, reply) => sendResult(reply, await demandHistory(ctx, req.query)),
    });
    app.get('/replenishment/policies', {
      schema: {
        tags,
        summary: 'Reorder point, order quantity or order-up-to level, safety stock and expected service and cost, per SKU x warehouse',
        querystring: planningQuery,
        response: { 200: z.array(policySchema), ...problemResponses },
      },
      handler: async (req, reply) => sendResult(reply, await listPolicies(ctx, req.query)),
    });
    app.get('/replenishment/risk', {
      schema: {
        tags,
        summary: 'SKU x warehouses most likely to go on backorder first: P(lead-time demand > inventory position)',
        querystring: planningQuery.extend({ limit: listLimit }),
        response: { 200: z.array(riskSchema), ...problemResponses },
      },
      handler: async (req, reply) => sendResult(reply, await listRisks(ctx, req.query)),
    });
    app.get('/replenishment/recommendations', {
      schema: {
        tags,
        summary: 'What to order, how much, from which supplier and by when, with the expected fill rate, cost and risk',
        querystring: planningQuery.extend({
          due: z
            .enum(['now', 'all', 'uncovered'])
            .default('all')
            .describe('now: only what should be ordered today; uncovered: only SKU x warehouses whose waiting backorders nothing on hand or on order covers (the daily check between reviews)'),
          limit: listLimit,
        }),
        response: { 200: recommendationListSchema, ...problemResponses },
      },
      handler: async (req, reply) => sendResult(reply, await listRecommendations(ctx, req.query)),
    });
    app.post('/replenishment/recommendations/approve', {
      schema: {
        tags,
        summary: 'Recompute the recommendation and create a draft purchase order for it (expected today + lead time)',
        headers: idempotencyHeaders,
        body: approveBody,
        response: { 201: draftOrderSchema, ...problemResponses },
      },
      handler: async (req, reply) => sendResult(reply, await approveRecommendation(ctx, req.body, idempotencyOf(req, req.body)), 201),
    });
  };
}
