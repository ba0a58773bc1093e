/**
 * Suppliers' receipt histories, kept per store between transactions: for promises (every projection needs its
 * suppliers' lateness and lead times; read afresh, that was a pass over all of a supplier's receipts each time, in a
 * year's replay thousands of rows 2,700 times, 7% of its time), planning's lead times and supplier performance.
 *
 * Why a count is enough to know a kept history is still right: receipts are only ever inserted (never updated or
 * deleted), so the receipts a supplier has in committed data only grow, and a kept set of committed receipts that has
 * as many rows as the supplier has now is the supplier's set. So each call counts (one statement on the index for
 * all suppliers) and reads again only the suppliers whose count moved. Only committed receipts are kept: a
 * transaction that inserted receipts of a supplier (which it sees, and might still roll back) reads that supplier
 * directly and keeps nothing of it.
 */
import type { Store, Tx } from '../db/connect.js';
import type { ReceiptSample } from './performance.js';
import { SupplierHistory } from '../promising/history.js';

const kept = new WeakMap<Store, Map<string, SupplierHistory>>();
const written = new WeakMap<Tx, Set<string>>();

/** Called by whatever inserts a receipt, in its transaction (purchasing/repository.ts). */
export function receiptWritten(tx: Tx, supplierId: string): void {
  (written.get(tx) ?? written.set(tx, new Set()).get(tx)!).add(supplierId);
}

/** The receipt histories of these suppliers as `tx` sees them (a supplier without receipts is left out). */
export async function supplierHistories(store: Store, tx: Tx, supplierIds: readonly string[]): Promise<Map<string, SupplierHistory>> {
  const ids = [...new Set(supplierIds)];
  const out = new Map<string, SupplierHistory>();
  if (ids.length === 0) return out;
  const cache = kept.get(store) ?? kept.set(store, new Map()).get(store)!;
  const dirty = written.get(tx);
  const counts = await tx.selectFrom('po_receipt').select(['supplier_id', (eb) => eb.fn.countAll<number | string>().as('n')]).where('supplier_id', 'in', ids).groupBy('supplier_id').execute();
  const stale: string[] = [];
  for (const { supplier_id: id, n } of counts) {
    const have = cache.get(id);
    if (have && have.receipts.length === Number(n) && !dirty?.has(id)) out.set(id, have);
    else stale.push(id);
  }
  if (stale.length === 0) return out;
  const rows = await tx
    .selectFrom('po_receipt')
    .select(['supplier_id', 'sku_id', 'placed_at', 'expected_date', 'received_at'])
    .where('supplier_id', 'in', stale)
    .execute();
  const bySupplier = new Map<string, ReceiptSample[]>(stale.map((id) => [id, []]));
  for (const r of rows) bySupplier.get(r.supplier_id)!.push({ supplierId: r.supplier_id, skuId: r.sku_id, placedAt: r.placed_at, expectedDate: r.expected_date, receivedAt: r.received_at });
  for (const [id, receipts] of bySupplier) {
    const history = new SupplierHistory(receipts);
    out.set(id, history);
    if (!dirty?.has(id)) cache.set(id, history);
  }
  return out;
}
