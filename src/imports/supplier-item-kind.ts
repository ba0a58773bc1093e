/**
 * Supplier items (`supplier_id, sku_id, lead_time_days, pack_size, min_order_qty, unit_cost_minor`): who supplies a
 * SKU on what terms, checked by the API's own body schema; a new pair is added, a changed one replaced, an equal
 * one left alone (so the same file again changes nothing), and the SKUs whose terms changed are re-promised, as
 * `PUT /suppliers/{id}/items/{skuId}` does.
 */
import { z } from 'zod';
import { catalogId } from '../main/http-schemas.js';
import { itemBody } from '../purchasing/routes.js';
import * as purchasing from '../purchasing/repository.js';
import { requireRef } from '../catalog/references.js';
import { repromise } from '../promising/service.js';
import { sameRow, type ImportKind } from './catalog-kinds.js';

type ItemRow = z.infer<typeof itemBody> & { supplierId: string; skuId: string };

export const supplierItemKind: ImportKind<ItemRow> = {
  columns: { supplierId: 'string', skuId: 'string', leadTimeDays: 'number', packSize: 'number', minOrderQty: 'number', unitCostMinor: 'number' },
  schema: itemBody.extend({ supplierId: catalogId, skuId: catalogId }) as unknown as z.ZodType<ItemRow>,
  key: (r) => `SKU '${r.skuId}' from supplier '${r.supplierId}'`,
  keyField: 'skuId',
  check: () => null,
  async apply(ctx, tx, rows, counts) {
    const changed = new Set<string>();
    const now = ctx.clock.now().toISOString();
    for (const { line, input } of rows) {
      for (const [table, id, field] of [['supplier', input.supplierId, 'supplierId'], ['sku', input.skuId, 'skuId']] as const) {
        const ref = await requireRef(tx, table, id, field);
        if (!ref.ok) return { line, field, message: ref.error.message };
      }
      const current = await tx.selectFrom('supplier_item').selectAll().where('supplier_id', '=', input.supplierId).where('sku_id', '=', input.skuId).executeTakeFirst();
      const terms = { lead_time_days: input.leadTimeDays ?? null, pack_size: input.packSize, min_order_qty: input.minOrderQty, unit_cost_minor: input.unitCostMinor };
      if (current && sameRow(terms, current)) {
        counts.unchanged++;
        continue;
      }
      await ctx.store.lockSkus(tx, [input.skuId]);
      await purchasing.upsertSupplierItem(tx, { supplier_id: input.supplierId, sku_id: input.skuId, ...terms, created_at: current?.created_at ?? now, updated_at: now });
      changed.add(input.skuId);
      if (current) counts.updated++;
      else counts.created++;
    }
    if (changed.size > 0) await repromise(ctx, tx, [...changed], 'supplier_changed');
    return null;
  },
};
