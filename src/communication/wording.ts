/**
 * Promise bases and change causes in words for messages. English only for now: templates are per language, these
 * phrases are not yet (noted in the README).
 */
import type { PromiseBasis } from '../promising/domain.js';

/** Why a date is what it is: "purchase order po_1 due 2026-12-01 from supplier ACME". */
export function basisInWords(b: PromiseBasis | null): string | null {
  if (!b) return null;
  switch (b.kind) {
    case 'stock':
      return 'in stock';
    case 'po':
      return `purchase order ${b.poId} due ${b.expectedDate} from supplier ${b.supplierId}${b.shiftDays > 0 ? ` (allowing ${b.shiftDays} day(s) for this supplier's usual lateness)` : ''}`;
    case 'transfer':
      return `transfer ${b.transferId} from warehouse ${b.fromWarehouseId}, arriving ${b.arrivalDate}`;
    case 'lead_time':
      return `supplier ${b.supplierId}'s lead time of ${b.leadTimeDays} day(s); no purchase order covers it yet`;
    case 'none':
      return b.reason;
  }
}

const causes: Record<string, string> = {
  new_order: 'orders placed ahead of yours',
  receipt: 'a delivery was received',
  adjustment: 'a stock correction',
  transfer: 'a transfer between warehouses',
  order_cancelled: 'another order was cancelled',
  po_placed: 'a new purchase order was placed',
  eta_changed: "the supplier changed the delivery date",
  po_receipt: 'a purchase order was received',
  po_cancelled: 'a purchase order was cancelled',
  strategy_changed: 'the allocation rules changed',
  supplier_changed: "the supplier's lead time changed",
  manual: 'a planner updated it',
  allocation_run: 'stock was re-allocated between waiting orders',
  refresh: "the supplier's delivery is overdue or its track record changed",
};

/** A change's cause code in words; unknown codes (and free-text reasons) pass through. */
export const causeInWords = (cause: string | null): string | null => (cause === null ? null : (causes[cause] ?? cause));

const choices: Record<string, string> = {
  wait: 'keep waiting',
  substitute: 'accept a substitute',
  ship_ready: 'ship what is ready now',
  cancel: 'cancel the line',
};
export const choiceInWords = (kind: string): string => choices[kind] ?? kind;
