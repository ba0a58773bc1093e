/**
 * Background jobs that every process may run but only one may run at a time: each round is claimed first, by a
 * conditional update of the job's row that moves `due_at` one period on. Two processes ticking together both try;
 * the database lets one update match (a row lock on PostgreSQL, the single writer on SQLite), so the other finds
 * the round taken and skips it. No lease to renew: a process that dies mid-round leaves the next round due on time,
 * and every job's round is safe to run again (watermarks, dedupe keys, re-projection).
 */
import { hostname } from 'node:os';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { AppContext } from '../main/context.js';
import { startPeriodic } from '../shared/periodic.js';

export const processHolder = `${hostname()}:${process.pid}`;

/** True when this process claimed the job's round due at `now`; the next is then due `periodMs` later. */
export async function claimRound(db: Kysely<Database>, name: string, now: Date, periodMs: number, holder = processHolder): Promise<boolean> {
  const at = now.toISOString();
  await db.insertInto('job_claim').values({ name, due_at: at, holder: null, claimed_at: null }).onConflict((oc) => oc.column('name').doNothing()).execute();
  const claimed = await db
    .updateTable('job_claim')
    .set({ due_at: new Date(now.getTime() + periodMs).toISOString(), holder, claimed_at: at })
    .where('name', '=', name)
    .where('due_at', '<=', at)
    .executeTakeFirst();
  return Number(claimed.numUpdatedRows) === 1;
}

/**
 * Runs `round` every `everyMs` in this process, each time only if this process claims it: with several workers on
 * one store, the rounds are shared out, never doubled.
 */
export function startClaimedPeriodic(
  ctx: AppContext,
  name: string,
  everyMs: number,
  round: () => Promise<unknown>,
  failure: string,
  options: { immediately?: boolean } = {},
): { stop(): Promise<void> } {
  // A little less than the period, so a process whose timer fires a few milliseconds early still finds its round due.
  const periodMs = Math.max(1, everyMs - Math.min(1_000, everyMs / 10));
  return startPeriodic(ctx.log, everyMs, async () => {
    if (await claimRound(ctx.store.db, name, ctx.clock.now(), periodMs)) await round();
  }, failure, options);
}
