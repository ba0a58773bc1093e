/**
 * Transfers in a processing run (issue 8, point 4), pure. After a strategy's plan, stock may be left free at a
 * warehouse where no eligible demand waits while demand pinned to another warehouse is still short. A transfer
 * moves such units to it: nobody at the source loses anything (only what the plan left free moves), and the demand
 * is served sooner, so a transfer is proposed only when it improves the objective. Demand short is served in the
 * strategy's order (the plan's ranks), from the other warehouses by id. An immediate transfer (transit 0 days)
 * lands at once and the units are allocated to the demand it was made for; one in transit is inbound supply
 * for promises and is proposed only to demand whose current promise is later than its arrival (or unknown).
 */
import { byText, type PlannedAllocation, type RunDemand, type RunPlan, type RunSupply } from './run-plan.js';

export interface PlannedTransfer {
  backorderId: string;
  fromWarehouseId: string;
  toWarehouseId: string;
  quantity: number;
  /** The demand's rank in the plan. */
  rank: number;
}

/** Moves of stock the plan leaves free to pinned demand still short; `arrival` is the day a transfer would land. */
export function planTransfers(supply: readonly RunSupply[], demand: readonly RunDemand[], plan: RunPlan, transit: { days: number; arrival: string }): PlannedTransfer[] {
  const left = new Map<string, number>();
  const add = (w: string, q: number) => left.set(w, (left.get(w) ?? 0) + q);
  for (const s of supply) add(s.warehouseId, s.free);
  for (const d of demand) for (const a of d.allocated) add(a.warehouseId, a.quantity);
  for (const a of plan.allocations) add(a.warehouseId, -a.quantity);
  const sources = [...left.keys()].sort(byText);
  const byId = new Map(demand.map((d) => [d.backorderId, d]));
  const out: PlannedTransfer[] = [];
  for (const p of plan.demands) {
    const d = byId.get(p.backorderId)!;
    let short = p.owed - p.planned;
    if (short <= 0 || d.flexible) continue;
    if (transit.days > 0 && d.promisedDate !== null && d.promisedDate <= transit.arrival) continue;
    for (const w of sources) {
      if (short === 0) break;
      const units = left.get(w)!;
      if (w === d.warehouseId || units <= 0) continue;
      const quantity = Math.min(short, units);
      left.set(w, units - quantity);
      short -= quantity;
      out.push({ backorderId: d.backorderId, fromWarehouseId: w, toWarehouseId: d.warehouseId, quantity, rank: p.rank });
    }
  }
  return out;
}

/** The plan with the units of immediate transfers allocated at their destinations, and each reason saying so. */
export function withTransferredUnits(plan: RunPlan, transfers: readonly PlannedTransfer[]): RunPlan {
  if (transfers.length === 0) return plan;
  const gained = new Map<string, PlannedTransfer[]>();
  for (const t of transfers) gained.set(t.backorderId, [...(gained.get(t.backorderId) ?? []), t]);
  const words = (ts: readonly PlannedTransfer[]) => ts.map((t) => `${t.quantity} transferred from ${t.fromWarehouseId}`).join(', ');
  const allocations: PlannedAllocation[] = [...plan.allocations];
  for (const t of transfers) {
    const at = allocations.findIndex((a) => a.backorderId === t.backorderId && a.warehouseId === t.toWarehouseId);
    if (at >= 0) allocations[at] = { ...allocations[at]!, quantity: allocations[at]!.quantity + t.quantity };
    else allocations.push({ backorderId: t.backorderId, warehouseId: t.toWarehouseId, quantity: t.quantity, rank: t.rank, reason: '' });
  }
  const demands = plan.demands.map((p) => {
    const ts = gained.get(p.backorderId);
    if (!ts) return p;
    const planned = p.planned + ts.reduce((s, t) => s + t.quantity, 0);
    return { ...p, planned, reason: `${p.reason}; then ${words(ts)} (stock no one there waits for)` };
  });
  const reasonOf = new Map(demands.map((p) => [p.backorderId, p.reason]));
  return { ...plan, allocations: allocations.map((a) => ({ ...a, reason: reasonOf.get(a.backorderId) ?? a.reason })), demands };
}
