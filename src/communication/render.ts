/**
 * Turns an outbox row into what its reader sees: the template in the customer's language (or the playbook's),
 * filled with names and dates read at delivery, and signed links to the status page and survey.
 */
import type { AppContext } from '../main/context.js';
import { kpiReportView, type KpiReportVars } from '../kpis/weekly-report.js';
import type { PromiseBasis } from '../promising/domain.js';
import type { DraftLine } from './drafts.js';
import { statusUrl, surveyUrls } from './links.js';
import type { MessageRow } from './outbox-repository.js';
import type { Playbook } from './playbook/schema.js';
import type { TemplateLine, TemplateView } from './template-view.js';
import { pickTemplate, renderTemplate } from './templates.js';
import { basisInWords, causeInWords, choiceInWords } from './wording.js';

export interface RenderedEmail {
  to: string;
  language: string;
  subject: string;
  text: string;
  html: string;
}

/** What time-based rules store in `vars` beyond lines (see schedule.ts). */
export interface StoredVars {
  lines?: DraftLine[];
  choice?: string;
  surveyId?: string;
  sku?: TemplateView['sku'];
  slips?: number;
  digest?: Omit<NonNullable<TemplateView['digest']>, 'atRisk' | 'slipped' | 'oldest'> & { atRisk: DraftLine[]; slipped: DraftLine[]; oldest: DraftLine[] };
  /** Internal lines carry who is waiting and for how long. */
  people?: Record<string, { customerName: string; tier: number; ageDays: number }>;
  /** The weekly KPI report's figures (report.weekly). */
  kpiReport?: KpiReportVars;
}

/** What a round of emails needs from the store, read once for the whole round. */
export interface RenderLookup {
  customers: Map<string, { id: string; name: string; email: string; language: string }>;
  orders: Map<string, { id: string; reference: string | null }>;
  skuNames: Map<string, string>;
}

/** Reads the customers, orders and SKU names a round of messages mentions. */
export async function renderLookup(ctx: AppContext, messages: readonly MessageRow[]): Promise<RenderLookup> {
  const db = ctx.store.db;
  const ids = (pick: (m: MessageRow) => string | null) => [...new Set(messages.map(pick).filter((x): x is string => x !== null))];
  const skus = new Set<string>();
  for (const m of messages) {
    const vars = JSON.parse(m.vars) as StoredVars;
    for (const l of [...(vars.lines ?? []), ...(vars.digest ? [...vars.digest.atRisk, ...vars.digest.slipped, ...vars.digest.oldest] : [])]) skus.add(l.skuId);
  }
  const customerIds = ids((m) => m.customer_id);
  const orderIds = ids((m) => m.order_id);
  const customers = customerIds.length ? await db.selectFrom('customer').select(['id', 'name', 'email', 'language']).where('id', 'in', customerIds).execute() : [];
  const orders = orderIds.length ? await db.selectFrom('sales_order').select(['id', 'reference']).where('id', 'in', orderIds).execute() : [];
  const names = skus.size ? await db.selectFrom('sku').select(['id', 'name']).where('id', 'in', [...skus]).execute() : [];
  return {
    customers: new Map(customers.map((c) => [c.id, c])),
    orders: new Map(orders.map((o) => [o.id, o])),
    skuNames: new Map(names.map((n) => [n.id, n.name])),
  };
}

/** Renders an email message; a failure (no template, customer gone) is a reason to dead-letter, returned as text. */
export function renderEmail(ctx: AppContext, m: MessageRow, playbook: Playbook, lookup: RenderLookup): RenderedEmail | string {
  const vars = JSON.parse(m.vars) as StoredVars;
  const customer = m.customer_id ? lookup.customers.get(m.customer_id) : undefined;
  const to = m.audience === 'customer' ? customer?.email : m.recipient;
  if (!to) return `no recipient: customer ${m.customer_id ?? '(none)'} has no email address`;
  const language = m.audience === 'customer' ? (customer?.language ?? playbook.language) : playbook.language;
  const picked = pickTemplate(m.template, language, playbook.templates, playbook.language);
  if (!picked) return `template '${m.template}' does not exist in language ${language} or ${playbook.language}`;
  const order = m.order_id ? lookup.orders.get(m.order_id) : undefined;
  const names = lookup.skuNames;
  const line = (l: DraftLine): TemplateLine => {
    const who = l.backorderId ? vars.people?.[l.backorderId] : undefined;
    return {
      backorderId: l.backorderId,
      skuId: l.skuId,
      skuName: names.get(l.skuId) ?? l.skuId,
      quantity: l.quantity,
      promisedDate: l.promisedDate,
      previousDate: l.previousDate,
      shiftDays: l.shiftDays,
      confidencePct: l.confidence === null ? null : Math.round(l.confidence * 100),
      basis: basisInWords(l.basis as PromiseBasis | null),
      reason: causeInWords(l.reason),
      customerName: who?.customerName ?? null,
      tier: who?.tier ?? null,
      ageDays: who?.ageDays ?? null,
    };
  };
  const lines = (vars.lines ?? []).map(line);
  const ttl = playbook.links.ttl_days;
  const view: TemplateView = {
    company: playbook.name,
    customer: customer ? { id: customer.id, name: customer.name } : null,
    order: order ? { id: order.id, reference: order.reference } : null,
    lines,
    hasLines: lines.length > 0,
    statusUrl: order && m.audience === 'customer' ? statusUrl(ctx, order.id, ttl) : null,
    survey: vars.surveyId ? surveyUrls(ctx, vars.surveyId, ttl) : [],
    choice: vars.choice ? { kind: vars.choice, label: choiceInWords(vars.choice) } : null,
    sku: vars.sku ?? null,
    slips: vars.slips ?? null,
    digest: vars.digest ? { ...vars.digest, atRisk: vars.digest.atRisk.map(line), slipped: vars.digest.slipped.map(line), oldest: vars.digest.oldest.map(line) } : null,
    kpi: vars.kpiReport ? kpiReportView(vars.kpiReport, picked.language) : null,
  };
  return { to, language: picked.language, ...renderTemplate(picked.bodies, view) };
}
