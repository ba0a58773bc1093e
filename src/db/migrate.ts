import { Migrator, type Migration, type MigrationProvider } from 'kysely';
import type { Store } from './connect.js';
import * as core001 from './migrations/001-core.js';
import * as supply002 from './migrations/002-supply.js';
import * as projection003 from './migrations/003-projection-cache.js';
import * as promiseKey004 from './migrations/004-promise-key.js';
import * as queueIndex005 from './migrations/005-queue-index.js';
import * as communication006 from './migrations/006-communication.js';
import * as kpis007 from './migrations/007-kpis.js';
import * as kpiRollup008 from './migrations/008-kpi-rollup.js';
import * as allocationRuns009 from './migrations/009-allocation-runs.js';
import * as access010 from './migrations/010-access.js';
import * as jobClaims011 from './migrations/011-job-claims.js';
import * as skuHistoryIndexes012 from './migrations/012-sku-history-indexes.js';
import * as messageClaimToken013 from './migrations/013-message-claim-token.js';

/** The one migration list, in order, for both engines. */
const migrations: Record<string, Migration> = {
  '001-core': core001,
  '002-supply': supply002,
  '003-projection-cache': projection003,
  '004-promise-key': promiseKey004,
  '005-queue-index': queueIndex005,
  '006-communication': communication006,
  '007-kpis': kpis007,
  '008-kpi-rollup': kpiRollup008,
  '009-allocation-runs': allocationRuns009,
  '010-access': access010,
  '011-job-claims': jobClaims011,
  '012-sku-history-indexes': skuHistoryIndexes012,
  '013-message-claim-token': messageClaimToken013,
};

/** Every migration, in the order they apply. */
export const migrationNames = Object.keys(migrations);

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Brings the schema up to date; safe to call from several processes at once (Kysely takes a migration lock). */
export async function migrateToLatest(store: Store): Promise<string[]> {
  const migrator = new Migrator({ db: store.db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
