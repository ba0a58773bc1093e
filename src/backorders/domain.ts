/** Backorder quantities, their status, and the status machine as a table. */
import { canTransition, defineMachine } from '../shared/fsm.js';

export const backorderStatuses = ['open', 'partially_allocated', 'allocated', 'fulfilled', 'cancelled'] as const;
export type BackorderStatus = (typeof backorderStatuses)[number];

export const backorderMachine = defineMachine<BackorderStatus>('backorder', {
  open: ['partially_allocated', 'allocated', 'cancelled'],
  // A processing run (issue 8) may take allocated units back for more important demand: back to open or partial.
  partially_allocated: ['open', 'allocated', 'fulfilled', 'cancelled'],
  allocated: ['open', 'partially_allocated', 'fulfilled', 'cancelled'],
  fulfilled: [],
  cancelled: [],
});

export interface BackorderQuantities {
  quantity: number;
  /** Allocated, not yet shipped. */
  allocated: number;
  fulfilled: number;
  cancelled: number;
}

/** Units still waiting for stock. */
export const waitingOf = (q: BackorderQuantities): number => q.quantity - q.allocated - q.fulfilled - q.cancelled;

/** The status follows from the quantities, so it can never disagree with them. */
export function statusOf(q: BackorderQuantities): BackorderStatus {
  const waiting = waitingOf(q);
  if (waiting > 0) return q.allocated > 0 || q.fulfilled > 0 ? 'partially_allocated' : 'open';
  if (q.allocated > 0) return 'allocated';
  return q.fulfilled > 0 ? 'fulfilled' : 'cancelled';
}

/** The status after a change of quantities, or null when the machine forbids that move. */
export function nextStatus(from: BackorderStatus, after: BackorderQuantities): BackorderStatus | null {
  const to = statusOf(after);
  return canTransition(backorderMachine, from, to) ? to : null;
}
