/** zod schemas of the replenishment routes: what each number means is said here, so /openapi.json says it too. */
import { z } from 'zod';
import { poSchema } from '../purchasing/routes.js';
import { catalogId, quantity } from '../main/http-schemas.js';
import { isoDay } from '../purchasing/routes.js';

/** The planning settings; `coerce` for query strings, plain numbers for JSON bodies. */
function planningFields(coerce: boolean) {
  const number = () => (coerce ? z.coerce.number() : z.number());
  return {
    service: number().gt(0).lt(1).optional().describe('Target service level, strictly between 0 and 1 (default 0.95); not with serviceType line-cost'),
    serviceType: z
      .enum(['fill-rate', 'cycle', 'line-cost'])
      .optional()
      .describe(
        'fill-rate: share of demand met from stock; cycle: probability of no stockout in a replenishment cycle; line-cost: each SKU x warehouse gets the cycle service level where one more unit held costs more than the backordered order lines it avoids, priced at backorderCostMinor (cheap items sold in small lines get more cover, dear items sold in large lines less) (default fill-rate)',
      ),
    backorderCostMinor: number()
      .gt(0)
      .max(1e9)
      .optional()
      .describe('B, with serviceType line-cost only: what one backordered order line costs, minor units (default 2500)'),
    policy: z.enum(['sQ', 'sS', 'RS']).optional().describe('sQ: order Q at or below s; sS: order up to S at or below s; RS: every R days order up to S (default sQ)'),
    reviewDays: number().int().min(0).max(365).optional().describe('Days between reviews; 0 = continuous review (sQ and sS only) (default 7)'),
    orderCostMinor: number().min(0).max(1e9).optional().describe('K: cost of placing one purchase order, minor units (default 2500)'),
    holdingRate: number().gt(0).max(10).optional().describe('r: yearly holding cost as a share of the unit cost (default 0.25)'),
    windowDays: number().int().min(7).max(1096).optional().describe('Days of demand history (ending yesterday) the demand rate is estimated from (default 182)'),
  };
}

/** The planning settings as query parameters (strings coerced to numbers). */
export const planningQuery = z.object({ skuId: catalogId.optional(), warehouseId: catalogId.optional(), ...planningFields(true) });

export const listLimit = z.coerce.number().int().min(1).max(1000).default(100).describe('At most this many rows (default 100)');

export const demandQuery = z.object({
  skuId: catalogId.optional(),
  warehouseId: catalogId.optional(),
  period: z.enum(['day', 'week', 'month']).default('week').describe('day, ISO week (Monday-Sunday, labelled 2026-W02) or calendar month'),
  from: isoDay.optional().describe('First day (default: 26 weeks before `to`); rounded down to the start of its period'),
  to: isoDay.optional().describe('Last day (default: today); rounded up to the end of its period'),
});

export const demandSchema = z
  .object({
    period: z.enum(['day', 'week', 'month']),
    from: z.string().describe('First day covered (start of the first period)'),
    to: z.string().describe('Last day covered (end of the last period)'),
    series: z.array(
      z.object({
        skuId: z.string(),
        warehouseId: z.string(),
        total: z.number().int().describe('Units demanded over the whole range'),
        periods: z.array(
          z.object({
            period: z.string().describe('2026-01-05, 2026-W02 or 2026-01'),
            start: z.string(),
            end: z.string(),
            quantity: z.number().int().describe('Units ordered in the period: allocated, backordered and rejected alike (0 when none)'),
          }),
        ),
      }),
    ),
  })
  .meta({ id: 'DemandHistory', description: 'Unconstrained demand (what was asked for) per SKU x warehouse and period' });

const family = z.enum(['normal', 'gamma', 'poisson', 'negative-binomial']).describe('Distribution fitted to demand: normal when smooth, poisson / negative-binomial when low-volume');

const leadTime = z
  .object({
    meanDays: z.number(),
    sdDays: z.number(),
    source: z.enum(['item-receipts', 'supplier-receipts', 'configured']).describe('Measured from receipts (5 or more) or the configured lead time (sd 0)'),
    receipts: z.number().int(),
  })
  .meta({ id: 'LeadTimeEstimate' });

const policyNumbers = z
  .object({
    kind: z.enum(['sQ', 'sS', 'RS']),
    reviewDays: z.number().int(),
    reorderPoint: z.number().nullable().describe('s: order when the inventory position is at or below it (null for RS)'),
    orderQuantity: z.number().nullable().describe('Q, whole packs and at least the MOQ (sQ only)'),
    orderUpTo: z.number().nullable().describe('S: order up to it (sS and RS)'),
    safetyStock: z.number().describe('Level minus the expected demand it covers'),
  })
  .meta({ id: 'PolicyNumbers' });

const expected = z.object({
  fillRate: z.number().describe('Expected share of demand met from stock'),
  cycleServiceLevel: z.number().describe('Expected probability of no stockout in a cycle'),
  averageOnHand: z.number(),
  ordersPerYear: z.number(),
  holdingCostPerYear: z.number().describe('Minor units'),
  orderingCostPerYear: z.number().describe('Minor units'),
  costPerYear: z.number().describe('Holding + ordering, minor units'),
});

export const policySchema = z
  .object({
    skuId: z.string(),
    warehouseId: z.string(),
    inventoryPosition: z.number().describe('onHand - allocated - backordered + onOrder'),
    demand: z.object({
      dailyMean: z.number(),
      dailyVariance: z.number(),
      method: z.string().describe('The estimator: weekly-forecast(<method chosen>, <weeks>w), or trailing-mean(<days>d) for fewer than 4 whole weeks of history'),
      from: z.string(),
      to: z.string(),
      days: z.number().int(),
      units: z.number().int().describe('Units demanded in the window (from..to)'),
      lines: z.number().int().describe('Order lines in the window with a part at this warehouse'),
      meanLineSize: z.number().describe('units / lines (1 without lines): what serviceType line-cost weighs a shortage by'),
      family,
    }),
    supplier: z
      .object({ supplierId: z.string(), unitCostMinor: z.number().int(), packSize: z.number().int(), minOrderQty: z.number().int(), leadTime })
      .nullable()
      .describe('The cheapest supplier item; null when nobody supplies the SKU'),
    policy: policyNumbers.nullable(),
    expected: expected.nullable(),
  })
  .meta({ id: 'ReplenishmentPolicy' });

export const riskSchema = z
  .object({
    skuId: z.string(),
    warehouseId: z.string(),
    onHand: z.number().int(),
    allocated: z.number().int(),
    backordered: z.number().int().describe('Units waiting on backorders at this warehouse'),
    onOrder: z.number().int().describe('Open units on placed purchase orders and transfers in transit to this warehouse'),
    inventoryPosition: z.number(),
    dailyMean: z.number(),
    family,
    supplierId: z.string().nullable().describe('The cheapest supplier, whose lead time the risk is over'),
    leadTime: leadTime.nullable(),
    stockoutProbability: z.number().describe('P(lead-time demand > inventory position): the backorder-risk score'),
    expectedShortage: z.number().describe('Expected units short by the time an order placed now arrives'),
    daysUntilStockout: z.number().nullable().describe('Days the available stock lasts at mean demand; 0 when none is available; null without demand'),
  })
  .meta({ id: 'BackorderRisk' });

export const recommendationSchema = z
  .object({
    skuId: z.string(),
    warehouseId: z.string(),
    orderNow: z.boolean(),
    quantity: z.number().int().describe('Units to order (whole packs, at least the MOQ)'),
    supplierId: z.string(),
    basis: z.enum(['lowest-cost', 'shortest-lead-time']).describe('Cheapest per unit served, or the fastest when a backorder is more likely than not'),
    orderBy: z.string().nullable().describe('Last day to place the order'),
    expectedArrival: z.string().nullable(),
    risk: z.number().describe('P(lead-time demand > planning position) with the chosen supplier'),
    expectedFillRate: z.number(),
    expectedCostPerYear: z.number().describe('Minor units'),
    costPerUnit: z.number().describe('Unit cost + holding and ordering cost per unit demanded, minor units'),
    orderValue: z.number().describe('quantity x unit cost + order cost, minor units'),
    inventoryPosition: z.number(),
    onDraft: z.number().int().describe('Units on draft purchase orders: counted as ordered when recommending'),
    dailyMean: z.number(),
    policy: policyNumbers,
  })
  .meta({ id: 'Recommendation' });

export const recommendationListSchema = z.object({
  items: z.array(recommendationSchema),
  unsourced: z
    .array(z.object({ skuId: z.string(), warehouseId: z.string(), inventoryPosition: z.number(), dailyMean: z.number() }))
    .describe('Need stock but no supplier item to order from'),
});

export const approveBody = z
  .object({
    skuId: catalogId,
    warehouseId: catalogId,
    supplierId: catalogId.optional().describe('Order from this supplier (default: the recommended one)'),
    quantity: quantity.optional().describe('Units to order instead of the recommended quantity; rounded up to packs and the MOQ'),
    ...planningFields(false),
  })
  .strict();

/** The draft purchase order an approval created: the purchasing API's own schema (its reference carries the recommendation's figures). */
export const draftOrderSchema = poSchema;
