/**
 * The company a replay runs: warehouses by the `--warehouses` rule, the file's SKUs and customers, and suppliers
 * with realistic lead times. The Online Retail file has no supplier data, so each SKU is bought from one of two
 * suppliers by a stable hash of its code: a domestic one (10 days, up to 4 late) for two thirds, an importer
 * (35 days, up to 14 late, often some) for the rest; what arrives late is drawn per receipt from a seeded random.
 * Supplier costs are 60% of the lowest price the file sells the SKU at (a gift-ware margin). Each SKU is listed
 * `listedDaysAhead` days before its first order in the file (0: on that day); products listed that never sell can
 * be added (Listing.unsoldShare).
 */
import type { AppContext } from '../main/context.js';
import { catalogService } from '../catalog/service.js';
import * as catalog from '../catalog/repository.js';
import { skuDef, supplierDef, warehouseDef, type WarehouseInput } from '../catalog/entities.js';
import { placeholderCustomerRow } from '../imports/order-history-kind.js';
import { putSupplierItem } from '../purchasing/service.js';
import type { Result } from '../shared/result.js';
import { seededRandom } from '../shared/random.js';
import type { FileScan } from './orders-file.js';

export const warehouseRules = ['uk-split', 'single'] as const;
export type WarehouseRule = (typeof warehouseRules)[number];

export const suppliers = [
  { id: 'SUP-DOMESTIC', name: 'Domestic wholesaler', leadTimeDays: 10, maxLateDays: 4 },
  { id: 'SUP-IMPORT', name: 'Importer (sea freight)', leadTimeDays: 35, maxLateDays: 14 },
] as const;

export function supplierOf(skuId: string): (typeof suppliers)[number] {
  let h = 0;
  for (const c of skuId) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return suppliers[h % 3 === 0 ? 1 : 0]!;
}

function must<T>(r: Result<T>, what: string): T {
  if (!r.ok) throw new Error(`replay setup: ${what}: ${r.error.message}`);
  return r.value;
}

/** UK customers from one warehouse, everyone else from the other (or one warehouse for all). */
export function warehousesFor(rule: WarehouseRule, regions: readonly string[]): WarehouseInput[] {
  if (rule === 'single') return [{ id: 'WH', name: 'Warehouse', regions: [...new Set(regions)], priority: 1 }];
  const abroad = [...new Set(regions)].filter((r) => r !== 'United Kingdom');
  return [
    { id: 'UK', name: 'United Kingdom DC', regions: ['United Kingdom'], priority: 1 },
    { id: 'EU', name: 'Export DC', regions: abroad.length > 0 ? abroad : ['NONE'], priority: 2 },
  ];
}

/** What a SKU costs from its supplier: 60% of the lowest price the file sells it at (a gift-ware margin). */
const supplierCost = (priceMinor: number) => Math.round(priceMinor * 0.6);

const daysBefore = (at: string, days: number) => new Date(Date.parse(at) - days * 86_400_000).toISOString();

/** How the catalogue learns of products (the file has no catalogue dates). */
export interface Listing {
  /** Days before its first order in the file that each SKU is listed (0: on that day). */
  daysAhead: number;
  /**
   * The share of listed new products that never sell (0 by default): the file holds only products that sold, so
   * launch stock is never bought for a flop unless some are added. Each added one copies the listing time (ahead of
   * its first order) and cost of a random product first ordered after the file's first 28 days; none is ordered.
   */
  unsoldShare: number;
  seed: number;
}

/** Creates the world in an empty store (the clock set to the file's first day, so SKUs exist from then on). */
export async function buildWorld(ctx: AppContext, scan: FileScan, rule: WarehouseRule, listing: Listing = { daysAhead: 0, unsoldShare: 0, seed: 1 }): Promise<WarehouseInput[]> {
  const warehouses = warehousesFor(rule, [...scan.customers.values()]);
  for (const w of warehouses) must(await catalogService(warehouseDef).create(ctx, w), `warehouse ${w.id}`);
  for (const s of suppliers) must(await catalogService(supplierDef).create(ctx, { id: s.id, name: s.name, defaultLeadTimeDays: s.leadTimeDays }), `supplier ${s.id}`);
  const now = ctx.clock.now().toISOString();
  // Listed `listing.daysAhead` days before its first order (the file has no catalogue dates; a company lists a
  // product before it goes on sale): planning measures a young SKU from its first order, so a product launched in
  // September is not averaged over the months before it was on sale, and only a policy that plans launches
  // (Raincheck's, from the launches like it) orders anything for it before that order.
  const skuRows = [...scan.skus].map(([id, s]) => {
    const listed = daysBefore(s.firstAt, listing.daysAhead);
    return skuDef.toRow({ id, name: s.name.slice(0, 200), unitCostMinor: supplierCost(s.priceMinor), backorderPolicy: 'allow' }, listed, listed);
  });
  const unsold = unsoldProducts(scan, listing);
  skuRows.push(...unsold.map((u) => skuDef.toRow({ id: u.id, name: 'Listed, never sold', unitCostMinor: u.unitCostMinor, backorderPolicy: 'allow' }, u.listedAt, u.listedAt)));
  const customerRows = [...scan.customers].map(([id, region]) => placeholderCustomerRow(id, region, id.startsWith('GUEST-') ? 3 : 2, now));
  await ctx.store.transaction(async (tx) => {
    for (let at = 0; at < skuRows.length; at += 500) await catalog.insertManyIfAbsent(tx, 'sku', skuRows.slice(at, at + 500));
    for (let at = 0; at < customerRows.length; at += 500) await catalog.insertManyIfAbsent(tx, 'customer', customerRows.slice(at, at + 500));
    return { ok: true, value: null };
  });
  for (const [id, s] of scan.skus) {
    const supplier = supplierOf(id);
    must(await putSupplierItem(ctx, supplier.id, id, { leadTimeDays: null, packSize: 1, minOrderQty: 1, unitCostMinor: supplierCost(s.priceMinor) }), `supplier item ${id}`);
  }
  for (const u of unsold) must(await putSupplierItem(ctx, supplierOf(u.id).id, u.id, { leadTimeDays: null, packSize: 1, minOrderQty: 1, unitCostMinor: u.unitCostMinor }), `supplier item ${u.id}`);
  return warehouses;
}

/** The products listed that never sell (Listing.unsoldShare), drawn from the file's launches with a seeded random. */
export function unsoldProducts(scan: FileScan, listing: Listing): { id: string; unitCostMinor: number; listedAt: string }[] {
  if (listing.unsoldShare <= 0) return [];
  const all = [...scan.skus.values()];
  const earliest = Math.min(...all.map((s) => Date.parse(s.firstAt)));
  const launches = all.filter((s) => Date.parse(s.firstAt) >= earliest + 28 * 86_400_000);
  const count = Math.round((launches.length * listing.unsoldShare) / (1 - listing.unsoldShare));
  const rand = seededRandom(listing.seed);
  return Array.from({ length: launches.length === 0 ? 0 : count }, (_, i) => {
    const like = launches[Math.floor(rand() * launches.length)]!;
    return { id: `UNSOLD-${String(i + 1).padStart(5, '0')}`, unitCostMinor: supplierCost(like.priceMinor), listedAt: daysBefore(like.firstAt, listing.daysAhead) };
  });
}
