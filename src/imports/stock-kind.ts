/**
 * A stock snapshot (`sku_id, warehouse_id, on_hand`): each pair's on-hand is set to the count, as a counted
 * adjustment through the ledger (reason `stock snapshot import`), so the ledger still sums to the levels. Units
 * found flow to waiting backorders as any adjustment's do; a count below the units already allocated to orders is
 * refused (those units were promised: a person must cancel or re-backorder first). A pair already at its count is
 * left alone, so importing the same snapshot again changes nothing. The SKUs changed are re-promised.
 */
import { z } from 'zod';
import { catalogId, maxQuantity } from '../main/http-schemas.js';
import { addStockAndFill, lockedSkuAt, newMovement } from '../inventory/service.js';
import * as stock from '../inventory/repository.js';
import { repromise } from '../promising/service.js';
import type { ImportKind } from './catalog-kinds.js';

export interface StockRow {
  skuId: string;
  warehouseId: string;
  onHand: number;
}

const reason = 'stock snapshot import';

export const stockKind: ImportKind<StockRow> = {
  columns: { skuId: 'string', warehouseId: 'string', onHand: 'number' },
  schema: z
    .object({ skuId: catalogId, warehouseId: catalogId, onHand: z.number().int('must be a whole number').min(0, 'must be at least 0').max(maxQuantity, `must be at most ${maxQuantity}`) })
    .strict(),
  key: (r) => `SKU '${r.skuId}' at '${r.warehouseId}'`,
  keyField: 'skuId',
  check: () => null,
  async apply(ctx, tx, rows, counts) {
    const changed = new Set<string>();
    for (const { line, input } of rows) {
      const refs = await lockedSkuAt(ctx, tx, input.skuId, [[input.warehouseId, 'warehouseId']]);
      if (!refs.ok) return { line, field: refs.error.field ?? null, message: refs.error.message };
      const level = await stock.findLevel(tx, input.skuId, input.warehouseId);
      const onHand = Number(level?.on_hand ?? 0);
      const allocated = Number(level?.allocated ?? 0);
      const delta = input.onHand - onHand;
      if (delta === 0) {
        counts.unchanged++;
        continue;
      }
      if (input.onHand < allocated) {
        return { line, field: 'onHand', message: `the count ${input.onHand} is below the ${allocated} units allocated to orders at ${input.warehouseId}; cancel or re-backorder those first` };
      }
      const row = newMovement(ctx, 'adjustment', input.skuId, input.warehouseId, delta, { reason, sourceType: 'import' });
      if (delta > 0) {
        const filled = await addStockAndFill(ctx, tx, row, undefined);
        if (!filled.ok) return { line, field: null, message: filled.error.message };
      } else {
        // Only free units go: the check above leaves at least `allocated` on hand.
        if (!(await stock.removeAvailable(tx, input.skuId, input.warehouseId, -delta, row.created_at))) return { line, field: 'onHand', message: 'the stock changed under the import; run it again' };
        await stock.insertMovements(tx, [row]);
      }
      changed.add(input.skuId);
      if (level) counts.updated++;
      else counts.created++;
    }
    if (changed.size > 0) await repromise(ctx, tx, [...changed], 'adjustment');
    return null;
  },
};
