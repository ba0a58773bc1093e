/**
 * Approving a recommendation: recompute it from the facts of this moment (never trust numbers a client read
 * earlier) and create a DRAFT purchase order through purchasing, so a person still places it. The draft then
 * counts in the planning position, so the same need is not recommended twice.
 */
import type { AppContext } from '../main/context.js';
import { requireRef } from '../catalog/references.js';
import type { IdempotencyKey } from '../idempotency/command.js';
import type { PurchaseOrderView } from '../purchasing/domain.js';
import { createPurchaseOrder, type PurchaseOrderInput } from '../purchasing/service.js';
import { roundOrderQuantity } from '../planning/safety-stock.js';
import type { Recommendation } from '../planning/recommend.js';
import { fail, type Result } from '../shared/result.js';
import { loadPairFacts } from './facts.js';
import { shiftDay } from './periods.js';
import { recommendFor, type PairFacts, type PlanSettings } from './plan.js';
import * as repo from './repository.js';
import { planningDefaults, settingsOf, type PlanningQuery } from './service.js';

export interface ApproveInput extends PlanningQuery {
  skuId: string;
  warehouseId: string;
  /** Order from this supplier instead of the recommended one. */
  supplierId?: string | undefined;
  /** Order this many units (rounded up to whole packs and at least the MOQ) instead of the recommended quantity. */
  quantity?: number | undefined;
}

/** Creates one draft purchase order for the recommendation (or the quantity and supplier given). */
export async function approveRecommendation(ctx: AppContext, input: ApproveInput, idem?: IdempotencyKey): Promise<Result<PurchaseOrderView>> {
  const settings = settingsOf(input);
  if (!settings.ok) return settings;
  const refs = await checkRefs(ctx, input);
  if (!refs.ok) return refs;
  // A retry after the first answer committed must replay it: recomputing now would see the draft it created.
  const replay = async () => idem !== undefined && (await repo.idempotencyKeyUsed(ctx.store.db, idem.scope, idem.key));
  if (await replay()) return createPurchaseOrder(ctx, replayOnly, idem);
  const [facts] = await loadPairFacts(ctx, { skuId: input.skuId, warehouseId: input.warehouseId, windowDays: input.windowDays ?? planningDefaults.windowDays });
  if (!facts) return fail('illegal_transition', `SKU ${input.skuId} is discontinued: it is not replenished`, { field: 'skuId' });
  const order = orderFor(ctx, facts, input, settings.value);
  if (order.ok) return createPurchaseOrder(ctx, order.value, idem);
  // The first attempt may have committed while this one read: its draft then made "nothing to order".
  return (await replay()) ? createPurchaseOrder(ctx, replayOnly, idem) : order;
}

/** Never run: runCommand replays the stored answer before it would use the input. */
const replayOnly: PurchaseOrderInput = { supplierId: '', place: false, lines: [] };

async function checkRefs(ctx: AppContext, input: ApproveInput): Promise<Result<true>> {
  const db = ctx.store.db;
  const sku = await requireRef(db, 'sku', input.skuId, 'skuId');
  if (!sku.ok) return sku;
  const wh = await requireRef(db, 'warehouse', input.warehouseId, 'warehouseId');
  if (!wh.ok) return wh;
  if (input.supplierId !== undefined) {
    const supplier = await requireRef(db, 'supplier', input.supplierId, 'supplierId');
    if (!supplier.ok) return supplier;
  }
  return { ok: true, value: true };
}

/** The draft's content: recommended (or given) supplier and quantity, expected today + the mean lead time. */
function orderFor(ctx: AppContext, f: PairFacts, input: ApproveInput, settings: PlanSettings): Result<PurchaseOrderInput> {
  const offered = input.supplierId === undefined ? f.suppliers : f.suppliers.filter((s) => s.supplierId === input.supplierId);
  if (offered.length === 0) {
    const who = input.supplierId === undefined ? 'no supplier' : `supplier '${input.supplierId}' does not`;
    return fail('unknown_reference', `${who} supply SKU ${input.skuId}: add a supplier item first (PUT /suppliers/{id}/items/${input.skuId})`, { field: 'supplierId' });
  }
  const today = ctx.clock.now().toISOString().slice(0, 10);
  const rec = recommendFor(f, settings, today, offered)!;
  const supplier = offered.find((s) => s.supplierId === rec.supplierId)!;
  const quantity = input.quantity === undefined ? rec.quantity : roundOrderQuantity(input.quantity, supplier.minOrderQty, supplier.packSize);
  if (quantity <= 0) {
    return fail('illegal_transition', `nothing to order for ${input.skuId} at ${input.warehouseId}: no demand and no units short (draft orders counted); give a quantity to order anyway`, {
      field: 'quantity',
    });
  }
  return {
    ok: true,
    value: {
      supplierId: supplier.supplierId,
      reference: referenceOf(input, rec),
      place: false,
      lines: [{ skuId: input.skuId, warehouseId: input.warehouseId, quantity, expectedDate: shiftDay(today, Math.round(supplier.leadTime.meanDays)) }],
    },
  };
}

/** The recommendation's key figures on the PO itself, so the draft says why it exists (and a replay shows it too). */
function referenceOf(input: ApproveInput, rec: Recommendation): string {
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  return `replenishment ${input.skuId}@${input.warehouseId}: recommended ${rec.quantity}, risk ${pct(rec.risk)}, fill rate ${pct(rec.expectedFillRate)}`.slice(0, 200);
}
