/** HTTP routes for communication: webhook subscriptions, the communication log, dead letters and the playbook. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../main/context.js';
import { pageOf, pageQuery, problemResponses } from '../main/http-schemas.js';
import { sendResult } from '../main/problem.js';
import { ok } from '../shared/result.js';
import { getMessage, listMessages, messagesOf, previewMessage, retryMessage } from './log.js';
import { activePlaybook, storePlaybook } from './playbook/active.js';
import { parsePlaybook } from './playbook/load.js';
import { createSubscription, listSubscriptions, subscribableTypes, updateSubscription, webhookEventVersion } from './webhooks.js';

const subscriptionSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    eventTypes: z.array(z.string()),
    description: z.string().nullable(),
    active: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'WebhookSubscription' });

const eventTypes = z
  .array(z.enum(subscribableTypes))
  .min(1)
  .max(subscribableTypes.length)
  .describe(`Event types to receive (\`*\` for all). Each delivery is a JSON event of version ${webhookEventVersion}, signed in the Raincheck-Signature header`);

const messageStatus = z.enum(['pending', 'sending', 'delivered', 'dead']);
export const messageSchema = z
  .object({
    id: z.string(),
    channel: z.enum(['email', 'webhook']),
    audience: z.enum(['customer', 'internal', 'integration']),
    rule: z.string().describe('Playbook rule id, or `webhook`'),
    template: z.string().describe('Email template, or the webhook event type'),
    status: messageStatus,
    recipient: z.string().nullable().describe('Email address(es) or webhook URL; a customer address is filled in at delivery'),
    orderId: z.string().nullable(),
    customerId: z.string().nullable(),
    backorderId: z.string().nullable(),
    skuId: z.string().nullable(),
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    playbookVersion: z.number().int(),
    language: z.string().nullable(),
    subject: z.string().nullable(),
    createdAt: z.string(),
    nextAttemptAt: z.string().nullable(),
    deliveredAt: z.string().nullable(),
  })
  .meta({ id: 'Message' });
const messageDetailSchema = messageSchema
  .extend({ bodyText: z.string().nullable(), bodyHtml: z.string().nullable(), payload: z.unknown() })
  .meta({ id: 'MessageDetail' });
const logQuery = pageQuery.extend({ status: messageStatus.optional(), channel: z.enum(['email', 'webhook']).optional() });

const playbookSchema = z.object({ version: z.number().int().describe('0 is the shipped default'), source: z.string(), rules: z.number().int() }).meta({ id: 'Playbook' });
const playbookBody = z.object({
  source: z.string().min(1).max(500_000).describe('The playbook as YAML or JSON text'),
  note: z.string().max(500).optional(),
});
const problemList = z.array(z.object({ line: z.number().int(), column: z.number().int(), path: z.string(), message: z.string() }));

export function communicationRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/webhooks', {
      schema: {
        tags: ['communication'],
        summary: 'Subscribe a URL to events; the response carries the signing secret, shown only this once',
        body: z.object({ url: z.string().max(2000), eventTypes, description: z.string().max(500).optional() }),
        response: { 201: subscriptionSchema.extend({ secret: z.string() }), ...problemResponses },
      },
      handler: async (req, reply) => sendResult(reply, await createSubscription(ctx, req.body), 201),
    });
    app.get('/webhooks', {
      schema: { tags: ['communication'], response: { 200: z.object({ items: z.array(subscriptionSchema) }) } },
      handler: async () => ({ items: await listSubscriptions(ctx) }),
    });
    app.patch('/webhooks/:id', {
      schema: {
        tags: ['communication'],
        summary: 'Change or pause a subscription (`active: false`)',
        params: z.object({ id: z.string() }),
        body: z.object({ url: z.string().max(2000).optional(), eventTypes: eventTypes.optional(), description: z.string().max(500).optional(), active: z.boolean().optional() }),
        response: { 200: subscriptionSchema, ...problemResponses },
      },
      handler: async (req, reply) => sendResult(reply, await updateSubscription(ctx, req.params.id, req.body)),
    });

    app.get('/messages', {
      schema: {
        tags: ['communication'],
        summary: 'The communication log, newest first (status=dead lists dead letters)',
        querystring: logQuery.extend({ orderId: z.string().optional(), customerId: z.string().optional() }),
        response: { 200: pageOf(messageSchema), ...problemResponses },
      },
      handler: async (req, reply) => sendResult(reply, await listMessages(ctx, req.query)),
    });
    app.get('/messages/:id', {
      schema: { tags: ['communication'], params: z.object({ id: z.string() }), response: { 200: messageDetailSchema, ...problemResponses } },
      handler: async (req, reply) => sendResult(reply, await getMessage(ctx, req.params.id)),
    });
    app.get('/messages/:id/preview', {
      schema: {
        tags: ['communication'],
        summary: 'An email as it reads (a waiting one rendered now with the playbook in force; a sent one is in GET /messages/{id})',
        params: z.object({ id: z.string() }),
        response: { 200: z.object({ to: z.string(), language: z.string(), subject: z.string(), text: z.string(), html: z.string() }).meta({ id: 'EmailPreview' }), ...problemResponses },
      },
      handler: async (req, reply) => sendResult(reply, await previewMessage(ctx, req.params.id)),
    });
    app.post('/messages/:id/retry', {
      schema: {
        tags: ['communication'],
        summary: 'Send a dead-lettered message again, with a fresh set of attempts',
        params: z.object({ id: z.string() }),
        response: { 200: messageSchema, ...problemResponses },
      },
      handler: async (req, reply) => sendResult(reply, await retryMessage(ctx, req.params.id)),
    });
    for (const kind of ['order', 'customer'] as const) {
      app.get(`/${kind}s/:id/messages`, {
        schema: {
          tags: ['communication'],
          summary: `Every message about this ${kind}: when, channel, template, delivery status, attempts`,
          params: z.object({ id: z.string() }),
          querystring: logQuery,
          response: { 200: pageOf(messageSchema), ...problemResponses },
        },
        handler: async (req, reply) => sendResult(reply, await messagesOf(ctx, kind, req.params.id, req.query)),
      });
    }

    app.get('/playbook', {
      schema: { tags: ['communication'], summary: 'The communication playbook in force', response: { 200: playbookSchema } },
      handler: async () => {
        const active = await activePlaybook(ctx, ctx.store.db);
        return { version: active.version, source: active.source, rules: active.playbook.rules.length };
      },
    });
    app.put('/playbook', {
      schema: {
        tags: ['communication'],
        summary: 'Validate and put a new playbook version in force (every process follows within seconds)',
        body: playbookBody,
        response: { 200: playbookSchema, ...problemResponses },
      },
      handler: async (req, reply) => {
        const stored = await ctx.store.transaction((tx) => storePlaybook(ctx, tx, req.body.source, req.body.note ?? null));
        return sendResult(reply, stored.ok ? ok({ version: stored.value.version, source: stored.value.source, rules: stored.value.playbook.rules.length }) : stored);
      },
    });
    app.post('/playbook/validate', {
      schema: {
        tags: ['communication'],
        summary: 'Check a playbook without storing it; each problem names its line',
        body: playbookBody.pick({ source: true }),
        response: { 200: z.object({ valid: z.boolean(), message: z.string().nullable(), problems: problemList }) },
      },
      handler: async (req) => {
        const parsed = parsePlaybook(req.body.source);
        if (parsed.ok) return { valid: true, message: null, problems: [] };
        return { valid: false, message: parsed.error.message, problems: (parsed.error.details?.problems as z.infer<typeof problemList>) ?? [] };
      },
    });
  };
}
