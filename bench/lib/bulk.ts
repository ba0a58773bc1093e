/** Multi-row inserts for benchmark fixtures, in statements well under SQLite's and PostgreSQL's parameter limits. */
import type { Tx } from '../../src/db/connect.js';
import type { Database } from '../../src/db/schema.js';

/** Inserts `rows` into `table` inside the caller's transaction, about 20,000 parameters per statement. */
export async function insertInBatches(tx: Tx, table: keyof Database, rows: readonly Record<string, unknown>[]): Promise<void> {
  if (rows.length === 0) return;
  const perBatch = Math.max(1, Math.floor(20_000 / Object.keys(rows[0]!).length));
  for (let j = 0; j < rows.length; j += perBatch) await tx.insertInto(table).values(rows.slice(j, j + perBatch) as never).execute();
}
