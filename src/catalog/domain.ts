/** Catalog entities as the rest of the system sees them (never raw rows). */
/**
 * allow: unfilled demand waits (optionally up to a cap of waiting units); allow-up-to-inbound: it waits only up to
 * the inbound supply confirmed within a horizon; deny: it is refused (a stockout); discontinued: always refused.
 */
export type BackorderPolicyKind = 'allow' | 'allow-up-to-inbound' | 'deny' | 'discontinued';

export interface Sku {
  id: string;
  name: string;
  /** Unit cost in minor currency units (cents). */
  unitCostMinor: number;
  backorderPolicy: BackorderPolicyKind;
  /** Max outstanding backordered units when the policy is `allow`; null = no cap. */
  backorderCap: number | null;
  /** With `allow-up-to-inbound`: inbound expected within this many days counts. */
  backorderHorizonDays: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface Warehouse {
  id: string;
  name: string;
  /** Regions or country codes served first by this warehouse. */
  regions: string[];
  /** Lower is preferred. */
  priority: number;
  createdAt: string;
  updatedAt: string;
}

export interface Customer {
  id: string;
  name: string;
  email: string;
  region: string;
  /** 1 is the most important tier. */
  tier: number;
  acceptsPartial: boolean;
  /** Language for messages (BCP 47, e.g. `en`, `de`, `fr-CA`). */
  language: string;
  createdAt: string;
  updatedAt: string;
}

export interface Supplier {
  id: string;
  name: string;
  /** Lead time (placed -> received) assumed for items without their own and before there is history. */
  defaultLeadTimeDays: number;
  createdAt: string;
  updatedAt: string;
}

/**
 * The order in which warehouses source a customer's demand: warehouses serving the customer's region first, then
 * by priority (lower first), then by id so that the order is total and repeatable.
 */
export function sourcingOrder<W extends Pick<Warehouse, 'id' | 'regions' | 'priority'>>(
  warehouses: readonly W[],
  region: string,
): W[] {
  const serves = (w: W) => (w.regions.includes(region) ? 0 : 1);
  return [...warehouses].sort(
    (a, b) => serves(a) - serves(b) || a.priority - b.priority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}
