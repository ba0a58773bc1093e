/**
 * "Notify now" from the dashboard's worklist: an agent tells the customers of the selected backorders, right now,
 * where their waiting items stand. One email per order (template backorder-status, rule `manual`), written to the
 * outbox in one transaction; the delivery worker sends it (GUIDE: outbox).
 */
import type { Tx } from '../db/connect.js';
import type { AppContext } from '../main/context.js';
import type { DraftLine, MessageDraft } from '../communication/drafts.js';
import { insertMessages } from '../communication/outbox-repository.js';
import { activePlaybook } from '../communication/playbook/active.js';
import { messageRow } from '../communication/record.js';
import type { PromiseBasis } from '../promising/domain.js';
import { allFound, fail, ok, type Result } from '../shared/result.js';
import { groupBy } from '../shared/group.js';
import { waitingOf } from './domain.js';

export interface NotifyResult {
  /** Orders whose customer is told. */
  orders: number;
  /** Messages queued: one per order. */
  messages: number;
  /** Backorders given that no longer wait (allocated, fulfilled or cancelled): nothing to tell. */
  skipped: number;
}

const waitingStatuses = new Set(['open', 'partially_allocated']);

async function readBackorders(tx: Tx, ids: readonly string[]) {
  const rows = [];
  for (let i = 0; i < ids.length; i += 500) {
    rows.push(
      ...(await tx
        .selectFrom('backorder')
        .select(['id', 'order_id', 'customer_id', 'sku_id', 'status', 'quantity', 'allocated', 'fulfilled', 'cancelled', 'placed_at'])
        .select(['promised_date', 'promise_confidence', 'promise_basis'])
        .where('id', 'in', ids.slice(i, i + 500))
        .execute()),
    );
  }
  return rows;
}

/**
 * Queues, for each order among the backorders, one email to its customer listing the order's selected backorders
 * that still wait: waiting units, promised date (or none yet), its basis and confidence. Unknown ids fail the whole
 * request (not_found, nothing written); backorders no longer waiting are skipped, and if none waits it fails.
 */
export async function notifyBackorders(ctx: AppContext, backorderIds: readonly string[]): Promise<Result<NotifyResult>> {
  const ids = [...new Set(backorderIds)];
  return ctx.store.transaction(async (tx) => {
    const rows = await readBackorders(tx, ids);
    const known = allFound(ids, new Set(rows.map((r) => r.id)), 'backorder', 'backorderIds');
    if (!known.ok) return known;
    const waiting = rows.filter((r) => waitingStatuses.has(r.status) && waitingOf(r) > 0);
    if (waiting.length === 0) {
      return fail('validation_failed', `none of the ${ids.length} backorder(s) is still waiting (all allocated, fulfilled or cancelled): there is nothing to tell`, {
        field: 'backorderIds',
      });
    }
    // Oldest first within an order, and orders in the order of their oldest selected backorder.
    waiting.sort((a, b) => (a.placed_at < b.placed_at ? -1 : a.placed_at > b.placed_at ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const byOrder = groupBy(waiting, (r) => r.order_id);
    const { version } = await activePlaybook(ctx, tx);
    const now = ctx.clock.now().toISOString();
    const messages = [...byOrder.values()].map((group) => {
      const first = group[0]!;
      const single = group.length === 1;
      const draft: MessageDraft = {
        ruleId: 'manual',
        template: 'backorder-status',
        to: 'customer',
        orderId: first.order_id,
        customerId: first.customer_id,
        backorderId: single ? first.id : null,
        skuId: single ? first.sku_id : null,
        lines: group.map(
          (r): DraftLine => ({
            backorderId: r.id,
            skuId: r.sku_id,
            quantity: waitingOf(r),
            promisedDate: r.promised_date,
            previousDate: null,
            shiftDays: null,
            confidence: r.promise_confidence,
            basis: r.promise_basis === null ? null : (JSON.parse(r.promise_basis) as PromiseBasis),
            reason: null,
          }),
        ),
        delayMinutes: 0,
        extra: {},
      };
      // No dedupe key: an agent may deliberately tell a customer again.
      return messageRow(ctx, draft, version, now, { vars: {}, dedupeKey: null });
    });
    await insertMessages(ctx.store, tx, messages);
    return ok({ orders: byOrder.size, messages: messages.length, skipped: ids.length - waiting.length });
  });
}
