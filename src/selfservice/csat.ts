/**
 * CSAT: one survey per completed order (opened by the communication module when the order closes), answered in one
 * click from the email. The latest answer wins; the segments an answer is reported under (backordered, notified
 * on time, promise kept) are settled by the first answer, so later changes to messages or dates cannot move it.
 */
import type { Tx } from '../db/connect.js';
import type { AppContext } from '../main/context.js';
import { activePlaybook } from '../communication/playbook/active.js';
import { fail, ok, type Result } from '../shared/result.js';
import * as repo from './repository.js';

const hourMs = 3_600_000;

/** Stores a score (and a comment, when given) for a survey. */
export function answerSurvey(ctx: AppContext, surveyId: string, score: number, comment?: string): Promise<Result<{ surveyId: string; score: number }>> {
  return ctx.store.transaction(async (tx) => {
    const survey = await repo.findSurvey(tx, surveyId);
    if (!survey) return fail('not_found', `survey '${surveyId}' not found`, { field: 'surveyId' });
    const segments = survey.answered_at === null ? await segmentsOf(ctx, tx, survey.order_id) : null;
    await repo.storeAnswer(tx, surveyId, { score, comment, answeredAt: ctx.clock.now().toISOString() }, segments);
    return ok({ surveyId, score });
  });
}

/** The order's segments as they stand now. */
async function segmentsOf(ctx: AppContext, tx: Tx, orderId: string): Promise<{ notified_on_time: number | null; promise_kept: number | null }> {
  const { playbook } = await activePlaybook(ctx, tx);
  // Disabled rules count too: what matters is whether the messages they sent arrived in time.
  const rules = playbook.rules.filter((r) => r.on === 'backorder.confirmed' || r.on === 'promise.changed').map((r) => r.id);
  return {
    notified_on_time: notifiedOnTime(await repo.customerMessages(tx, orderId, rules), playbook.notify_within_hours),
    promise_kept: promiseKept(await repo.promiseOutcomes(tx, orderId)),
  };
}

/** 1 when every confirmation or promise change was delivered within `hours` of being made; null when none was sent. */
export function notifiedOnTime(messages: readonly { created_at: string; delivered_at: string | null }[], hours: number): number | null {
  if (messages.length === 0) return null;
  return messages.every((m) => m.delivered_at !== null && Date.parse(m.delivered_at) - Date.parse(m.created_at) <= hours * hourMs) ? 1 : 0;
}

/**
 * 1 when every backorder of the order was fulfilled on or before (by day) its first promised date; a backorder
 * never fulfilled (cancelled, substituted) or never promised did not keep its promise. Null without backorders.
 */
export function promiseKept(backorders: readonly { fulfilled_at: string | null; first_promised_date: string | null }[]): number | null {
  if (backorders.length === 0) return null;
  const kept = (b: (typeof backorders)[number]) => b.fulfilled_at !== null && b.first_promised_date !== null && b.fulfilled_at.slice(0, 10) <= b.first_promised_date;
  return backorders.every(kept) ? 1 : 0;
}

export interface CsatStats {
  n: number;
  /** Mean score 1-5; null when n = 0. */
  mean: number | null;
  /** Share of scores 4 or 5; null when n = 0. */
  share45: number | null;
}

export interface CsatReport {
  from: string | null;
  to: string | null;
  count: number;
  mean: number | null;
  share45: number | null;
  segments: {
    backordered: { yes: CsatStats; no: CsatStats };
    notifiedOnTime: { yes: CsatStats; no: CsatStats; notApplicable: CsatStats };
    promiseKept: { yes: CsatStats; no: CsatStats; notApplicable: CsatStats };
  };
}

/** Mean and share of 4-5 of some scores. */
export function statsOf(scores: readonly number[]): CsatStats {
  if (scores.length === 0) return { n: 0, mean: null, share45: null };
  return { n: scores.length, mean: scores.reduce((s, x) => s + x, 0) / scores.length, share45: scores.filter((x) => x >= 4).length / scores.length };
}

type Answered = Pick<repo.SurveyRow, 'score' | 'backordered' | 'notified_on_time' | 'promise_kept'>;

/** The report over answered surveys: pure, so its arithmetic is testable without a store. */
export function summarise(rows: readonly Answered[], range: { from?: string | undefined; to?: string | undefined }): CsatReport {
  const scored = rows.filter((r): r is Answered & { score: number } => r.score !== null);
  const where = (pick: (r: Answered) => number | null, v: number | null) => statsOf(scored.filter((r) => pick(r) === v).map((r) => r.score));
  const triple = (pick: (r: Answered) => number | null) => ({ yes: where(pick, 1), no: where(pick, 0), notApplicable: where(pick, null) });
  const all = statsOf(scored.map((r) => r.score));
  return {
    from: range.from ?? null,
    to: range.to ?? null,
    count: all.n,
    mean: all.mean,
    share45: all.share45,
    segments: {
      backordered: { yes: where((r) => r.backordered, 1), no: where((r) => r.backordered, 0) },
      notifiedOnTime: triple((r) => r.notified_on_time),
      promiseKept: triple((r) => r.promise_kept),
    },
  };
}

/** CSAT over surveys answered between `from` and `to` (ISO instants, inclusive; all time when left out). */
export async function csatReport(ctx: AppContext, range: { from?: string | undefined; to?: string | undefined }): Promise<Result<CsatReport>> {
  return ok(summarise(await repo.answeredSurveys(ctx.store.db, range), range));
}
