/** How each catalog entity maps between its API shape and its row, and what makes one valid. */
import type { Failure } from '../shared/result.js';
import type { Tx } from '../db/connect.js';
import type { AppContext } from '../main/context.js';
import { supplierItems } from '../purchasing/repository.js';
import { repromise } from '../promising/service.js';
import type { CatalogRows, CatalogTable } from './repository.js';
import type { BackorderPolicyKind, Customer, Sku, Supplier, Warehouse } from './domain.js';

export interface SkuInput {
  id: string;
  name: string;
  unitCostMinor: number;
  backorderPolicy: BackorderPolicyKind;
  backorderCap?: number | null | undefined;
  backorderHorizonDays?: number | null | undefined;
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
  language?: string | undefined;
}

export interface SupplierInput {
  id: string;
  name: string;
  defaultLeadTimeDays: number;
}

export interface EntityDef<T extends CatalogTable, E extends { id: string }, I extends { id: string }> {
  table: T;
  /** The word used in messages: "SKU ABC not found". */
  noun: string;
  fromRow(row: CatalogRows[T]): E;
  toRow(input: I, createdAt: string, updatedAt: string): CatalogRows[T];
  /** Rules that span fields; checked on create and on the merged result of an update. */
  check(entity: I): Failure | null;
  /** What else must change in the same transaction when an entry is updated. */
  afterUpdate?(ctx: AppContext, tx: Tx, entity: E): Promise<void>;
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
    backorderHorizonDays: r.backorder_horizon_days,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }),
  toRow: (i, createdAt, updatedAt) => ({
    id: i.id,
    name: i.name,
    unit_cost_minor: i.unitCostMinor,
    backorder_policy: i.backorderPolicy,
    backorder_cap: i.backorderCap ?? null,
    backorder_horizon_days: i.backorderPolicy === 'allow-up-to-inbound' ? (i.backorderHorizonDays ?? 30) : null,
    created_at: createdAt,
    updated_at: updatedAt,
  }),
  check: (i) => {
    if (i.backorderPolicy !== 'allow' && i.backorderCap !== undefined && i.backorderCap !== null) {
      return {
        code: 'validation_failed',
        message: `backorderCap applies only to the 'allow' policy, not '${i.backorderPolicy}'`,
        field: 'backorderCap',
      };
    }
    if (i.backorderPolicy !== 'allow-up-to-inbound' && i.backorderHorizonDays !== undefined && i.backorderHorizonDays !== null) {
      return {
        code: 'validation_failed',
        message: `backorderHorizonDays applies only to the 'allow-up-to-inbound' policy, not '${i.backorderPolicy}'`,
        field: 'backorderHorizonDays',
      };
    }
    return null;
  },
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
    language: r.language,
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
    language: i.language ?? 'en',
    created_at: createdAt,
    updated_at: updatedAt,
  }),
  check: () => null,
};

export const supplierDef: EntityDef<'supplier', Supplier, SupplierInput> = {
  table: 'supplier',
  noun: 'supplier',
  fromRow: (r) => ({ id: r.id, name: r.name, defaultLeadTimeDays: r.default_lead_time_days, createdAt: r.created_at, updatedAt: r.updated_at }),
  toRow: (i, createdAt, updatedAt) => ({
    id: i.id,
    name: i.name,
    default_lead_time_days: i.defaultLeadTimeDays,
    created_at: createdAt,
    updated_at: updatedAt,
  }),
  check: () => null,
  // A supplier's default lead time dates every promise that rests on it: re-promise the SKUs it supplies.
  afterUpdate: async (ctx, tx, supplier) => {
    const skuIds = (await supplierItems(tx, { supplierId: supplier.id })).map((i) => i.sku_id);
    await ctx.store.lockSkus(tx, skuIds);
    await repromise(ctx, tx, skuIds, 'supplier_changed');
  },
};
