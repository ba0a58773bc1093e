/** zod schemas of the KPI routes: each figure's formula is said here, so /openapi.json says it too (README "KPIs"). */
import { z } from 'zod';
import { catalogId } from '../main/http-schemas.js';
import { isoDay } from '../purchasing/routes.js';
import { causes } from '../causes/domain.js';

export const dimensions = ['warehouse', 'sku', 'supplier', 'tier'] as const;
export const kpiPeriods = ['day', 'week', 'month', 'total'] as const;

export const kpiQuery = z.object({
  from: isoDay.describe('First day (inclusive)'),
  to: isoDay.describe('Last day (inclusive)'),
  period: z.enum(kpiPeriods).default('month').describe('day, ISO week, calendar month (clipped to from..to), or total: one row for the range'),
  by: z.enum(dimensions).optional().describe("Slice: the line's home warehouse, SKU, the SKU's cheapest supplier, or the customer's tier"),
  warehouseId: catalogId.optional(),
  skuId: catalogId.optional(),
  supplierId: catalogId.optional(),
  tier: z.coerce.number().int().min(1).max(100).optional(),
});

const rate = z.number().nullable();
const stats = z.object({ n: z.number().int(), mean: z.number().nullable(), share45: z.number().nullable() });

const kpiRowSchema = z.object({
  period: z.string().describe('2026-01-05, 2026-W02, 2026-01 or total'),
  start: z.string(),
  end: z.string(),
  slice: z.string().nullable().describe('Warehouse id, SKU id, supplier id or tier; null when not sliced'),
  intake: z.object({
    orders: z.number().int(),
    ordersAccepted: z.number().int(),
    ordersBackordered: z.number().int(),
    ordersFilled: z.number().int(),
    lines: z.number().int(),
    linesAccepted: z.number().int(),
    linesBackordered: z.number().int(),
    linesFilled: z.number().int(),
    units: z.number().int(),
    unitsAccepted: z.number().int(),
    unitsBackordered: z.number().int(),
    unitsRejected: z.number().int(),
    backorderRate: z.object({ lines: rate, units: rate, orders: rate }).describe('Backordered at intake / accepted at intake'),
    fillRate: z.object({ units: rate, lines: rate, orders: rate }).describe('Filled from stock at intake / ordered; a line or order counts only when filled completely'),
    lostDemandRate: rate.describe('Units refused at intake (stockout) / units demanded'),
  }),
  cycleTime: z.object({ orders: z.number().int(), p50Hours: rate, p90Hours: rate }).describe('Orders closed in the period with something shipped: last shipment - order time, exact to the minute; nearest-rank p50, p90'),
  backorders: z.object({
    open: z.object({
      count: z.number().int(),
      units: z.number().int(),
      buckets: z.array(z.object({ bucket: z.string(), count: z.number().int(), units: z.number().int() })),
    }).describe('Open at the end of the period (or now), by age in calendar days counting both ends (created today: 1)'),
    cleared: z.object({ count: z.number().int(), meanDays: rate, p50Days: rate, p90Days: rate }).describe('Fulfilled or cancelled in the period: resolved - created in days, exact to the minute'),
    promiseAccuracy: z.object({ fulfilled: z.number().int(), kept: z.number().int(), rate }).describe('Fulfilled on or before their FIRST promised date / fulfilled'),
  }),
  csat: z
    .object({
      count: z.number().int(),
      mean: rate,
      share45: rate,
      segments: z.object({
        backordered: z.object({ yes: stats, no: stats }),
        notifiedOnTime: z.object({ yes: stats, no: stats, notApplicable: stats }),
        promiseKept: z.object({ yes: stats, no: stats, notApplicable: stats }),
      }),
    })
    .nullable()
    .describe('Surveys answered in the period; null when slicing by warehouse, SKU or supplier (a survey rates a whole order)'),
  inventory: z
    .object({
      averageUnits: z.number(),
      averageValueMinor: z.number(),
      shippedUnits: z.number().int(),
      cogsMinor: z.number(),
      turnover: rate.describe('Cost of goods shipped / average inventory value (mean of day-end values), for the period'),
      onHandUnits: z.number().int(),
      onHandValueMinor: z.number(),
      daysOfSupply: rate.describe('On-hand at the end / average daily demand in the period'),
    })
    .nullable()
    .describe('Null when slicing by tier'),
});

export const kpiReportSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    period: z.enum(kpiPeriods),
    by: z.enum(dimensions).nullable(),
    asOf: z.string(),
    rows: z.array(kpiRowSchema),
    totals: z.array(kpiRowSchema).describe('One row per slice over the whole range'),
  })
  .meta({ id: 'KpiReport', description: 'Every KPI per period and slice (formulas in the README)' });

export const causeQuery = z.object({
  from: isoDay.describe('First day backorders were created (inclusive)'),
  to: isoDay.describe('Last day (inclusive)'),
  by: z.enum(['warehouse', 'sku', 'supplier']).optional().describe('One Pareto per warehouse, SKU or supplier (the SKU\'s cheapest)'),
  stage: z.enum(['created', 'resolved', 'latest']).default('latest').describe('created: cause at creation; resolved: cause at resolution (resolved ones only); latest: resolved if resolved, else created'),
  warehouseId: catalogId.optional(),
  skuId: catalogId.optional(),
  supplierId: catalogId.optional(),
});

export const causeReportSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    by: z.enum(['warehouse', 'sku', 'supplier']).nullable(),
    stage: z.enum(['created', 'resolved', 'latest']),
    rows: z.array(
      z.object({
        slice: z.string().describe("Warehouse, SKU or supplier id; '' when not sliced"),
        cause: z.enum([...causes, 'unattributed']),
        count: z.number().int().describe('Backorders'),
        units: z.number().int().describe('Units backordered'),
        shareOfUnits: z.number(),
        shareOfCount: z.number(),
        cumulativeUnits: z.number().describe("Share of the slice's units covered by this cause and the ones above it"),
      }),
    ),
  })
  .meta({ id: 'CauseReport', description: 'Pareto of root causes per slice, by units then count' });
