import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { engines } from '../support/engines.js';
import { customer, openTestApp, seedCatalog, sku, type TestContext } from '../support/context.js';
import { dispatchOnce } from '../../src/communication/delivery.js';
import { realChannels } from '../../src/communication/channels.js';
import { defaultPlaybookSource } from '../../src/communication/playbook/active.js';

/** A receiver that answers every webhook with 410 Gone: the subscription's endpoint was removed. */
async function goneReceiver(): Promise<{ url: string; hits: number; close(): Promise<void> }> {
  const state = { hits: 0 };
  const server: Server = createServer((req, res) => {
    state.hits++;
    req.resume();
    req.on('end', () => res.writeHead(410).end());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    get hits() {
      return state.hits;
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}

describe.each(engines)('communication API on $name', (engine) => {
  let t: TestContext & { app: FastifyInstance };
  beforeAll(async () => {
    t = await openTestApp(engine);
    await seedCatalog(t.ctx, { skus: [sku('MUG')], customers: [customer('C1')] });
  });
  afterAll(async () => t.close());

  const send = (method: 'POST' | 'PUT' | 'PATCH' | 'GET', url: string, payload?: unknown) =>
    t.app.inject({ method, url, ...(payload === undefined ? {} : { payload: payload as object }) });

  it('subscribes webhooks: https only (http to localhost), known event types, the secret shown once', async () => {
    const insecure = await send('POST', '/webhooks', { url: 'http://erp.example.com/hook', eventTypes: ['backorder.created'] });
    expect(insecure.statusCode).toBe(400);
    expect(insecure.json()).toMatchObject({ field: 'url', detail: expect.stringContaining('https') });
    const unknownType = await send('POST', '/webhooks', { url: 'https://erp.example.com/hook', eventTypes: ['backorder.exploded'] });
    expect(unknownType.statusCode).toBe(400);
    expect(unknownType.json().detail).toContain('eventTypes');
    expect((await send('GET', '/webhooks')).json().items).toEqual([]);
    const created = await send('POST', '/webhooks', { url: 'https://erp.example.com/hook', eventTypes: ['backorder.created', 'order.shipped'] });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ id: expect.stringMatching(/^whk_/), active: true, secret: expect.stringMatching(/^whsec_/) });
    const listed = (await send('GET', '/webhooks')).json().items;
    expect(listed).toHaveLength(1);
    expect(listed[0]).not.toHaveProperty('secret');
    const paused = await send('PATCH', `/webhooks/${created.json().id}`, { active: false });
    expect(paused.json()).toMatchObject({ active: false, eventTypes: ['backorder.created', 'order.shipped'] });
  });

  it('logs the confirmation an order with a backorder causes, per order and per customer', async () => {
    const placed = await send('POST', '/orders', { customerId: 'C1', lines: [{ skuId: 'MUG', quantity: 3 }] });
    expect(placed.statusCode).toBe(201);
    const orderId = placed.json().order.id as string;
    const log = (await send('GET', `/orders/${orderId}/messages`)).json();
    expect(log.items).toEqual([
      expect.objectContaining({ channel: 'email', audience: 'customer', rule: 'confirm-backorder', template: 'backorder-confirmed', status: 'pending', orderId, attempts: 0 }),
    ]);
    expect((await send('GET', '/customers/C1/messages')).json().items.map((m: { id: string }) => m.id)).toContain(log.items[0].id);
    expect((await send('GET', '/orders/ord_nope/messages')).statusCode).toBe(404);
    const detail = (await send('GET', `/messages/${log.items[0].id}`)).json();
    expect(detail.payload).toMatchObject({ lines: [expect.objectContaining({ skuId: 'MUG', quantity: 3 })] });
    const preview = (await send('GET', `/messages/${log.items[0].id}/preview`)).json();
    expect(preview).toMatchObject({ to: 'c1@example.com', language: 'en' });
    expect(preview.text).toContain('Item MUG');
    expect(preview.html).toContain('Customer C1');
  });

  it('dead-letters a delivery the receiver refuses, and sends it again on request', async () => {
    const receiver = await goneReceiver();
    try {
      const sub = (await send('POST', '/webhooks', { url: receiver.url, eventTypes: ['*'] })).json();
      expect((await send('POST', '/orders', { customerId: 'C1', lines: [{ skuId: 'MUG', quantity: 1 }] })).statusCode).toBe(201);
      const channels = realChannels(undefined);
      const stats = await dispatchOnce(t.ctx, channels, { channel: 'webhook' });
      await channels.close();
      expect(stats).toMatchObject({ dead: stats.claimed, delivered: 0 });
      expect(receiver.hits).toBe(stats.claimed);
      const dead = (await send('GET', '/messages?status=dead')).json().items;
      expect(dead.length).toBeGreaterThan(0);
      expect(dead[0]).toMatchObject({ channel: 'webhook', recipient: receiver.url, lastError: 'webhook: HTTP 410', attempts: 1 });
      const retried = await send('POST', `/messages/${dead[0].id}/retry`);
      expect(retried.json()).toMatchObject({ status: 'pending', attempts: 0 });
      expect((await send('POST', `/messages/${dead[0].id}/retry`)).statusCode).toBe(409);
      await send('PATCH', `/webhooks/${sub.id}`, { active: false });
    } finally {
      await receiver.close();
    }
  });

  it('validates and versions the playbook; a bad one names its line and changes nothing', async () => {
    expect((await send('GET', '/playbook')).json()).toMatchObject({ version: 0, rules: 16 });
    const bad = defaultPlaybookSource().replace('on: order.shipped', 'on: order.teleported');
    const line = bad.split('\n').findIndex((l) => l.includes('order.teleported')) + 1;
    const checked = (await send('POST', '/playbook/validate', { source: bad })).json();
    expect(checked).toMatchObject({ valid: false, problems: [expect.objectContaining({ line, path: expect.stringMatching(/^rules\[\d+\]\.on$/) })] });
    const refused = await send('PUT', '/playbook', { source: bad });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().detail).toContain(`line ${line}`);
    expect((await send('GET', '/playbook')).json().version).toBe(0);
    const quieter = defaultPlaybookSource().replace(/\n  - id: still-on-track[\s\S]*?template: still-on-track\n/, '\n');
    const stored = await send('PUT', '/playbook', { source: quieter, note: 'no weekly updates' });
    expect(stored.json()).toMatchObject({ version: 1, rules: 15 });
    expect((await send('GET', '/playbook')).json()).toMatchObject({ version: 1, source: quieter });
  });
});
