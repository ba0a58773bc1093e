/** How each catalog entity maps between its API shape and its row, and what makes one valid. */
import type { Failure } from '../shared/result.js';
import type { CatalogRows, CatalogTable } from './repository.js';
import type { BackorderPolicyKind, Customer, Sku, Warehouse } from './domain.js';

export interface SkuInput {
  id: string;
  name: string;
  unitCostMinor: number;
  backorderPolicy: BackorderPolicyKind;
  backorderCap?: number | null | undefined;
}
export interface WarehouseInput {
  id: string;
  name: string;
  regions: string[];
  priority: number;
}
export interface CustomerInput {
  id: string;
  name: string;
  email: string;
  region: string;
  tier: number;
  acceptsPartial: boolean;
}

export interface EntityDef<T extends CatalogTable, E extends { id: string }, I extends { id: string }> {
  table: T;
  /** The word used in messages: "SKU ABC not found". */
  noun: string;
  fromRow(row: CatalogRows[T]): E;
  toRow(input: I, createdAt: string, updatedAt: string): CatalogRows[T];
  /** Rules that span fields; checked on create and on the merged result of an update. */
  check(entity: I): Failure | null;
}

export const skuDef: EntityDef<'sku', Sku, SkuInput> = {
  table: 'sku',
  noun: 'SKU',
  fromRow: (r) => ({
    id: r.id,
    name: r.name,
    unitCostMinor: r.unit_cost_minor,
    backorderPolicy: r.backorder_policy,
    backorderCap: r.backorder_cap,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }),
  toRow: (i, createdAt, updatedAt) => ({
    id: i.id,
    name: i.name,
    unit_cost_minor: i.unitCostMinor,
    backorder_policy: i.backorderPolicy,
    backorder_cap: i.backorderCap ?? null,
    created_at: createdAt,
    updated_at: updatedAt,
  }),
  check: (i) =>
    i.backorderPolicy !== 'allow' && i.backorderCap !== undefined && i.backorderCap !== null
      ? {
          code: 'validation_failed',
          message: `backorderCap applies only to the 'allow' policy, not '${i.backorderPolicy}'`,
          field: 'backorderCap',
        }
      : null,
};

export const warehouseDef: EntityDef<'warehouse', Warehouse, WarehouseInput> = {
  table: 'warehouse',
  noun: 'warehouse',
  fromRow: (r) => ({
    id: r.id,
    name: r.name,
    regions: JSON.parse(r.regions) as string[],
    priority: r.priority,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }),
  toRow: (i, createdAt, updatedAt) => ({
    id: i.id,
    name: i.name,
    regions: JSON.stringify([...new Set(i.regions)]),
    priority: i.priority,
    created_at: createdAt,
    updated_at: updatedAt,
  }),
  check: () => null,
};

export const customerDef: EntityDef<'customer', Customer, CustomerInput> = {
  table: 'customer',
  noun: 'customer',
  fromRow: (r) => ({
    id: r.id,
    name: r.name,
    email: r.email,
    region: r.region,
    tier: r.tier,
    acceptsPartial: r.accepts_partial === 1,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }),
  toRow: (i, createdAt, updatedAt) => ({
    id: i.id,
    name: i.name,
    email: i.email,
    region: i.region,
    tier: i.tier,
    accepts_partial: i.acceptsPartial ? 1 : 0,
    created_at: createdAt,
    updated_at: updatedAt,
  }),
  check: () => null,
};
