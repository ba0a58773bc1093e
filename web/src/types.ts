/**
 * The API's types, inferred from the same zod schemas the server validates and documents with (type-only imports:
 * nothing of the server is bundled). A schema change that breaks the dashboard breaks its type check.
 */
import type { z } from 'zod';
import type { backorderSchema } from '../../src/backorders/routes.js';
import type { orderSchema } from '../../src/orders/routes.js';
import type { kpiReportSchema, causeReportSchema } from '../../src/kpis/schemas.js';
import type { supplierSchema, warehouseSchema } from '../../src/catalog/routes.js';
import type { messageSchema } from '../../src/communication/routes.js';
import type { performanceSchema, poSchema } from '../../src/purchasing/routes.js';
import type { demandSchema, policySchema, recommendationListSchema, riskSchema } from '../../src/replenishment/schemas.js';
import type { apiKeySchema, auditEntrySchema, sessionSchema } from '../../src/access/routes.js';
import type { committedRunSchema, dryRunSchema, explanationSchema, runDetailSchema, runSummarySchema } from '../../src/allocation/schemas.js';

export type Backorder = z.infer<typeof backorderSchema>;
export type ApiKey = z.infer<typeof apiKeySchema>;
export type Session = z.infer<typeof sessionSchema>;
export type AuditEntry = z.infer<typeof auditEntrySchema>;
export type Order = z.infer<typeof orderSchema>;
export type KpiReport = z.infer<typeof kpiReportSchema>;
export type KpiRow = KpiReport['rows'][number];
export type CauseReport = z.infer<typeof causeReportSchema>;
export type DryRun = z.infer<typeof dryRunSchema>;
export type CommittedRun = z.infer<typeof committedRunSchema>;
export type RunSummary = z.infer<typeof runSummarySchema>;
export type RunDetail = z.infer<typeof runDetailSchema>;
export type Explanation = z.infer<typeof explanationSchema>;
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
export type Risk = z.infer<typeof riskSchema>;
export type Message = z.infer<typeof messageSchema>;
export interface BackorderWithHistory extends Backorder {
  history: { id: string; type: string; at: string; data: Record<string, unknown> }[];
}
export type Demand = z.infer<typeof demandSchema>;
export type Policy = z.infer<typeof policySchema>;
export type Recommendations = z.infer<typeof recommendationListSchema>;
export type { StockLevel } from '../../src/inventory/domain.js';
export type { TransferSuggestion } from '../../src/inventory/transfers.js';
export type Supplier = z.infer<typeof supplierSchema>;
export type Warehouse = z.infer<typeof warehouseSchema>;
export type SupplierPerformance = z.infer<typeof performanceSchema>;
export type SimulationReport = import('../../src/simulation/report.js').SimulationReport;
export type PurchaseOrder = z.infer<typeof poSchema>;
