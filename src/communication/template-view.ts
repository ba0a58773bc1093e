/**
 * What every message template can use (mustache): the contract between the playbook's templates and the code that
 * renders them. Dates are ISO days (YYYY-MM-DD); text fields are plain (HTML escaping happens when rendering HTML).
 */
import type { KpiReportView } from '../kpis/weekly-report.js';

export interface TemplateLine {
  backorderId: string | null;
  skuId: string;
  skuName: string;
  /** Units this line is about: backordered, shipped, cancelled or still waiting, depending on the message. */
  quantity: number;
  promisedDate: string | null;
  /** For a changed promise: the date before. */
  previousDate: string | null;
  /** Days the promise moved (positive = later). */
  shiftDays: number | null;
  /** 0-100, how likely the promised date holds. */
  confidencePct: number | null;
  /** Why the date is what it is, in words ("purchase order PO-7 due 2026-12-01 from Acme"). */
  basis: string | null;
  /** Why something happened (cancellation reason, cause of a date change), in words. */
  reason: string | null;
  /** Internal messages: the customer, their tier and the backorder's age. */
  customerName: string | null;
  tier: number | null;
  ageDays: number | null;
}

export interface TemplateView {
  /** Sender's name from the playbook. */
  company: string;
  customer: { id: string; name: string } | null;
  order: { id: string; reference: string | null } | null;
  lines: TemplateLine[];
  hasLines: boolean;
  /** Signed link to the order's self-service status page (customer messages about an order). */
  statusUrl: string | null;
  /** The CSAT survey: one signed one-click link per score 1..5. */
  survey: { score: number; url: string }[];
  /** The choice a customer made (choice.made): wait, substitute, ship_ready or cancel, and in words. */
  choice: { kind: string; label: string } | null;
  /** sku.open_backorders escalations. */
  sku: { id: string; name: string; openBackorders: number; waitingUnits: number } | null;
  /** promise.slipped escalations: how many times the date moved later. */
  slips: number | null;
  /** daily digest sections. */
  digest: {
    date: string;
    atRisk: TemplateLine[];
    slipped: TemplateLine[];
    oldest: TemplateLine[];
    topSkus: { skuId: string; skuName: string; openBackorders: number; waitingUnits: number }[];
  } | null;
  /**
   * The weekly KPI report (report.weekly, template kpi-report): figures formatted in the reader's language and the
   * trend chart. Optional: only the report's templates (templates/reports/) read it.
   */
  kpi?: KpiReportView | null;
}

/** The built-in templates every language file must define (rules may name others defined in the playbook). */
export const builtInTemplateNames = [
  'backorder-confirmed',
  'backorder-status',
  'promise-changed',
  'backorder-ready',
  'order-partially-shipped',
  'order-shipped',
  'backorder-cancelled',
  'csat-survey',
  'choice-confirmed',
  'choice-made-internal',
  'still-on-track',
  'offer-choices',
  'escalation-aged',
  'escalation-slipped',
  'escalation-sku',
  'daily-digest',
] as const;
