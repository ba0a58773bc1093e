import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { draftMessages, type MessageDraft } from './drafts.js';
import { daysBetween } from '../promising/domain.js';
import type { Fact, FactType } from './facts.js';
import { playbookSchema, type Playbook } from './playbook/schema.js';

type RuleInput = Record<string, unknown> & { id: string; on: string };

const playbook = (rules: RuleInput[]): Playbook =>
  playbookSchema.parse({ version: 1, name: 'Test', rules: rules.map((r) => ({ to: 'customer', template: 'backorder-confirmed', ...r })) });

let seq = 0;
const fact = (type: FactType, over: Partial<Fact> & { data?: Record<string, unknown> } = {}): Fact => ({
  id: `bev_${String(++seq).padStart(4, '0')}`,
  type,
  at: '2026-01-05T09:00:00.000Z',
  orderId: 'ord_1',
  customerId: 'CUS',
  backorderId: 'bo_1',
  skuId: 'LAMP',
  data: {},
  ...over,
});

const created = (bo: string, quantity: number, over: Partial<Fact> = {}) =>
  fact('backorder.created', { backorderId: bo, data: { quantity, warehouseId: 'UK', flexible: true, status: 'open', waiting: quantity }, ...over });
const promised = (bo: string, date: string, over: Partial<Fact> = {}) =>
  fact('backorder.promised', { backorderId: bo, data: { date, confidence: 0.8, confirmed: true, basis: { kind: 'po', poId: 'po_1' }, cause: 'new_order' }, ...over });
const changed = (bo: string, from: string | null, to: string | null, over: Partial<Fact> = {}) =>
  fact('backorder.promise_changed', { backorderId: bo, data: { from, to, confidence: 0.5, confirmed: true, basis: null, cause: 'eta_changed' }, ...over });

const confirmRule = { id: 'confirm', on: 'backorder.confirmed' };

describe('drafting messages from facts', () => {
  it('groups an order’s backordered lines into one confirmation with each line’s promised date', () => {
    const facts = [
      created('bo_a', 2, { skuId: 'LAMP' }),
      promised('bo_a', '2026-01-20', { skuId: 'LAMP' }),
      created('bo_b', 1, { skuId: 'DESK' }),
      created('bo_c', 5, { skuId: 'PEN' }),
      promised('bo_c', '2026-02-01', { skuId: 'PEN' }),
    ];
    const drafts = draftMessages(playbook([confirmRule]), facts);
    expect(drafts).toHaveLength(1);
    const d = drafts[0]!;
    expect(d).toMatchObject({ ruleId: 'confirm', template: 'backorder-confirmed', to: 'customer', orderId: 'ord_1', customerId: 'CUS', backorderId: null, skuId: null, delayMinutes: 0, extra: {} });
    expect(d.lines.map((l) => [l.backorderId, l.skuId, l.quantity, l.promisedDate, l.confidence])).toEqual([
      ['bo_a', 'LAMP', 2, '2026-01-20', 0.8],
      ['bo_b', 'DESK', 1, null, null],
      ['bo_c', 'PEN', 5, '2026-02-01', 0.8],
    ]);
    expect(d.lines[0]!.basis).toEqual({ kind: 'po', poId: 'po_1' });
    expect(d.lines.every((l) => l.reason === null)).toBe(true);
  });

  it('makes one confirmation per order, naming the backorder and SKU when there is one line', () => {
    const facts = [created('bo_a', 2), created('bo_b', 1, { orderId: 'ord_2', customerId: 'OTHER', skuId: 'DESK' })];
    const drafts = draftMessages(playbook([confirmRule]), facts);
    expect(drafts.map((d) => [d.orderId, d.customerId, d.backorderId, d.skuId, d.lines.length])).toEqual([
      ['ord_1', 'CUS', 'bo_a', 'LAMP', 1],
      ['ord_2', 'OTHER', 'bo_b', 'DESK', 1],
    ]);
  });

  it('sends nothing for disabled rules, time-based rules, or facts no rule is about', () => {
    const facts = [created('bo_a', 2), fact('backorder.shipped', { data: { quantity: 2 } })];
    expect(draftMessages(playbook([{ ...confirmRule, enabled: false }]), facts)).toEqual([]);
    expect(draftMessages(playbook([{ id: 'nag', on: 'backorder.still_open', every_days: 7, template: 'still-on-track' }]), facts)).toEqual([]);
    expect(draftMessages(playbook([{ id: 'ship', on: 'order.shipped', template: 'order-shipped' }]), facts)).toEqual([]);
  });

  it('carries the rule’s delay and recipients', () => {
    const p = playbook([{ ...confirmRule, delay_minutes: 15, to: ['team@example.com'] }]);
    expect(draftMessages(p, [created('bo_a', 1)])[0]).toMatchObject({ delayMinutes: 15, to: ['team@example.com'] });
  });

  describe('promise.changed', () => {
    const facts = () => [
      changed('bo_1', '2026-01-20', '2026-01-21'), // 1 day later
      changed('bo_2', '2026-01-20', '2026-01-25'), // 5 days later
      changed('bo_3', '2026-01-20', '2026-01-17'), // 3 days earlier
      changed('bo_4', '2026-01-20', null), // date withdrawn
    ];

    it('keeps moves in the rule’s direction of at least min_shift_days, and a withdrawn date as bad news', () => {
      const later = draftMessages(playbook([{ id: 'later', on: 'promise.changed', direction: 'later', min_shift_days: 2, template: 'promise-changed' }]), facts());
      expect(later).toHaveLength(1);
      expect(later[0]!.lines.map((l) => [l.backorderId, l.previousDate, l.promisedDate, l.shiftDays, l.reason])).toEqual([
        ['bo_2', '2026-01-20', '2026-01-25', 5, 'eta_changed'],
        ['bo_4', '2026-01-20', null, null, 'eta_changed'],
      ]);
      const earlier = draftMessages(playbook([{ id: 'earlier', on: 'promise.changed', direction: 'earlier', min_shift_days: 1, template: 'promise-changed' }]), facts());
      expect(earlier[0]!.lines.map((l) => [l.backorderId, l.shiftDays])).toEqual([['bo_3', -3]]);
      const any = draftMessages(playbook([{ id: 'any', on: 'promise.changed', direction: 'any', min_shift_days: 1, template: 'promise-changed' }]), facts());
      expect(any[0]!.lines.map((l) => l.backorderId)).toEqual(['bo_1', 'bo_2', 'bo_3', 'bo_4']);
    });

    it('tells a first date of an older backorder, but not of one confirmed in the same transaction', () => {
      const rule = { id: 'later', on: 'promise.changed', direction: 'later', template: 'promise-changed' };
      const old = draftMessages(playbook([rule]), [promised('bo_old', '2026-02-01')]);
      expect(old[0]!.lines.map((l) => [l.backorderId, l.promisedDate, l.reason])).toEqual([['bo_old', '2026-02-01', 'new_order']]);
      expect(draftMessages(playbook([rule]), [created('bo_new', 1, { backorderId: 'bo_new' }), promised('bo_new', '2026-02-01')])).toEqual([]);
    });
  });

  it('says a backorder is ready only when all its units are allocated', () => {
    const rule = { id: 'ready', on: 'backorder.ready', template: 'backorder-ready' };
    const facts = [
      fact('backorder.allocated', { backorderId: 'bo_a', data: { quantity: 2, status: 'partially_allocated' } }),
      fact('backorder.allocated', { backorderId: 'bo_b', data: { quantity: 3, status: 'allocated' } }),
    ];
    const drafts = draftMessages(playbook([rule]), facts);
    expect(drafts.map((d) => [d.backorderId, d.lines.map((l) => [l.quantity, l.promisedDate])])).toEqual([['bo_b', [[3, null]]]]);
  });

  it('makes one shipment message per shipment fact, with the shipped lines', () => {
    const rule = { id: 'shipped', on: 'order.shipped', template: 'order-shipped' };
    const facts = [
      fact('order.shipped', { backorderId: null, skuId: null, data: { lines: [{ skuId: 'LAMP', quantity: 2 }, { skuId: 'DESK', quantity: 1 }] } }),
      fact('order.shipped', { backorderId: null, skuId: null, data: { lines: [{ skuId: 'PEN', quantity: 4 }] } }),
    ];
    const drafts = draftMessages(playbook([rule]), facts);
    expect(drafts.map((d) => d.lines.map((l) => `${l.quantity} ${l.skuId}`))).toEqual([['2 LAMP', '1 DESK'], ['4 PEN']]);
  });

  it('asks for a survey only for backordered orders when the rule says so, and carries a customer’s choice', () => {
    const closedPlain = fact('order.closed', { orderId: 'ord_plain', backorderId: null, data: { backordered: false } });
    const closedBo = fact('order.closed', { orderId: 'ord_bo', backorderId: null, data: { backordered: true } });
    const survey = draftMessages(playbook([{ id: 'csat', on: 'csat.survey', only_backordered: true, template: 'csat-survey' }]), [closedPlain, closedBo]);
    expect(survey.map((d) => [d.orderId, d.extra])).toEqual([['ord_bo', { csat: true }]]);
    const choice = draftMessages(playbook([{ id: 'choice', on: 'choice.made', template: 'choice-confirmed' }]), [fact('choice.made', { data: { choice: 'substitute' } })]);
    expect(choice[0]!.extra).toEqual({ choice: 'substitute' });
  });

  it('counts whole days between ISO days and timestamps', () => {
    expect(daysBetween('2026-01-20', '2026-01-25')).toBe(5);
    expect(daysBetween('2026-01-25', '2026-01-20')).toBe(-5);
    expect(daysBetween('2026-03-28', '2026-03-30')).toBe(2);
  });
});

/** A random transaction's facts: orders with backorders (some promised), noise about other backorders, shuffled. */
const transaction = fc
  .array(
    fc.record({
      customer: fc.constantFrom('C1', 'C2', 'C3'),
      backorders: fc.array(fc.record({ quantity: fc.integer({ min: 1, max: 50 }), promisedIn: fc.option(fc.integer({ min: 0, max: 90 }), { nil: null }) }), { minLength: 0, maxLength: 4 }),
    }),
    { minLength: 0, maxLength: 6 },
  )
  .chain((orders) => {
    const facts: Fact[] = [];
    let n = 0;
    orders.forEach((o, i) => {
      o.backorders.forEach((b, j) => {
        const base = { orderId: `ord_${i}`, customerId: o.customer, backorderId: `bo_${i}_${j}`, skuId: `SKU${j}`, at: '2026-01-05T09:00:00.000Z' };
        facts.push({ ...base, id: `f${n++}`, type: 'backorder.created', data: { quantity: b.quantity, waiting: b.quantity, status: 'open' } });
        if (b.promisedIn !== null) {
          const date = new Date(Date.UTC(2026, 0, 5 + b.promisedIn)).toISOString().slice(0, 10);
          facts.push({ ...base, id: `f${n++}`, type: 'backorder.promised', data: { date, confidence: 0.5, confirmed: false, basis: null, cause: 'new_order' } });
        }
      });
    });
    const noise: Fact[] = ['backorder.allocated', 'backorder.cancelled', 'backorder.promise_changed', 'order.shipped'].map((type, k) => ({
      id: `noise${k}`,
      type: type as FactType,
      at: '2026-01-05T09:00:00.000Z',
      orderId: `ord_x${k}`,
      customerId: 'C9',
      backorderId: `bo_x${k}`,
      skuId: 'SKUX',
      data: { status: 'allocated', from: '2026-01-10', to: '2026-01-30', quantity: 1 },
    }));
    const all = [...facts, ...noise];
    return fc.tuple(fc.constant(all), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: all.length, maxLength: all.length }));
  })
  .map(([facts, keys]) => facts.map((f, i) => [keys[i]!, f] as const).sort((a, b) => a[0] - b[0]).map(([, f]) => f));

const confirmRules = fc.array(fc.boolean(), { minLength: 1, maxLength: 3 }).map((enabled) =>
  enabled.map((on, i) => ({ id: `confirm-${i}`, on: 'backorder.confirmed', enabled: on, template: 'backorder-confirmed' })),
);

describe('the confirmation property', () => {
  it('puts every backorder.created fact in exactly one confirmation per enabled rule, grouped per order', () => {
    fc.assert(
      fc.property(transaction, confirmRules, (facts, rules) => {
        const p = playbook([...rules, { id: 'ready', on: 'backorder.ready', template: 'backorder-ready' }]);
        const drafts = draftMessages(p, facts);
        const createdFacts = facts.filter((f) => f.type === 'backorder.created');
        const orders = new Set(createdFacts.map((f) => f.orderId));
        for (const rule of rules) {
          const mine = drafts.filter((d) => d.ruleId === rule.id);
          if (!rule.enabled) {
            expect(mine).toEqual([]);
            continue;
          }
          // One message per order with new backorders, and no two for the same order.
          expect(mine.map((d) => d.orderId).sort()).toEqual([...orders].sort());
          for (const f of createdFacts) {
            const holding = mine.filter((d: MessageDraft) => d.lines.some((l) => l.backorderId === f.backorderId));
            expect(holding).toHaveLength(1);
            const d = holding[0]!;
            expect([d.orderId, d.customerId]).toEqual([f.orderId, f.customerId]);
            const lines = d.lines.filter((l) => l.backorderId === f.backorderId);
            expect(lines).toHaveLength(1);
            const promise = facts.find((x) => x.type === 'backorder.promised' && x.backorderId === f.backorderId);
            expect([lines[0]!.quantity, lines[0]!.skuId, lines[0]!.promisedDate]).toEqual([f.data.quantity, f.skuId, promise ? promise.data.date : null]);
          }
          // Nothing but this order's new backorders.
          for (const d of mine) {
            const ids = createdFacts.filter((f) => f.orderId === d.orderId).map((f) => f.backorderId);
            expect(d.lines.map((l) => l.backorderId).sort()).toEqual(ids.sort());
            expect(d.backorderId).toBe(ids.length === 1 ? ids[0] : null);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
