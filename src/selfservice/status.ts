/**
 * What the status page shows of one order: each line's state, its promise in words, its history and the
 * substitutes in stock now, plus the customer's past choices. Read-only and without locks: a page may be a moment
 * stale, and every choice it offers is checked again under the locks when it is made.
 */
import type { Tx } from '../db/connect.js';
import type { AppContext } from '../main/context.js';
import { basisInWords, causeInWords, choiceInWords } from '../communication/wording.js';
import * as backorders from '../backorders/repository.js';
import { findByIds } from '../catalog/repository.js';
import { mustShipComplete } from '../orders/fulfilment.js';
import * as orders from '../orders/repository.js';
import { lineStatus, lineWaiting, type LineStatus } from '../orders/views.js';
import type { PromiseBasis } from '../promising/domain.js';
import { regionOf, substituteOptions, type SubstituteOption } from './alternates.js';
import * as repo from './repository.js';

export interface StatusLine {
  id: string;
  lineNo: number;
  skuId: string;
  skuName: string;
  quantity: number;
  shipped: number;
  /** Allocated, ready to ship. */
  ready: number;
  waiting: number;
  cancelled: number;
  rejected: number;
  status: LineStatus;
  promisedDate: string | null;
  /** 0-100. */
  confidencePct: number | null;
  confirmed: boolean;
  basis: string | null;
  history: { at: string; text: string }[];
  substitutes: SubstituteOption[];
}

export interface StatusView {
  orderId: string;
  reference: string | null;
  placedAt: string;
  open: boolean;
  lines: StatusLine[];
  choices: { at: string; text: string }[];
  /** The order may not ship partly (yet): asking to ship what is ready would change that. */
  canShipReady: boolean;
}

/** The order as its customer sees it, or null when there is no such order. */
export async function loadStatus(ctx: AppContext, orderId: string): Promise<StatusView | null> {
  const db = ctx.store.db;
  const order = await orders.findOrder(db, orderId);
  if (!order) return null;
  const lines = await orders.linesOf(db, orderId);
  const bos = await backorders.backordersOfLines(db, lines.map((l) => l.id));
  const names = new Map((await findByIds(db, 'sku', lines.map((l) => l.sku_id))).map((s) => [s.id, s.name]));
  const events = await repo.eventsOfOrder(db, orderId);
  const region = await regionOf(db, order.customer_id);
  const view: StatusLine[] = [];
  for (const l of lines) {
    const bo = bos.find((b) => b.order_line_id === l.id);
    const waiting = lineWaiting(l);
    view.push({
      id: l.id,
      lineNo: l.line_no,
      skuId: l.sku_id,
      skuName: names.get(l.sku_id) ?? l.sku_id,
      quantity: l.quantity,
      shipped: l.shipped,
      ready: l.allocated,
      waiting,
      cancelled: l.cancelled,
      rejected: l.rejected,
      status: lineStatus(l),
      promisedDate: waiting > 0 ? (bo?.promised_date ?? null) : null,
      confidencePct: waiting > 0 && bo?.promise_confidence != null ? Math.round(bo.promise_confidence * 100) : null,
      confirmed: bo?.promise_confirmed === 1,
      basis: waiting > 0 && bo?.promise_basis ? basisInWords(JSON.parse(bo.promise_basis) as PromiseBasis) : null,
      history: events.filter((e) => e.backorder_id === bo?.id).flatMap((e) => historyText(e.type, JSON.parse(e.data) as Record<string, unknown>, e.created_at)),
      substitutes: waiting > 0 ? await substituteOptions(db, await repo.alternatesOf(db, l.sku_id), waiting, region) : [],
    });
  }
  const waiting = view.reduce((s, l) => s + l.waiting, 0);
  const ready = view.reduce((s, l) => s + l.ready, 0);
  return {
    orderId: order.id,
    reference: order.reference,
    placedAt: order.placed_at,
    open: order.status === 'open',
    lines: view,
    choices: await pastChoices(db, orderId, lines),
    canShipReady: waiting > 0 && ready > 0 && (await mustShipComplete(db, order)) !== null,
  };
}

async function pastChoices(tx: Tx, orderId: string, lines: readonly orders.LineRow[]): Promise<StatusView['choices']> {
  return (await repo.choicesOf(tx, orderId)).map((c) => {
    const line = lines.find((l) => l.id === c.line_id);
    return { at: c.created_at, text: `You chose to ${choiceInWords(c.choice)}${line ? ` for line ${line.line_no} (${line.sku_id})` : ''}` };
  });
}

const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** One history event in words a customer understands; internal bookkeeping events are left out. */
export function historyText(type: string, d: Record<string, unknown>, at: string): { at: string; text: string }[] {
  const say = (text: string) => [{ at, text }];
  switch (type) {
    case 'backorder.created':
      return say(`${num(d.quantity)} unit(s) backordered: not in stock when you ordered`);
    case 'backorder.promised':
      return str(d.date) ? say(`Expected to ship by ${str(d.date)}`) : [];
    case 'backorder.promise_changed': {
      const why = causeInWords(str(d.cause));
      const moved = str(d.to) ? `Expected date changed from ${str(d.from) ?? 'unknown'} to ${str(d.to)}` : 'The expected date is no longer known';
      return say(why ? `${moved} (${why})` : moved);
    }
    case 'backorder.allocated':
      return say(`${num(d.quantity)} unit(s) arrived and were set aside for you`);
    case 'backorder.shipped':
      return say(`${num(d.quantity)} unit(s) shipped`);
    case 'backorder.cancelled':
      return say(`${num(d.quantity)} unit(s) cancelled${str(d.reason) ? ` (${str(d.reason)})` : ''}`);
    default:
      return [];
  }
}
