/** zod schemas of promises, shared by the routes that show them. */
import { z } from 'zod';

export const promiseBasisSchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('stock') }),
    z.object({
      kind: z.literal('po'),
      poId: z.string(),
      poLineId: z.string(),
      supplierId: z.string(),
      expectedDate: z.string(),
      shiftDays: z.number().int().describe("Days added for the supplier's measured lateness at the promise quantile"),
    }),
    z.object({ kind: z.literal('transfer'), transferId: z.string(), fromWarehouseId: z.string(), arrivalDate: z.string() }),
    z.object({ kind: z.literal('lead_time'), supplierId: z.string(), leadTimeDays: z.number().int(), quantile: z.number() }),
    z.object({ kind: z.literal('none'), reason: z.string() }),
  ])
  .meta({ id: 'PromiseBasis', description: 'What a promise date rests on' });

export const promiseFields = {
  promisedDate: z.string().nullable().describe('ISO day the waiting units are expected to ship'),
  confidence: z.number().nullable().describe('Estimated probability of shipping by the promised date'),
  confirmed: z.boolean().describe('True when inbound supply covers it; false for a lead-time estimate'),
  basis: promiseBasisSchema.nullable(),
};
