/** The quantile promises are made at, kept in the settings table so every process uses the same one. */
import type { Tx } from '../db/connect.js';
import { strategyFromSetting, strategySettingKey } from '../allocation/settings.js';
import type { AllocationStrategy } from '../allocation/strategies.js';

const promiseQuantileKey = 'promise.quantile';
export const defaultPromiseQuantile = 0.8;

export async function promiseQuantile(tx: Tx): Promise<number> {
  const row = await tx.selectFrom('setting').select('value').where('key', '=', promiseQuantileKey).executeTakeFirst();
  return row ? Number(JSON.parse(row.value)) : defaultPromiseQuantile;
}

/** What promising depends on: the allocation strategy (the queue's order) and the promise quantile. */
export interface PromiseSettings {
  strategy: AllocationStrategy;
  quantile: number;
}

/** Both settings in one read, for `store.readMany` (intake reads them while it holds its SKU locks). */
export const promiseSettingsQuery = (tx: Tx) => tx.selectFrom('setting').select(['key', 'value']).where('key', 'in', [strategySettingKey, promiseQuantileKey]);

export function promiseSettingsFrom(rows: readonly { key: string; value: string }[]): PromiseSettings {
  const value = (k: string) => rows.find((r) => r.key === k)?.value;
  const q = value(promiseQuantileKey);
  return { strategy: strategyFromSetting(value(strategySettingKey)), quantile: q === undefined ? defaultPromiseQuantile : Number(JSON.parse(q)) };
}

export async function setPromiseQuantile(tx: Tx, q: number, now: string): Promise<void> {
  await tx
    .insertInto('setting')
    .values({ key: promiseQuantileKey, value: JSON.stringify(q), updated_at: now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(q), updated_at: now }))
    .execute();
}

