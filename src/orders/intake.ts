/**
 * Order intake as a pure function: given what is available where, each line is split into allocated-now (per
 * warehouse), backordered and rejected (stockout). No I/O; the service applies the plan in one transaction.
 */
import { sourcingOrder, type BackorderPolicyKind, type Warehouse } from '../catalog/domain.js';

export type RejectReason = 'discontinued' | 'backorders_denied' | 'backorder_cap_reached' | 'beyond_inbound_supply';

export interface IntakeSku {
  id: string;
  backorderPolicy: BackorderPolicyKind;
}

export interface IntakeInput {
  customer: { region: string; acceptsPartial: boolean };
  lines: readonly { skuId: string; quantity: number }[];
  skus: ReadonlyMap<string, IntakeSku>;
  warehouses: readonly Pick<Warehouse, 'id' | 'regions' | 'priority'>[];
  /** available units per SKU, per warehouse id; absent = 0. */
  available: ReadonlyMap<string, ReadonlyMap<string, number>>;
  /**
   * How many more units may wait on backorder per SKU (a cap, or the confirmed inbound, minus what already waits);
   * absent = no limit.
   */
  backorderRoom: ReadonlyMap<string, number>;
}

export interface LinePlan {
  skuId: string;
  quantity: number;
  allocations: { warehouseId: string; quantity: number }[];
  backordered: number;
  /** Where the backorder waits; with `flexible` any warehouse may fill it, otherwise only this one. */
  backorderWarehouseId: string | null;
  flexible: boolean;
  /** The line's home warehouse: where it waits if backordered, else the first that served it (KPIs slice by it). */
  homeWarehouseId: string | null;
  rejected: number;
  rejectReason: RejectReason | null;
}

/** Plans every line in order; earlier lines of the same SKU consume stock and cap room before later ones. */
export function planIntake(input: IntakeInput): LinePlan[] {
  const ordered = sourcingOrder(input.warehouses, input.customer.region);
  const available = new Map([...input.available].map(([sku, byWh]) => [sku, new Map(byWh)]));
  const room = new Map(input.backorderRoom);
  return input.lines.map((line) => {
    const sku = input.skus.get(line.skuId);
    if (!sku) throw new Error(`planIntake: SKU ${line.skuId} was not loaded`);
    const stock = available.get(line.skuId) ?? new Map<string, number>();
    available.set(line.skuId, stock);
    const { allocations, home } = input.customer.acceptsPartial
      ? splitAcross(ordered, stock, line.quantity)
      : fromOneWarehouse(ordered, stock, line.quantity);
    for (const a of allocations) stock.set(a.warehouseId, (stock.get(a.warehouseId) ?? 0) - a.quantity);
    const remainder = line.quantity - allocations.reduce((s, a) => s + a.quantity, 0);
    const { backordered, rejected, rejectReason } = decideRemainder(sku, remainder, room.get(sku.id) ?? null);
    if (room.has(sku.id)) room.set(sku.id, room.get(sku.id)! - backordered);
    return {
      skuId: line.skuId,
      quantity: line.quantity,
      allocations,
      backordered,
      backorderWarehouseId: backordered > 0 ? home : null,
      flexible: input.customer.acceptsPartial,
      homeWarehouseId: home,
      rejected,
      rejectReason,
    };
  });
}

type Sourced = { allocations: { warehouseId: string; quantity: number }[]; home: string | null };

/** A customer who accepts partial shipments is served from as many warehouses as it takes. */
function splitAcross(ordered: readonly { id: string }[], stock: Map<string, number>, quantity: number): Sourced {
  const allocations: Sourced['allocations'] = [];
  let remaining = quantity;
  for (const w of ordered) {
    if (remaining === 0) break;
    const take = Math.min(remaining, Math.max(0, stock.get(w.id) ?? 0));
    if (take > 0) allocations.push({ warehouseId: w.id, quantity: take });
    remaining -= take;
  }
  return { allocations, home: ordered[0]?.id ?? null };
}

/**
 * A customer who does not accept partial shipments gets each line from ONE warehouse: the first that can fill it
 * whole, else the one holding the most (ties go to the earlier in sourcing order); the rest waits there.
 */
function fromOneWarehouse(ordered: readonly { id: string }[], stock: Map<string, number>, quantity: number): Sourced {
  let best: { id: string; avail: number } | null = null;
  for (const w of ordered) {
    const avail = Math.max(0, stock.get(w.id) ?? 0);
    if (avail >= quantity) return { allocations: [{ warehouseId: w.id, quantity }], home: w.id };
    if (best === null || avail > best.avail) best = { id: w.id, avail };
  }
  if (best === null) return { allocations: [], home: null };
  return { allocations: best.avail > 0 ? [{ warehouseId: best.id, quantity: best.avail }] : [], home: best.id };
}

/** The SKU's policy decides whether what stock cannot cover waits (backorder) or is refused (stockout). */
function decideRemainder(
  sku: IntakeSku,
  remainder: number,
  room: number | null,
): { backordered: number; rejected: number; rejectReason: RejectReason | null } {
  if (remainder === 0) return { backordered: 0, rejected: 0, rejectReason: null };
  if (sku.backorderPolicy === 'discontinued') return { backordered: 0, rejected: remainder, rejectReason: 'discontinued' };
  if (sku.backorderPolicy === 'deny') return { backordered: 0, rejected: remainder, rejectReason: 'backorders_denied' };
  const backordered = room === null ? remainder : Math.min(remainder, Math.max(0, room));
  const rejected = remainder - backordered;
  const reason = sku.backorderPolicy === 'allow-up-to-inbound' ? 'beyond_inbound_supply' : 'backorder_cap_reached';
  return { backordered, rejected, rejectReason: rejected > 0 ? reason : null };
}
