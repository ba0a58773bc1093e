/**
 * Table types for Kysely: one schema for SQLite and PostgreSQL. Timestamps are ISO-8601 UTC text, quantities and
 * money (minor units) are integers, flags are 0/1, lists are JSON text (see GUIDE conventions: portable SQL).
 */
export interface SkuTable {
  id: string;
  name: string;
  unit_cost_minor: number;
  backorder_policy: 'allow' | 'allow-up-to-inbound' | 'deny' | 'discontinued';
  /** Max outstanding backordered units under `allow`; null = no cap. */
  backorder_cap: number | null;
  /** Under `allow-up-to-inbound`: inbound expected within this many days counts. */
  backorder_horizon_days: number | null;
  created_at: string;
  updated_at: string;
}

export interface WarehouseTable {
  id: string;
  name: string;
  /** JSON array of region or country codes this warehouse serves first. */
  regions: string;
  /** Lower is preferred when several warehouses could source a line. */
  priority: number;
  created_at: string;
  updated_at: string;
}

export interface CustomerTable {
  id: string;
  name: string;
  email: string;
  region: string;
  /** 1 is the most important tier. */
  tier: number;
  accepts_partial: number;
  /** BCP 47 language tag for messages (templates fall back to the playbook's language). */
  language: string;
  created_at: string;
  updated_at: string;
}

export interface StockLevelTable {
  sku_id: string;
  warehouse_id: string;
  on_hand: number;
  allocated: number;
  updated_at: string;
}

export type MovementKind = 'receipt' | 'shipment' | 'adjustment' | 'transfer_out' | 'transfer_in';

export interface MovementTable {
  id: string;
  sku_id: string;
  warehouse_id: string;
  kind: MovementKind;
  /** Signed change of on-hand; the sum over a SKU x warehouse equals its on_hand. */
  quantity: number;
  reason: string | null;
  source_type: string | null;
  source_id: string | null;
  created_at: string;
}

export interface SalesOrderTable {
  id: string;
  customer_id: string;
  reference: string | null;
  ship_complete: number;
  /** 1 once the customer asked (on the status page) to ship what is ready, overriding ship-complete rules. */
  partial_consent: number;
  status: 'open' | 'closed';
  placed_at: string;
  updated_at: string;
}

export interface OrderLineTable {
  id: string;
  order_id: string;
  line_no: number;
  sku_id: string;
  quantity: number;
  /** Allocated and not yet shipped. */
  allocated: number;
  shipped: number;
  /** Units backordered at intake (history; what still waits lives on the backorder). */
  backordered: number;
  rejected: number;
  reject_reason: string | null;
  cancelled: number;
  /** The order's time (a substitute line: when it was added), kept on the line so KPIs scan one table. */
  placed_at: string | null;
  /** Home warehouse: where the line waits when backordered, else the first that served it (null: none existed). */
  warehouse_id: string | null;
  /** When its last units shipped: order cycle time per slice is read from the lines alone. */
  last_shipped_at: string | null;
}

export interface AllocationTable {
  id: string;
  order_id: string;
  order_line_id: string;
  backorder_id: string | null;
  sku_id: string;
  warehouse_id: string;
  /** Open (unshipped, unreleased) units. */
  quantity: number;
  shipped: number;
  released: number;
  created_at: string;
}

export interface BackorderTable {
  id: string;
  order_id: string;
  order_line_id: string;
  sku_id: string;
  customer_id: string;
  /** The warehouse expected to fill it; the only one allowed when `flexible` is 0. */
  warehouse_id: string;
  flexible: number;
  quantity: number;
  allocated: number;
  fulfilled: number;
  cancelled: number;
  status: 'open' | 'partially_allocated' | 'allocated' | 'fulfilled' | 'cancelled';
  placed_at: string;
  created_at: string;
  updated_at: string;
  /** ISO day the waiting units are expected to ship; null when nothing is known. */
  promised_date: string | null;
  promise_confidence: number | null;
  promise_confirmed: number;
  /** JSON of the PromiseBasis: which PO, transfer or lead-time estimate the date rests on. */
  promise_basis: string | null;
  first_promised_date: string | null;
  fulfilled_at: string | null;
  /** Fingerprint of the stored promise: compared instead of the promise itself when re-projecting. */
  promise_key: string | null;
  /** Root cause attributed when it was created (src/causes), and its facts as JSON. */
  cause: string | null;
  cause_detail: string | null;
  /** Root cause attributed again when it was fulfilled or cancelled. */
  resolution_cause: string | null;
  resolution_detail: string | null;
}

export interface BackorderEventTable {
  id: string;
  backorder_id: string;
  type: string;
  data: string;
  created_at: string;
}

export interface ShipmentTable {
  id: string;
  order_id: string;
  warehouse_id: string;
  /** JSON array of { lineId, skuId, quantity }. */
  lines: string;
  created_at: string;
}

export interface IdempotencyKeyTable {
  scope: string;
  key: string;
  request_hash: string;
  response_body: string;
  created_at: string;
}

export interface SettingTable {
  key: string;
  value: string;
  updated_at: string;
}

export interface SupplierTable {
  id: string;
  name: string;
  default_lead_time_days: number;
  created_at: string;
  updated_at: string;
}

export interface SupplierItemTable {
  supplier_id: string;
  sku_id: string;
  /** null: the supplier's default lead time. */
  lead_time_days: number | null;
  pack_size: number;
  min_order_qty: number;
  unit_cost_minor: number;
  created_at: string;
  updated_at: string;
}

export type PurchaseOrderStatus = 'draft' | 'placed' | 'partially_received' | 'received' | 'cancelled';

export interface PurchaseOrderTable {
  id: string;
  supplier_id: string;
  reference: string | null;
  status: PurchaseOrderStatus;
  placed_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface PoLineTable {
  id: string;
  po_id: string;
  line_no: number;
  sku_id: string;
  warehouse_id: string;
  quantity: number;
  received: number;
  cancelled: number;
  /** ISO day; changes with every ETA update. */
  expected_date: string;
  /** The expected day when the PO was placed: on-time performance is measured against it. */
  original_expected_date: string;
}

export interface PoReceiptTable {
  id: string;
  po_line_id: string;
  po_id: string;
  supplier_id: string;
  sku_id: string;
  quantity: number;
  placed_at: string;
  expected_date: string;
  received_at: string;
}

export interface TransferTable {
  id: string;
  sku_id: string;
  from_warehouse_id: string;
  to_warehouse_id: string;
  quantity: number;
  status: 'in_transit' | 'arrived';
  shipped_at: string;
  /** ISO day. */
  expected_arrival: string;
  arrived_at: string | null;
}

/** The SKU's supply after its waiting queue was promised (JSON of promising/snapshot.ts `Snapshot`). */
export interface SkuProjectionTable {
  sku_id: string;
  remaining: string;
  updated_at: string;
}

export type MessageChannel = 'email' | 'webhook';
export type MessageStatus = 'pending' | 'sending' | 'delivered' | 'dead';

/** One outbox row: written with the change that caused it, delivered (and rendered) by the worker. */
export interface MessageTable {
  id: string;
  channel: MessageChannel;
  audience: 'customer' | 'internal' | 'integration';
  /** The playbook rule id (or `webhook`) that produced it. */
  rule: string;
  /** Template name for email; the event type for webhooks. */
  template: string;
  /** Email address (resolved at delivery for customers) or webhook URL. */
  recipient: string | null;
  subscription_id: string | null;
  order_id: string | null;
  customer_id: string | null;
  backorder_id: string | null;
  sku_id: string | null;
  /** JSON: the template's variables, or the webhook event. */
  vars: string;
  playbook_version: number;
  /** Time-based rules fire once per key. */
  dedupe_key: string | null;
  status: MessageStatus;
  attempts: number;
  next_attempt_at: string;
  /** A worker holds a `sending` message until then; after it, another worker may take it over. */
  lease_until: string | null;
  /** The delivery round that claimed it last (see claimDue). */
  claim_token: string | null;
  last_error: string | null;
  language: string | null;
  subject: string | null;
  body_text: string | null;
  body_html: string | null;
  created_at: string;
  updated_at: string;
  delivered_at: string | null;
}

export interface WebhookSubscriptionTable {
  id: string;
  url: string;
  secret: string;
  /** JSON array of event types, `*` for all. */
  event_types: string;
  description: string | null;
  active: number;
  created_at: string;
  updated_at: string;
}

export interface PlaybookVersionTable {
  version: number;
  source: string;
  note: string | null;
  created_at: string;
}

export type ChoiceKind = 'wait' | 'substitute' | 'ship_ready' | 'cancel';

export interface CustomerChoiceTable {
  id: string;
  order_id: string;
  line_id: string | null;
  backorder_id: string | null;
  choice: ChoiceKind;
  detail: string;
  via: 'status_page' | 'api';
  created_at: string;
}

export interface CsatSurveyTable {
  id: string;
  order_id: string;
  customer_id: string;
  backordered: number;
  score: number | null;
  comment: string | null;
  notified_on_time: number | null;
  promise_kept: number | null;
  created_at: string;
  answered_at: string | null;
}

export interface SkuAlternateTable {
  sku_id: string;
  alternate_sku_id: string;
  rank: number;
}

/** One day's KPI facts of one kind and slice, folded (src/kpis/rollup.ts). */
export interface KpiDayTable {
  kind: string;
  /** none, warehouse or tier. */
  dim: string;
  key: string;
  day: string;
  /** JSON of the kind's facts (src/kpis/facts.ts). */
  data: string;
}

/** A committed processing run (src/allocation/run-commit.ts). */
export interface AllocationRunTable {
  id: string;
  strategy: string;
  /** JSON of the strategy's configuration (categories' segments), else null. */
  config: string | null;
  /** JSON array of the SKUs asked for, or null for every SKU with open backorders. */
  sku_ids: string | null;
  /** With transfers: their transit days; null when the run made none. */
  transit_days: number | null;
  requested_by: string;
  /** api, schedule or cli. */
  trigger: string;
  /** The day of a scheduled run; unique so a night's run starts once. */
  schedule_key: string | null;
  /** running, committed or failed. */
  status: string;
  skus: number;
  skus_done: number;
  backorders: number;
  changes: number;
  units_gained: number;
  units_lost: number;
  customers_affected: number;
  /** JSON array of the transfers the run made (RunTransfer). */
  transfers: string;
  error: string | null;
  started_at: string;
  finished_at: string | null;
}

/** One backorder x warehouse allocation a run changed, with why. */
export interface AllocationRunChangeTable {
  run_id: string;
  sku_id: string;
  backorder_id: string;
  order_id: string;
  customer_id: string;
  warehouse_id: string;
  before: number;
  after: number;
  /** The backorder's position in the strategy's order for its SKU, and how many demands were ranked. */
  rank: number;
  competing: number;
  reason: string;
  promised_before: string | null;
  promised_after: string | null;
}

export interface Database {
  sku: SkuTable;
  warehouse: WarehouseTable;
  customer: CustomerTable;
  stock_level: StockLevelTable;
  movement: MovementTable;
  sales_order: SalesOrderTable;
  order_line: OrderLineTable;
  allocation: AllocationTable;
  backorder: BackorderTable;
  backorder_event: BackorderEventTable;
  shipment: ShipmentTable;
  idempotency_key: IdempotencyKeyTable;
  setting: SettingTable;
  supplier: SupplierTable;
  supplier_item: SupplierItemTable;
  purchase_order: PurchaseOrderTable;
  po_line: PoLineTable;
  po_receipt: PoReceiptTable;
  transfer: TransferTable;
  sku_projection: SkuProjectionTable;
  message: MessageTable;
  webhook_subscription: WebhookSubscriptionTable;
  playbook_version: PlaybookVersionTable;
  customer_choice: CustomerChoiceTable;
  csat_survey: CsatSurveyTable;
  sku_alternate: SkuAlternateTable;
  kpi_day: KpiDayTable;
  allocation_run: AllocationRunTable;
  allocation_run_change: AllocationRunChangeTable;
  api_key: ApiKeyTable;
  session: SessionTable;
  audit_log: AuditLogTable;
  job_claim: JobClaimTable;
}

export interface ApiKeyTable {
  /** The public part of the key (`rck_<id>_<secret>`), used to find it. */
  id: string;
  name: string;
  /** admin, planner, agent, viewer or integration. */
  role: string;
  /** Hex SHA-256 of the secret part: the secret itself is never stored. */
  secret_hash: string;
  /** The actor that made it (`key:<id>`, or `cli` / `env`). */
  created_by: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface SessionTable {
  /** Hex SHA-256 of the cookie's token. */
  token_hash: string;
  key_id: string;
  /** Sent back in X-CSRF-Token with every change made through the session. */
  csrf_token: string;
  created_at: string;
  expires_at: string;
}

export interface AuditLogTable {
  id: string;
  at: string;
  /** The key's name (or `customer link`, `anonymous`). */
  actor: string;
  key_id: string | null;
  role: string | null;
  /** key, session, link or none. */
  via: string;
  method: string;
  /** The route's pattern, e.g. `/orders/:id/shipments`. */
  route: string;
  /** The path asked for, without its query. */
  path: string;
  status: number;
  /** changed, denied (401/403) or limited (429). */
  outcome: string;
  idempotency_key: string | null;
  request_id: string;
  ip: string | null;
}

export interface JobClaimTable {
  name: string;
  /** When the job's next round may start: a claim moves it one period on. */
  due_at: string;
  /** `<hostname>:<pid>` of the process that claimed the last round. */
  holder: string | null;
  claimed_at: string | null;
}
