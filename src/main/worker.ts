/**
 * Background work of a process: outbox delivery, the playbook's scheduler, root-cause attribution and KPI folding,
 * scheduled allocation runs, and the re-projection of stale promises. `serve` runs it beside the API by
 * default; `raincheck worker` runs it alone. Several processes may run it on one PostgreSQL store: message
 * deliveries are claimed with SKIP LOCKED, and each periodic job's round is claimed in job_claim (src/jobs/claims.ts),
 * so one process runs it; scheduled messages also carry dedupe keys.
 */
import type { AppContext } from './context.js';
import { realChannels, type Channels } from '../communication/channels.js';
import { startDeliveryWorker } from '../communication/delivery.js';
import { startScheduler } from '../communication/schedule.js';
import { startAttribution } from '../causes/service.js';
import { startRunScheduler } from '../allocation/run-schedule.js';
import { startPromiseRefresh } from '../promising/refresh.js';

export interface BackgroundOptions {
  deliver?: boolean;
  schedule?: boolean;
  pollMs?: number;
  scheduleEveryMs?: number;
  /** How often root causes are attributed to new and newly resolved backorders (default 30 s). */
  attributeEveryMs?: number;
  /** How often the allocation-run schedule is checked (default 60 s). */
  runScheduleEveryMs?: number;
  /** How often promises older than 20 hours are re-projected (default hourly). */
  refreshEveryMs?: number;
  channels?: Channels;
}

/** Starts delivery and scheduling; `stop` finishes the delivery round in progress and closes the channels. */
export function startBackground(ctx: AppContext, options: BackgroundOptions = {}): { stop(): Promise<void> } {
  const channels = options.channels ?? realChannels(ctx.comms.smtpUrl);
  if (!ctx.comms.smtpUrl && !options.channels) ctx.log.warn('SMTP_URL is not set: emails wait in the outbox until a mail server is configured');
  const delivery =
    options.deliver === false
      ? null
      : startDeliveryWorker(ctx, channels, { pollMs: options.pollMs ?? 500, channel: ctx.comms.smtpUrl || options.channels ? undefined : 'webhook' });
  const scheduler = options.schedule === false ? null : startScheduler(ctx, options.scheduleEveryMs ?? 60_000);
  const attribution = options.schedule === false ? null : startAttribution(ctx, options.attributeEveryMs ?? 30_000);
  const runs = options.schedule === false ? null : startRunScheduler(ctx, options.runScheduleEveryMs ?? 60_000);
  const refresh = options.schedule === false ? null : startPromiseRefresh(ctx, options.refreshEveryMs ?? 3_600_000);
  return {
    async stop() {
      await scheduler?.stop();
      await attribution?.stop();
      await runs?.stop();
      await refresh?.stop();
      await delivery?.stop();
      await channels.close();
    },
  };
}
