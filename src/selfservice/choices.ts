/**
 * A customer's choice about their waiting order: keep waiting, accept a substitute, ship what is ready now, or
 * cancel a line. The status page and the API both come here; each choice runs in one transaction through the same
 * fulfilment code as the rest of the API, is recorded as a `customer_choice` row, and tells the playbook
 * (`choice.made`) in that transaction. A refused choice changes nothing.
 */
import type { Tx } from '../db/connect.js';
import type { ChoiceKind } from '../db/schema.js';
import type { AppContext } from '../main/context.js';
import { recordFacts } from '../communication/record.js';
import * as backorders from '../backorders/repository.js';
import { runCommand, type IdempotencyKey } from '../idempotency/command.js';
import { cancelLineIn, lockOrder, type LockedOrder } from '../orders/fulfilment.js';
import * as orders from '../orders/repository.js';
import { loadOrderView } from '../orders/service.js';
import { lineWaiting, type OrderView } from '../orders/views.js';
import { fail, ok, type Result } from '../shared/result.js';
import * as repo from './repository.js';
import { substituteLine } from './substitute.js';

export type { ChoiceKind };
export type ChoiceVia = 'status_page' | 'api';

export interface ChoiceInput {
  kind: ChoiceKind;
  /** The line the choice is about; every kind but ship_ready (which is about the whole order) needs one. */
  lineId?: string | undefined;
  /** With substitute: the alternate the customer picked; the best one in stock when left out. */
  alternateSkuId?: string | undefined;
}

export interface ChoiceView {
  id: string;
  orderId: string;
  lineId: string | null;
  backorderId: string | null;
  kind: ChoiceKind;
  via: ChoiceVia;
  /** What the choice did (units cancelled, the substitute and where it ships from, ...). */
  detail: Record<string, unknown>;
  createdAt: string;
}

export interface ChoiceMade {
  choice: ChoiceView;
  order: OrderView;
}

/** What a choice did: for its record and for the message that confirms it. */
interface Outcome {
  line: orders.LineRow | null;
  backorderId: string | null;
  lines: { skuId: string; quantity: number; reason?: string }[];
  detail: Record<string, unknown>;
  alternateSkuId?: string;
}

/** Makes one choice for an order, recorded with how it was made. */
export function makeChoice(ctx: AppContext, orderId: string, input: ChoiceInput, via: ChoiceVia, idem?: IdempotencyKey): Promise<Result<ChoiceMade>> {
  return runCommand(ctx, idem, async (tx) => {
    const shape = checkShape(input);
    if (!shape.ok) return shape;
    // A substitute touches a second SKU: lock it with the order's in one id-ordered call.
    const candidates = input.kind === 'substitute' ? await configuredAlternates(tx, orderId, input.lineId) : [];
    const locked = await lockOrder(ctx, tx, orderId, candidates);
    if (!locked) return fail('not_found', `order '${orderId}' not found`, { field: 'orderId' });
    const outcome = await apply(ctx, tx, locked, input, candidates);
    if (!outcome.ok) return outcome;
    return ok(await record(ctx, tx, locked.order, input.kind, via, outcome.value));
  });
}

function checkShape(input: ChoiceInput): Result<true> {
  if (input.kind !== 'ship_ready' && !input.lineId) return fail('validation_failed', `choice '${input.kind}' needs the line it is about`, { field: 'lineId' });
  if (input.kind !== 'substitute' && input.alternateSkuId) {
    return fail('validation_failed', `only a substitute names an alternate, not '${input.kind}'`, { field: 'alternateSkuId' });
  }
  return ok(true);
}

async function configuredAlternates(tx: Tx, orderId: string, lineId: string | undefined): Promise<string[]> {
  const line = (await orders.linesOf(tx, orderId)).find((l) => l.id === lineId);
  return line ? repo.alternatesOf(tx, line.sku_id) : [];
}

async function apply(ctx: AppContext, tx: Tx, locked: LockedOrder, input: ChoiceInput, candidates: string[]): Promise<Result<Outcome>> {
  if (input.kind === 'ship_ready') return shipReady(tx, locked, ctx.clock.now().toISOString());
  const target = await waitingLine(tx, locked, input.lineId ?? '');
  if (!target.ok) return target;
  const { line, backorderId } = target.value;
  const waiting = lineWaiting(line);
  switch (input.kind) {
    case 'wait':
      return ok({ line, backorderId, lines: [{ skuId: line.sku_id, quantity: waiting }], detail: { waiting } });
    case 'cancel': {
      const done = await cancelLineIn(ctx, tx, locked, line.id, { reason: 'cancelled by the customer' });
      if (!done.ok) return done;
      const { cancelled, released } = done.value;
      return ok({ line, backorderId, lines: [{ skuId: line.sku_id, quantity: cancelled }], detail: { cancelled, released } });
    }
    case 'substitute': {
      const done = await substituteLine(ctx, tx, locked, line, candidates, input.alternateSkuId);
      if (!done.ok) return done;
      const { alternateSkuId, warehouseId, quantity, newLineId } = done.value;
      return ok({
        line,
        backorderId,
        lines: [{ skuId: alternateSkuId, quantity, reason: `instead of ${line.sku_id}` }],
        detail: { replacedSkuId: line.sku_id, alternateSkuId, warehouseId, quantity, newLineId },
        alternateSkuId,
      });
    }
  }
}

/** The line a choice is about: it must belong to the order and still wait for stock. */
async function waitingLine(tx: Tx, locked: LockedOrder, lineId: string): Promise<Result<{ line: orders.LineRow; backorderId: string | null }>> {
  const line = locked.lines.find((l) => l.id === lineId);
  if (!line) return fail('unknown_reference', `order ${locked.order.id} has no line '${lineId}'`, { field: 'lineId', details: { lineId } });
  if (lineWaiting(line) <= 0) {
    return fail('illegal_transition', `line ${line.line_no} (${line.sku_id}) is not waiting for stock, so there is nothing to choose`, { field: 'lineId' });
  }
  const [bo] = await backorders.backordersOfLines(tx, [line.id]);
  return ok({ line, backorderId: bo?.id ?? null });
}

/** Consent to ship what is allocated now and the rest when it comes: only useful while both exist. */
async function shipReady(tx: Tx, locked: LockedOrder, now: string): Promise<Result<Outcome>> {
  const ready = locked.lines.filter((l) => l.allocated > 0);
  const waiting = locked.lines.reduce((s, l) => s + lineWaiting(l), 0);
  if (ready.length === 0) return fail('illegal_transition', `nothing of order ${locked.order.id} is ready to ship yet`, { field: 'kind' });
  if (waiting === 0) return fail('illegal_transition', `nothing of order ${locked.order.id} is waiting: it ships as it is`, { field: 'kind' });
  await repo.setPartialConsent(tx, locked.order.id, now);
  const units = ready.reduce((s, l) => s + l.allocated, 0);
  return ok({ line: null, backorderId: null, lines: ready.map((l) => ({ skuId: l.sku_id, quantity: l.allocated })), detail: { ready: units, waiting } });
}

async function record(ctx: AppContext, tx: Tx, order: orders.OrderRow, kind: ChoiceKind, via: ChoiceVia, o: Outcome): Promise<ChoiceMade> {
  const now = ctx.clock.now().toISOString();
  const row: repo.ChoiceRow = {
    id: ctx.ids.next('chc'),
    order_id: order.id,
    line_id: o.line?.id ?? null,
    backorder_id: o.backorderId,
    choice: kind,
    detail: JSON.stringify(o.detail),
    via,
    created_at: now,
  };
  await repo.insertChoice(tx, row);
  const data = { choice: kind, lineId: row.line_id, lines: o.lines, ...(o.alternateSkuId ? { alternateSkuId: o.alternateSkuId } : {}) };
  await recordFacts(ctx, tx, [
    { id: ctx.ids.next('evt'), type: 'choice.made', at: now, orderId: order.id, customerId: order.customer_id, backorderId: o.backorderId, skuId: o.line?.sku_id ?? null, data },
  ]);
  return { choice: choiceView(row), order: (await loadOrderView(tx, order.id))! };
}

export function choiceView(r: repo.ChoiceRow): ChoiceView {
  return {
    id: r.id,
    orderId: r.order_id,
    lineId: r.line_id,
    backorderId: r.backorder_id,
    kind: r.choice,
    via: r.via,
    detail: JSON.parse(r.detail) as Record<string, unknown>,
    createdAt: r.created_at,
  };
}
