/** SQL for self-service: SKU alternates, customer choices, CSAT surveys and the facts their segments rest on. */
import { sql, type Selectable } from 'kysely';
import type { Tx } from '../db/connect.js';
import type { CsatSurveyTable, CustomerChoiceTable } from '../db/schema.js';

export type ChoiceRow = Selectable<CustomerChoiceTable>;
export type SurveyRow = Selectable<CsatSurveyTable>;

/** The alternates configured for a SKU, best (lowest rank) first. */
export async function alternatesOf(tx: Tx, skuId: string): Promise<string[]> {
  const rows = await tx.selectFrom('sku_alternate').select('alternate_sku_id').where('sku_id', '=', skuId).orderBy('rank').orderBy('alternate_sku_id').execute();
  return rows.map((r) => r.alternate_sku_id);
}

/** Replaces a SKU's alternates; rank is the position in the list. */
export async function replaceAlternates(tx: Tx, skuId: string, alternates: readonly string[]): Promise<void> {
  await tx.deleteFrom('sku_alternate').where('sku_id', '=', skuId).execute();
  if (alternates.length === 0) return;
  await tx
    .insertInto('sku_alternate')
    .values(alternates.map((a, rank) => ({ sku_id: skuId, alternate_sku_id: a, rank })))
    .execute();
}

/** Units nobody is promised (on hand - allocated) per SKU and warehouse, only where there are some. */
export async function freeStock(tx: Tx, skuIds: readonly string[]): Promise<{ skuId: string; warehouseId: string; free: number }[]> {
  if (skuIds.length === 0) return [];
  const rows = await tx
    .selectFrom('stock_level')
    .select(['sku_id', 'warehouse_id', sql<number>`on_hand - allocated`.as('free')])
    .where('sku_id', 'in', [...new Set(skuIds)])
    .where(sql<boolean>`on_hand - allocated > 0`)
    .execute();
  return rows.map((r) => ({ skuId: r.sku_id, warehouseId: r.warehouse_id, free: Number(r.free) }));
}

export async function insertChoice(tx: Tx, row: ChoiceRow): Promise<void> {
  await tx.insertInto('customer_choice').values(row).execute();
}

export async function choicesOf(tx: Tx, orderId: string): Promise<ChoiceRow[]> {
  return tx.selectFrom('customer_choice').selectAll().where('order_id', '=', orderId).orderBy('id').execute();
}

export async function setPartialConsent(tx: Tx, orderId: string, now: string): Promise<void> {
  await tx.updateTable('sales_order').set({ partial_consent: 1, updated_at: now }).where('id', '=', orderId).execute();
}

export async function findSurvey(tx: Tx, id: string): Promise<SurveyRow | undefined> {
  return tx.selectFrom('csat_survey').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Stores an answer (the latest wins); segments are written only by the first answer, which settles them. */
export async function storeAnswer(
  tx: Tx,
  id: string,
  answer: { score: number; comment?: string | undefined; answeredAt: string },
  segments: { notified_on_time: number | null; promise_kept: number | null } | null,
): Promise<void> {
  await tx
    .updateTable('csat_survey')
    .set({
      score: answer.score,
      answered_at: answer.answeredAt,
      ...(answer.comment !== undefined ? { comment: answer.comment } : {}),
      ...(segments ?? {}),
    })
    .where('id', '=', id)
    .execute();
}

/** Every backorder of an order: when it was fulfilled and what was first promised. */
export async function promiseOutcomes(tx: Tx, orderId: string): Promise<{ fulfilled_at: string | null; first_promised_date: string | null }[]> {
  return tx.selectFrom('backorder').select(['fulfilled_at', 'first_promised_date']).where('order_id', '=', orderId).execute();
}

/** The customer messages an order got from the given playbook rules, with when each was made and delivered. */
export async function customerMessages(tx: Tx, orderId: string, rules: readonly string[]): Promise<{ created_at: string; delivered_at: string | null }[]> {
  if (rules.length === 0) return [];
  return tx
    .selectFrom('message')
    .select(['created_at', 'delivered_at'])
    .where('order_id', '=', orderId)
    .where('audience', '=', 'customer')
    .where('rule', 'in', [...rules])
    .execute();
}

/** Answered surveys, answered between `from` and `to` (ISO instants, inclusive; open when left out). */
export async function answeredSurveys(tx: Tx, range: { from?: string | undefined; to?: string | undefined }): Promise<SurveyRow[]> {
  let q = tx.selectFrom('csat_survey').selectAll().where('score', 'is not', null);
  if (range.from) q = q.where('answered_at', '>=', range.from);
  if (range.to) q = q.where('answered_at', '<=', range.to);
  return q.orderBy('id').execute();
}

/** Backorder history of an order's lines, oldest first. */
export async function eventsOfOrder(tx: Tx, orderId: string): Promise<{ backorder_id: string; type: string; data: string; created_at: string }[]> {
  return tx
    .selectFrom('backorder_event as e')
    .innerJoin('backorder as b', 'b.id', 'e.backorder_id')
    .select(['e.backorder_id', 'e.type', 'e.data', 'e.created_at'])
    .where('b.order_id', '=', orderId)
    .orderBy('e.id')
    .execute();
}
