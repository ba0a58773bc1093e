/**
 * Open purchase orders, one row per line (`reference, supplier_id, sku_id, warehouse_id, quantity, expected_date`):
 * the rows sharing a reference become one placed purchase order of that supplier, its lines in file order, and the
 * SKUs they bring are re-promised (their waiting backorders now have dated supply). A reference the store already
 * has for that supplier is left alone, so importing the same file again changes nothing; changing an imported
 * order is done through the API (place, ETA changes, receipts, cancel).
 */
import { z } from 'zod';
import { catalogId, quantity } from '../main/http-schemas.js';
import { isoDay } from '../purchasing/routes.js';
import type { PoLineRow } from '../purchasing/repository.js';
import { requireRef } from '../catalog/references.js';
import { repromise } from '../promising/service.js';
import type { ImportKind } from './catalog-kinds.js';

export interface PoLineImport {
  reference: string;
  supplierId: string;
  skuId: string;
  warehouseId: string;
  quantity: number;
  expectedDate: string;
}

/** What this run made or found for a reference: the order to add lines to, or one that existed before (skipped). */
type Seen = { poId: string; supplierId: string; lines: number } | { existing: true; supplierId: string };

export const purchaseOrderKind: ImportKind<PoLineImport> = {
  columns: { reference: 'string', supplierId: 'string', skuId: 'string', warehouseId: 'string', quantity: 'number', expectedDate: 'string' },
  schema: z.object({ reference: z.string().trim().min(1).max(200), supplierId: catalogId, skuId: catalogId, warehouseId: catalogId, quantity, expectedDate: isoDay }).strict() as unknown as z.ZodType<PoLineImport>,
  key: (r) => `SKU '${r.skuId}' at '${r.warehouseId}' on purchase order '${r.reference}'`,
  keyField: 'reference',
  check: () => null,
  async apply(ctx, tx, rows, counts, run) {
    const now = ctx.clock.now().toISOString();
    const newLines: PoLineRow[] = [];
    for (const { line, input } of rows) {
      const seenKey = `po:${input.reference}`;
      let seen = run.get(seenKey) as Seen | undefined;
      if (!seen) {
        const supplier = await requireRef(tx, 'supplier', input.supplierId, 'supplierId');
        if (!supplier.ok) return { line, field: 'supplierId', message: supplier.error.message };
        const before = await tx.selectFrom('purchase_order').select('id').where('reference', '=', input.reference).where('supplier_id', '=', input.supplierId).executeTakeFirst();
        if (before) seen = { existing: true, supplierId: input.supplierId };
        else {
          const poId = ctx.ids.next('po');
          await tx.insertInto('purchase_order').values({ id: poId, supplier_id: input.supplierId, reference: input.reference, status: 'placed', placed_at: now, created_at: now, updated_at: now }).execute();
          seen = { poId, supplierId: input.supplierId, lines: 0 };
        }
        run.set(seenKey, seen);
      }
      if (seen.supplierId !== input.supplierId) {
        return { line, field: 'supplierId', message: `purchase order '${input.reference}' is from supplier '${seen.supplierId}' in an earlier row, not '${input.supplierId}'` };
      }
      if ('existing' in seen) {
        counts.unchanged++;
        continue;
      }
      for (const [table, id, field] of [['sku', input.skuId, 'skuId'], ['warehouse', input.warehouseId, 'warehouseId']] as const) {
        const ref = await requireRef(tx, table, id, field);
        if (!ref.ok) return { line, field, message: ref.error.message };
      }
      seen.lines++;
      newLines.push({ id: ctx.ids.next('pol'), po_id: seen.poId, line_no: seen.lines, sku_id: input.skuId, warehouse_id: input.warehouseId, quantity: input.quantity, received: 0, cancelled: 0, expected_date: input.expectedDate, original_expected_date: input.expectedDate });
      counts.created++;
    }
    if (newLines.length > 0) {
      const skuIds = [...new Set(newLines.map((l) => l.sku_id))];
      await ctx.store.lockSkus(tx, skuIds);
      await tx.insertInto('po_line').values(newLines).execute();
      await repromise(ctx, tx, skuIds, 'po_placed');
    }
    return null;
  },
};
