/**
 * The playbook's shape: who is told what, through which channel, and when. One versioned document (YAML or JSON)
 * validated here; every rule names a trigger from a closed list, so a typo is an error at load, never silence.
 */
import { z } from 'zod';
import { withReportTemplates } from '../templates/reports/report-templates.js';

const email = z.email();
/** `customer` (the order's customer) or internal addresses. */
const recipients = z.union([z.literal('customer'), z.array(email).min(1).max(50)]);
const days = z.number().int().min(1).max(3650);

const base = {
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and dashes'),
  to: recipients,
  channel: z.literal('email').default('email'),
  template: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and dashes'),
  enabled: z.boolean().default(true),
};
/** Event rules may wait before sending (a grace period), e.g. to let a quick re-allocation land first. */
const delay = { delay_minutes: z.number().int().min(0).max(10_080).default(0) };

export const eventTriggers = [
  'backorder.confirmed',
  'promise.changed',
  'backorder.ready',
  'order.partially_shipped',
  'order.shipped',
  'backorder.cancelled',
  'csat.survey',
  'choice.made',
] as const;

export const timeTriggers = ['backorder.still_open', 'backorder.delayed', 'backorder.aged', 'promise.slipped', 'sku.open_backorders', 'digest.daily', 'report.weekly'] as const;

/** ISO weekdays (Monday = 1), as a weekly rule names the day it fires on. */
export const weekdays = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;

const rule = z.discriminatedUnion('on', [
  z.strictObject({ ...base, ...delay, on: z.literal('backorder.confirmed') }),
  z.strictObject({
    ...base,
    ...delay,
    on: z.literal('promise.changed'),
    min_shift_days: z.number().int().min(0).max(3650).default(1),
    direction: z.enum(['later', 'earlier', 'any']).default('later'),
  }),
  z.strictObject({ ...base, ...delay, on: z.literal('backorder.ready') }),
  z.strictObject({ ...base, ...delay, on: z.literal('order.partially_shipped') }),
  z.strictObject({ ...base, ...delay, on: z.literal('order.shipped') }),
  z.strictObject({ ...base, ...delay, on: z.literal('backorder.cancelled') }),
  z.strictObject({ ...base, ...delay, on: z.literal('csat.survey'), only_backordered: z.boolean().default(false) }),
  z.strictObject({ ...base, ...delay, on: z.literal('choice.made') }),
  z.strictObject({ ...base, on: z.literal('backorder.still_open'), every_days: days }),
  z.strictObject({ ...base, on: z.literal('backorder.delayed'), wait_days_at_least: days }),
  z.strictObject({ ...base, on: z.literal('backorder.aged'), days_at_least: days, tier_at_most: z.number().int().min(1).max(9).optional() }),
  z.strictObject({ ...base, on: z.literal('promise.slipped'), times_at_least: z.number().int().min(1).max(100) }),
  z.strictObject({ ...base, on: z.literal('sku.open_backorders'), above: z.number().int().min(0).max(1_000_000) }),
  z.strictObject({ ...base, on: z.literal('digest.daily'), hour_utc: z.number().int().min(0).max(23), list_size: z.number().int().min(1).max(200).default(10) }),
  // The KPI report of the ISO week just ended, sent from `weekday` at `hour_utc` on (UTC), once per week.
  z.strictObject({
    ...base,
    on: z.literal('report.weekly'),
    weekday: z.enum(weekdays).default('monday'),
    hour_utc: z.number().int().min(0).max(23),
    trend_weeks: z.number().int().min(2).max(26).default(8),
  }),
]);

const template = z.strictObject({ subject: z.string().min(1).max(500), text: z.string().min(1).max(20_000), html: z.string().min(1).max(50_000) });
const language = z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'a language tag such as en, de or fr-CA');

export const playbookSchema = z
  .strictObject({
    version: z.literal(1, 'the playbook format version; 1 is the only one'),
    name: z.string().min(1).max(200),
    language: language.default('en'),
    sender: z.string().min(3).max(300).default('Raincheck <backorders@raincheck.local>'),
    links: z.strictObject({ ttl_days: days.default(30) }).default({ ttl_days: 30 }),
    delivery: z
      .strictObject({
        max_attempts: z.number().int().min(1).max(50).default(8),
        backoff_base_seconds: z.number().min(0.01).max(3600).default(30),
        backoff_max_seconds: z.number().min(1).max(604_800).default(21_600),
        timeout_seconds: z.number().min(0.1).max(120).default(10),
      })
      .default({ max_attempts: 8, backoff_base_seconds: 30, backoff_max_seconds: 21_600, timeout_seconds: 10 }),
    /** A message counts as "on time" for CSAT segments when delivered within this many hours of its event. */
    notify_within_hours: z.number().min(0).max(720).default(24),
    rules: z.array(rule).max(200),
    /**
     * Overrides and extra languages: language -> template name -> bodies (mustache). The shipped report templates
     * (kpi-report) are added beneath the playbook's own, so rules may name them and the playbook may override them.
     */
    templates: z.record(language, z.record(z.string(), template)).default({}).transform(withReportTemplates),
  })
  .superRefine((p, issue) => {
    const seen = new Set<string>();
    p.rules.forEach((r, i) => {
      if (seen.has(r.id)) issue.addIssue({ code: 'custom', path: ['rules', i, 'id'], message: `rule id '${r.id}' is used twice` });
      seen.add(r.id);
    });
  });

export type Playbook = z.infer<typeof playbookSchema>;
export type PlaybookRule = Playbook['rules'][number];
export type EventTrigger = (typeof eventTriggers)[number];
export type TimeTrigger = (typeof timeTriggers)[number];
export type RuleOn<T extends PlaybookRule['on']> = Extract<PlaybookRule, { on: T }>;
export type TemplateBodies = z.infer<typeof template>;

export const isEventRule = (r: PlaybookRule): r is Extract<PlaybookRule, { on: EventTrigger }> => (eventTriggers as readonly string[]).includes(r.on);
