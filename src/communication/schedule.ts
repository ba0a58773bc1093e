/**
 * The playbook's time-based rules: periodic "still waiting" updates, the offer of choices when a wait grows long,
 * internal escalations, the daily digest and the weekly KPI report. A scheduler round reads outside any
 * transaction, then writes the messages due; each carries a dedupe key (rule, subject, period), so rounds repeated
 * by one worker or run at once by several never send a message twice.
 */
import { startClaimedPeriodic } from '../jobs/claims.js';
import type { AppContext } from '../main/context.js';
import { ok } from '../shared/result.js';
import type { DraftLine, MessageDraft } from './drafts.js';
import { daysBetween } from '../promising/domain.js';
import { insertMessages, type NewMessage } from './outbox-repository.js';
import { activePlaybook } from './playbook/active.js';
import { timeTriggers, weekdays, type PlaybookRule, type RuleOn, type TimeTrigger } from './playbook/schema.js';
import { messageRow } from './record.js';
import { ageDays, backlogBySku, digestVars, openBackorders, queuedKeys, slipCounts, type OpenBackorder } from './schedule-queries.js';
import { dueReportWeek, weeklyReportVars } from '../kpis/weekly-report.js';

type TimeRule = Extract<PlaybookRule, { on: TimeTrigger }>;
interface Due {
  draft: MessageDraft;
  key: string;
  vars: Record<string, unknown>;
}


/** One scheduler round at the clock's time; returns how many messages it queued. */
export async function runSchedule(ctx: AppContext): Promise<number> {
  const db = ctx.store.db;
  const { version, playbook } = await activePlaybook(ctx, db);
  const rules = playbook.rules.filter((r): r is TimeRule => r.enabled && isTimeRule(r));
  if (rules.length === 0) return 0;
  const now = ctx.clock.now();
  const open = await openBackorders(db);
  const due: Due[] = [];
  for (const rule of rules) due.push(...(await dueFor(ctx, rule, open, now)));
  const fresh = await unsent(ctx, due);
  const iso = now.toISOString();
  const rows: NewMessage[] = fresh.map((d) => messageRow(ctx, d.draft, version, iso, { vars: d.vars, dedupeKey: d.key }));
  const written = await ctx.store.transaction(async (tx) => {
    await insertMessages(ctx.store, tx, rows);
    return ok(rows.length);
  });
  return written.ok ? written.value : 0;
}

const isTimeRule = (r: PlaybookRule): r is TimeRule => (timeTriggers as readonly string[]).includes(r.on);

async function dueFor(ctx: AppContext, rule: TimeRule, open: OpenBackorder[], now: Date): Promise<Due[]> {
  const today = now.toISOString().slice(0, 10);
  const age = (b: OpenBackorder) => ageDays(b, now);
  switch (rule.on) {
    case 'backorder.still_open':
      return open.flatMap((b) => {
        const period = Math.floor(age(b) / rule.every_days);
        return period >= 1 ? [perBackorder(rule, b, `${rule.id}:${b.id}:${period}`, age(b))] : [];
      });
    case 'backorder.delayed':
      return open
        .filter((b) => daysBetween(b.placedAt, b.promisedDate ?? today) >= rule.wait_days_at_least)
        .map((b) => perBackorder(rule, b, `${rule.id}:${b.id}`, age(b)));
    case 'backorder.aged':
      return open
        .filter((b) => age(b) >= rule.days_at_least && (rule.tier_at_most === undefined || b.tier <= rule.tier_at_most))
        .map((b) => perBackorder(rule, b, `${rule.id}:${b.id}`, age(b)));
    case 'promise.slipped': {
      const slips = await slipCounts(ctx.store.db, open.map((b) => b.id));
      return open
        .filter((b) => (slips.get(b.id) ?? 0) >= rule.times_at_least)
        .map((b) => ({ ...perBackorder(rule, b, `${rule.id}:${b.id}:${slips.get(b.id)}`, age(b)), vars: { ...people(b, age(b)), slips: slips.get(b.id) } }));
    }
    case 'sku.open_backorders':
      return skuBacklogs(rule, open, today);
    case 'digest.daily': {
      if (now.getUTCHours() < rule.hour_utc) return [];
      const vars = await digestVars(ctx.store.db, open, rule.list_size, now);
      return [{ draft: draftFor(rule, null, null, []), key: `${rule.id}:${today}`, vars: { digest: vars.digest, people: vars.people } }];
    }
    case 'report.weekly':
      return weeklyReport(ctx, rule, now);
  }
}

/**
 * The KPI report of the ISO week before now's, keyed by that week (`weekly-kpi-report:2026-W02`), so it goes out
 * once whatever the number of rounds and workers. Its KPIs are read only while the week's key is still free: a
 * round every minute would otherwise re-read eight weeks of orders for nothing.
 */
async function weeklyReport(ctx: AppContext, rule: RuleOn<'report.weekly'>, now: Date): Promise<Due[]> {
  const week = dueReportWeek(now, weekdays.indexOf(rule.weekday) + 1, rule.hour_utc);
  if (week === null) return [];
  const key = `${rule.id}:${week.label}`;
  if ((await queuedKeys(ctx.store.db, [key])).has(key)) return [];
  const vars = await weeklyReportVars(ctx, week, rule.trend_weeks);
  if (!vars.ok) {
    ctx.log.error({ rule: rule.id, week: week.label, error: vars.error }, 'weekly KPI report could not be computed; the next round tries again');
    return [];
  }
  return [{ draft: draftFor(rule, null, null, []), key, vars: { kpiReport: vars.value } }];
}

function skuBacklogs(rule: RuleOn<'sku.open_backorders'>, open: OpenBackorder[], today: string): Due[] {
  return [...backlogBySku(open).values()]
    .filter((s) => s.openBackorders > rule.above)
    .map((s) => ({
      draft: { ...draftFor(rule, null, null, []), skuId: s.skuId },
      key: `${rule.id}:${s.skuId}:${today}`,
      vars: { sku: { id: s.skuId, name: s.skuName, openBackorders: s.openBackorders, waitingUnits: s.waitingUnits } },
    }));
}

function perBackorder(rule: TimeRule, b: OpenBackorder, key: string, age: number): Due {
  return { draft: { ...draftFor(rule, b.orderId, b.customerId, [lineOf(b)]), backorderId: b.id, skuId: b.skuId }, key, vars: people(b, age) };
}

const people = (b: OpenBackorder, ageDays: number) => ({ people: { [b.id]: { customerName: b.customerName, tier: b.tier, ageDays } } });

export function lineOf(b: OpenBackorder): DraftLine {
  return {
    backorderId: b.id,
    skuId: b.skuId,
    quantity: b.waiting,
    promisedDate: b.promisedDate,
    previousDate: b.firstPromisedDate !== b.promisedDate ? b.firstPromisedDate : null,
    shiftDays: b.firstPromisedDate && b.promisedDate ? daysBetween(b.firstPromisedDate, b.promisedDate) : null,
    confidence: b.confidence,
    basis: b.basis,
    reason: null,
  };
}

function draftFor(rule: TimeRule, orderId: string | null, customerId: string | null, lines: DraftLine[]): MessageDraft {
  return { ruleId: rule.id, template: rule.template, to: rule.to, orderId, customerId, backorderId: null, skuId: null, lines, delayMinutes: 0, extra: {} };
}

/** Drops what an earlier round already queued (the unique dedupe key would skip it anyway; this keeps rounds cheap). */
async function unsent(ctx: AppContext, due: Due[]): Promise<Due[]> {
  const sent = await queuedKeys(ctx.store.db, due.map((d) => d.key));
  return due.filter((d) => !sent.has(d.key));
}

/** Runs scheduler rounds every `everyMs` until stopped, the first now; one process runs each round. */
export function startScheduler(ctx: AppContext, everyMs = 60_000): { stop(): Promise<void> } {
  return startClaimedPeriodic(ctx, 'playbook.schedule', everyMs, () => runSchedule(ctx), 'scheduler round failed; it runs again next interval', { immediately: true });
}
