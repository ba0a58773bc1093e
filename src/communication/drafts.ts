/**
 * The playbook's event rules applied to one transaction's facts: pure, so which message goes to whom is testable
 * without a database. Facts of one order are grouped into one message per rule (an order with three backordered
 * lines gets one confirmation listing three lines, not three emails).
 */
import { daysBetween, type PromiseBasis } from '../promising/domain.js';
import type { Fact } from './facts.js';
import { isEventRule, type Playbook, type PlaybookRule, type RuleOn } from './playbook/schema.js';

/** One line of a message before rendering: the facts' numbers, with names filled in at delivery. */
export interface DraftLine {
  backorderId: string | null;
  skuId: string;
  quantity: number;
  promisedDate: string | null;
  previousDate: string | null;
  shiftDays: number | null;
  confidence: number | null;
  basis: PromiseBasis | null;
  reason: string | null;
}

export interface MessageDraft {
  ruleId: string;
  template: string;
  to: PlaybookRule['to'];
  orderId: string | null;
  customerId: string | null;
  backorderId: string | null;
  skuId: string | null;
  lines: DraftLine[];
  delayMinutes: number;
  /** Extra template data: the choice made, or that a CSAT survey must be opened for the order. */
  extra: { choice?: string; csat?: true };
}


const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function line(f: Fact, over: Partial<DraftLine>): DraftLine {
  return {
    backorderId: f.backorderId,
    skuId: f.skuId ?? '',
    quantity: num(f.data.quantity) ?? num(f.data.waiting) ?? 0,
    promisedDate: str(f.data.date) ?? str(f.data.to),
    previousDate: null,
    shiftDays: null,
    confidence: num(f.data.confidence),
    basis: (f.data.basis as PromiseBasis | undefined) ?? null,
    reason: str(f.data.reason) ?? str(f.data.cause),
    ...over,
  };
}

/** One transaction's facts indexed once, so each rule looks only at the facts it cares about. */
interface FactIndex {
  byType: Map<Fact['type'], Fact[]>;
  createdHere: Set<string | null>;
  promisedHere: Map<string | null, Fact>;
}

function indexFacts(facts: readonly Fact[]): FactIndex {
  const byType = new Map<Fact['type'], Fact[]>();
  for (const f of facts) {
    const list = byType.get(f.type);
    if (list) list.push(f);
    else byType.set(f.type, [f]);
  }
  const created = byType.get('backorder.created') ?? [];
  return {
    byType,
    createdHere: new Set(created.map((f) => f.backorderId)),
    promisedHere: new Map((byType.get('backorder.promised') ?? []).map((f) => [f.backorderId, f])),
  };
}

/** The lines a rule takes from the facts, or none: each trigger's meaning lives here. */
function linesFor(rule: PlaybookRule, ix: FactIndex): { fact: Fact; line: DraftLine | null }[] {
  const of = (type: Fact['type']) => ix.byType.get(type) ?? [];
  switch (rule.on) {
    case 'backorder.confirmed':
      return of('backorder.created').map((f) => {
        const p = ix.promisedHere.get(f.backorderId);
        return { fact: f, line: line(f, p ? { promisedDate: str(p.data.date), confidence: num(p.data.confidence), basis: (p.data.basis as PromiseBasis) ?? null, reason: null } : { reason: null }) };
      });
    case 'promise.changed':
      return [...of('backorder.promised'), ...of('backorder.promise_changed')].flatMap((f) => promiseChange(rule, f, ix.createdHere));
    case 'backorder.ready':
      return of('backorder.allocated').filter((f) => f.data.status === 'allocated').map((f) => ({ fact: f, line: line(f, { promisedDate: null }) }));
    case 'backorder.cancelled':
      return of('backorder.cancelled').map((f) => ({ fact: f, line: line(f, { promisedDate: null }) }));
    case 'order.partially_shipped':
    case 'order.shipped':
      return of(rule.on).map((f) => ({ fact: f, line: null }));
    case 'csat.survey':
      return of('order.closed').filter((f) => !rule.only_backordered || f.data.backordered === true).map((f) => ({ fact: f, line: null }));
    case 'choice.made':
      return of('choice.made').map((f) => ({ fact: f, line: null }));
    default:
      return [];
  }
}

/** A first date for an older backorder, or a date that moved far enough in the rule's direction. */
function promiseChange(rule: RuleOn<'promise.changed'>, f: Fact, createdHere: Set<string | null>): { fact: Fact; line: DraftLine }[] {
  if (f.type === 'backorder.promised' && !createdHere.has(f.backorderId)) {
    return [{ fact: f, line: line(f, { reason: str(f.data.cause) }) }];
  }
  if (f.type !== 'backorder.promise_changed') return [];
  const from = str(f.data.from);
  const to = str(f.data.to);
  // A date that disappears (supply withdrawn) is always news, and bad news.
  const shift = from !== null && to !== null ? daysBetween(from, to) : null;
  const later = shift === null || shift > 0;
  if (rule.direction === 'later' && !later) return [];
  if (rule.direction === 'earlier' && later) return [];
  if (shift !== null && Math.abs(shift) < rule.min_shift_days) return [];
  return [{ fact: f, line: line(f, { previousDate: from, promisedDate: to, shiftDays: shift }) }];
}

/** Every message the playbook's event rules make of one transaction's facts. */
export function draftMessages(playbook: Playbook, facts: readonly Fact[]): MessageDraft[] {
  const drafts: MessageDraft[] = [];
  const ix = indexFacts(facts);
  for (const rule of playbook.rules) {
    if (!rule.enabled || !isEventRule(rule)) continue;
    const byOrder = new Map<string, { fact: Fact; line: DraftLine | null }[]>();
    for (const hit of linesFor(rule, ix)) {
      // Order-level facts (shipments, surveys, choices) are one message each; backorder facts group per order.
      const key = hit.line === null ? hit.fact.id : hit.fact.orderId;
      const group = byOrder.get(key);
      if (group) group.push(hit);
      else byOrder.set(key, [hit]);
    }
    for (const hits of byOrder.values()) {
      const first = hits[0]!.fact;
      const single = hits.length === 1;
      drafts.push({
        ruleId: rule.id,
        template: rule.template,
        to: rule.to,
        orderId: first.orderId,
        customerId: first.customerId,
        backorderId: single ? first.backorderId : null,
        skuId: single ? first.skuId : null,
        lines: hits.flatMap((h) => (h.line ? [h.line] : orderLines(h.fact))),
        delayMinutes: rule.delay_minutes,
        extra: rule.on === 'csat.survey' ? { csat: true } : rule.on === 'choice.made' ? { choice: str(first.data.choice) ?? 'wait' } : {},
      });
    }
  }
  return drafts;
}

/** Lines carried by an order-level fact (a shipment's lines, a choice's line). */
function orderLines(f: Fact): DraftLine[] {
  const lines = Array.isArray(f.data.lines) ? (f.data.lines as { skuId: string; quantity: number; reason?: string }[]) : [];
  return lines.map((l) => line({ ...f, skuId: l.skuId, data: {} }, { quantity: l.quantity, reason: l.reason ?? null, promisedDate: null }));
}
