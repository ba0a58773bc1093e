/**
 * "If customer C orders these lines now, when can each part ship, and from where?" The real intake plan and the
 * real projection, with nothing written and nothing locked: for storefronts and agents on the phone.
 */
import { ok, type Result } from '../shared/result.js';
import type { AppContext } from '../main/context.js';
import { planOrder, type OrderRequest } from '../orders/planning.js';
import type { RejectReason } from '../orders/intake.js';
import { promisesForNew, today } from './service.js';
import { promiseView, type PromiseView } from './stored.js';

export interface QuoteLine {
  lineNo: number;
  skuId: string;
  quantity: number;
  /** Units that would be allocated now, shipping today. */
  fromStock: { warehouseId: string; quantity: number; shipDate: string }[];
  backorder: ({ quantity: number; warehouseId: string; flexible: boolean } & PromiseView) | null;
  rejected: { quantity: number; reason: RejectReason } | null;
}

export async function quote(ctx: AppContext, input: OrderRequest): Promise<Result<{ quotedAt: string; lines: QuoteLine[] }>> {
  const db = ctx.store.db;
  const planned = await planOrder(ctx, db, input, { lock: false });
  if (!planned.ok) return planned;
  const now = ctx.clock.now().toISOString();
  const day = today(ctx);
  const lines: QuoteLine[] = [];
  for (const [i, p] of planned.value.plans.entries()) {
    let backorder: QuoteLine['backorder'] = null;
    if (p.backordered > 0 && p.backorderWarehouseId !== null) {
      // Earlier lines of the same SKU in this quote queue ahead of this one, as they would at intake.
      const earlier = planned.value.plans
        .slice(0, i + 1)
        .map((q, j) => ({ q, j }))
        .filter(({ q }) => q.skuId === p.skuId && q.backordered > 0 && q.backorderWarehouseId !== null)
        .map(({ q, j }) => ({
          backorderId: `quote-${String(j).padStart(4, '0')}`,
          orderId: 'quote',
          placedAt: now,
          customerTier: planned.value.customer.tier,
          waiting: q.backordered,
          warehouseId: q.backorderWarehouseId!,
          flexible: q.flexible,
        }));
      const mine = (await promisesForNew(ctx, db, p.skuId, earlier)).at(-1)!;
      backorder = { quantity: p.backordered, warehouseId: p.backorderWarehouseId, flexible: p.flexible, ...promiseView(mine) };
    }
    lines.push({
      lineNo: i + 1,
      skuId: p.skuId,
      quantity: p.quantity,
      fromStock: p.allocations.map((a) => ({ ...a, shipDate: day })),
      backorder,
      rejected: p.rejected > 0 && p.rejectReason ? { quantity: p.rejected, reason: p.rejectReason } : null,
    });
  }
  return ok({ quotedAt: now, lines });
}
