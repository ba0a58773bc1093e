/**
 * Scheduled processing runs: the settings table holds one schedule (a strategy, optionally its SKUs, the UTC hour
 * from which the day's run is due); every worker checks it each interval and, once the hour has come, commits the
 * day's run with the day as its schedule key. The key is unique in allocation_run, so however many workers check,
 * one run starts per day (the others find the key taken and do nothing); a day whose run failed is not retried
 * automatically, its record says why (run it again by hand).
 */
import type { Tx } from '../db/connect.js';
import type { AppContext } from '../main/context.js';
import { ok, type Result } from '../shared/result.js';
import { startClaimedPeriodic } from '../jobs/claims.js';
import { commitRun, type CommittedRun } from './run-commit.js';
import { strategyFor } from './run-strategies.js';
import { runRequestOf, type RunBody } from './run-service.js';

/** As the API takes it: a run's body, and when it is due. */
export interface RunSchedule extends RunBody {
  enabled: boolean;
  /** The run is due from this hour of the day (UTC), once a day. */
  hourUtc: number;
}

const key = 'allocation.schedule';

export async function readSchedule(tx: Tx): Promise<RunSchedule | null> {
  const row = await tx.selectFrom('setting').select('value').where('key', '=', key).executeTakeFirst();
  return row ? (JSON.parse(row.value) as RunSchedule) : null;
}

/** Stores a schedule after checking its strategy (a bad one is refused, naming the field; nothing is stored). */
export async function saveSchedule(ctx: AppContext, schedule: RunSchedule): Promise<Result<RunSchedule>> {
  const request = runRequestOf(schedule);
  if (!request.ok) return request;
  const strategy = strategyFor(request.value.strategy);
  if (!strategy.ok) return strategy;
  const value = JSON.stringify(schedule);
  const now = ctx.clock.now().toISOString();
  await ctx.store.db
    .insertInto('setting')
    .values({ key, value, updated_at: now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: now }))
    .execute();
  return ok(schedule);
}

/** Commits today's scheduled run if it is due and no process has started it; null when there was nothing to do. */
export async function runDueSchedule(ctx: AppContext): Promise<CommittedRun | null> {
  const schedule = await readSchedule(ctx.store.db);
  const now = ctx.clock.now();
  if (!schedule?.enabled || now.getUTCHours() < schedule.hourUtc) return null;
  const day = now.toISOString().slice(0, 10);
  const taken = await ctx.store.db.selectFrom('allocation_run').select('id').where('schedule_key', '=', day).executeTakeFirst();
  if (taken) return null;
  const request = runRequestOf(schedule);
  const run = request.ok ? await commitRun(ctx, { ...request.value, requestedBy: 'schedule', trigger: 'schedule', scheduleKey: day }) : request;
  if (!run.ok) {
    // Another process started the day's run between the check and the insert: that is the claim working.
    if (run.error.code === 'already_exists') return null;
    ctx.log.error({ error: run.error }, 'the scheduled allocation run was refused; fix the schedule (PUT /settings/allocation/schedule)');
    return null;
  }
  ctx.log.info({ runId: run.value.id, status: run.value.status, changes: run.value.changes.length }, 'scheduled allocation run done');
  return run.value;
}

/** Checks the schedule every `everyMs`; one check at a time per process. */
export function startRunScheduler(ctx: AppContext, everyMs: number): { stop(): Promise<void> } {
  return startClaimedPeriodic(ctx, 'allocation.schedule', everyMs, () => runDueSchedule(ctx), 'scheduled allocation run failed; the schedule is checked again next interval');
}
