/**
 * Facts: what happened, as the communication module sees it. Services hand their backorder events (and a few
 * order-level ones) here inside their own transaction; the playbook turns them into messages and webhook
 * subscriptions into deliveries, written in that same transaction.
 */
export const factTypes = [
  'backorder.created',
  'backorder.promised',
  'backorder.promise_changed',
  'backorder.allocated',
  'backorder.deallocated',
  'backorder.reallocated',
  'backorder.shipped',
  'backorder.cancelled',
  'order.partially_shipped',
  'order.shipped',
  'order.closed',
  'choice.made',
] as const;

export type FactType = (typeof factTypes)[number];

export interface Fact {
  /** The event's own id (a backorder event id, or an `evt_` id): webhook receivers dedupe on it. */
  id: string;
  type: FactType;
  at: string;
  orderId: string;
  customerId: string;
  backorderId: string | null;
  skuId: string | null;
  data: Record<string, unknown>;
}

/** A fact whose order and customer the caller did not have at hand; recordFacts looks them up by backorder. */
export type PartialFact = Omit<Fact, 'orderId' | 'customerId'> & { orderId?: string; customerId?: string };
