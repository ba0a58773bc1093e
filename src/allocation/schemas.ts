/** zod schemas of the allocation routes (processing runs, their schedule, explanations): the API's contract and the dashboard's types. */
import { z } from 'zod';
import { catalogId } from '../main/http-schemas.js';
import { runStrategyNames } from './run-strategies.js';

const categories = ['protect', 'improve', 'redistribute', 'fill', 'release'] as const;
const categoriesSchema = z
  .object({
    segments: z
      .array(
        z
          .object({
            name: z.string().min(1).max(100),
            category: z.enum(categories),
            match: z
              .object({
                tierAtMost: z.number().int().min(1).max(100).optional(),
                tierAtLeast: z.number().int().min(1).max(100).optional(),
                channel: z.string().max(100).optional(),
                minAgeDays: z.number().int().min(0).max(100_000).optional(),
                minOrderValueMinor: z.number().int().min(0).optional(),
              })
              .strict()
              .describe('Every condition given must hold; an empty match holds for every order'),
          })
          .strict(),
      )
      .max(100)
      .describe('The first segment whose match holds decides an order\'s category'),
    default: z.enum(categories).describe('The category of orders no segment matches'),
  })
  .strict()
  .describe('protect: must be confirmed, may take from redistribute; improve: keeps, gets more from free stock; redistribute: keeps unless a protected order needs it; fill: keeps, never more; release: gives up its allocation');

export const runBody = z
  .object({
    strategy: z.enum([...runStrategyNames, 'categories']),
    categories: categoriesSchema.optional().describe('With strategy categories: the segments'),
    skuIds: z.array(catalogId).min(1).max(10_000).optional().describe('The SKUs to re-allocate (default: every SKU with open backorders)'),
    transfers: z
      .object({ transitDays: z.number().int().min(0).max(60).describe('0: the units land at once and are allocated; more: they are inbound supply until they arrive') })
      .strict()
      .optional()
      .describe('Move stock the plan leaves free (no one there waits for it) to backorders pinned to another warehouse; in transit only to those promised later than the arrival'),
  })
  .strict()
  .meta({ id: 'AllocationRunRequest' });
export const scheduleSchema = runBody
  .extend({
    enabled: z.boolean(),
    hourUtc: z.number().int().min(0).max(23).describe('The run is due from this hour (UTC), once a day'),
  })
  .strict()
  .meta({ id: 'AllocationRunSchedule' });
export const commitBody = runBody.extend({ requestedBy: z.string().trim().min(1).max(200).default('api').describe('Who asks for the run (recorded with it)') }).strict();

const runChange = z
  .object({
    skuId: z.string(),
    backorderId: z.string(),
    orderId: z.string(),
    customerId: z.string(),
    warehouseId: z.string(),
    before: z.number().int().describe('Units allocated here before the run'),
    after: z.number().int().describe('Units allocated here after the run'),
    delta: z.number().int(),
    rank: z.number().int().describe("The backorder's position in the strategy's order for its SKU"),
    competing: z.number().int().describe('How many open backorders of the SKU were ranked'),
    reason: z.string().describe('Why the backorder holds what the run gives it, in the strategy\'s words'),
    promisedBefore: z.string().nullable().describe('The promise date the customer holds before the run'),
    promisedAfter: z.string().nullable().describe('The projected date of what still waits after the run; null when the run allocates all it owes'),
  })
  .meta({ id: 'AllocationRunChange' });

export const runTransfer = z
  .object({
    skuId: z.string(),
    backorderId: z.string(),
    fromWarehouseId: z.string(),
    toWarehouseId: z.string(),
    quantity: z.number().int(),
    rank: z.number().int(),
    arrival: z.string().describe('The day the units land'),
    transferId: z.string().nullable().describe('The transfer made (null in a dry run)'),
  })
  .meta({ id: 'AllocationRunTransfer' });

const promiseMove = z
  .object({ skuId: z.string(), backorderId: z.string(), orderId: z.string(), customerId: z.string(), from: z.string().nullable(), to: z.string().nullable() })
  .meta({ id: 'AllocationRunPromiseMove' });

const runSummary = {
  id: z.string(),
  strategy: z.string(),
  status: z.enum(['running', 'committed', 'failed']),
  requestedBy: z.string(),
  trigger: z.enum(['api', 'schedule', 'cli']),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  skus: z.number().int(),
  backorders: z.number().int(),
  unitsGained: z.number().int(),
  unitsLost: z.number().int(),
  customersAffected: z.number().int(),
  error: z.string().nullable().describe('Why a failed run stopped; the SKUs before it are committed, the rest untouched'),
};
export const runSummarySchema = z.object({ ...runSummary, skusDone: z.number().int(), changes: z.number().int(), transfers: z.array(runTransfer) }).meta({ id: 'AllocationRunSummary' });
const promiseMoves = z.array(promiseMove).describe('Backorders whose allocation stays but whose promise the run moves (the queue ahead of them changed)');
export const committedRunSchema = z.object({ ...runSummary, changes: z.array(runChange), promiseMoves, transfers: z.array(runTransfer) }).meta({ id: 'AllocationRun' });
export const runDetailSchema = z
  .object({ run: runSummarySchema, changes: z.array(runChange).describe('This page of the changes, by SKU then rank'), nextOffset: z.number().int().nullable() })
  .meta({ id: 'AllocationRunDetail' });

export const dryRunSchema = z
  .object({
    strategy: z.string(),
    skus: z.number().int(),
    backorders: z.number().int(),
    changes: z.array(runChange).describe('Backorder x warehouse allocations that would change'),
    promiseMoves,
    transfers: z.array(runTransfer).describe('Transfers the run would make (with transfers in the request)'),
    unitsGained: z.number().int(),
    unitsLost: z.number().int(),
    customersAffected: z.number().int().describe('Customers with an allocation change or a moved promise'),
  })
  .meta({ id: 'AllocationDryRun' });

const explainedBackorder = z.object({
  id: z.string(),
  orderId: z.string(),
  customerId: z.string(),
  customerTier: z.number().int(),
  skuId: z.string(),
  warehouseId: z.string(),
  flexible: z.boolean(),
  placedAt: z.string(),
  status: z.string(),
  quantity: z.number().int(),
  allocated: z.number().int(),
  fulfilled: z.number().int(),
  waiting: z.number().int(),
  promisedDate: z.string().nullable(),
});
const decision = z
  .object({
    at: z.string(),
    kind: z.enum(['allocated', 'deallocated', 'reallocated']),
    quantity: z.number().int(),
    warehouseId: z.string().nullable(),
    source: z.enum(['receipt', 'run']).describe('receipt: stock that became available went down the queue; run: a processing run'),
    runId: z.string().nullable(),
    strategy: z.string().nullable(),
    rank: z.number().int().nullable().describe('Position in the strategy\'s order at that decision'),
    competing: z.number().int().nullable().describe('How many backorders were ranked (runs)'),
    reason: z.string().nullable(),
  })
  .meta({ id: 'AllocationDecision' });
export const explanationSchema = z
  .object({
    backorder: explainedBackorder,
    strategy: z.object({ name: z.string(), description: z.string() }).describe('The strategy in force for received stock'),
    queue: z.object({
      position: z.number().int().nullable().describe('1-based place among waiting demand that may take the same stock; null when nothing waits'),
      of: z.number().int(),
      unitsAhead: z.number().int(),
      ahead: z.array(z.object({ backorderId: z.string(), orderId: z.string(), customerTier: z.number().int(), placedAt: z.string(), waiting: z.number().int(), why: z.string() })),
    }),
    decisions: z.array(decision).describe('Every allocation decision on this backorder, oldest first'),
    comparison: z
      .object({
        other: explainedBackorder,
        otherDecisions: z.array(decision),
        findings: z.array(
          z.object({
            at: z.string(),
            units: z.number().int(),
            warehouseId: z.string().nullable(),
            because: z.enum(['ordered_after', 'other_warehouse', 'higher_tier', 'earlier_order', 'earlier_promise', 'fair_share', 'category', 'strategy']),
            words: z.string(),
          }),
        ),
        summary: z.string(),
      })
      .nullable()
      .describe('With ?compare: why the other backorder got units before this one'),
    summary: z.string().describe('The same in plain words'),
  })
  .meta({ id: 'BackorderExplanation' });
