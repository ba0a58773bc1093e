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

/** The strategy and the promise quantile in one read (intake needs both while it holds its SKU locks). */
export async function promiseSettings(tx: Tx): Promise<{ strategy: AllocationStrategy; quantile: number }> {
  const rows = await tx.selectFrom('setting').select(['key', 'value']).where('key', 'in', [strategySettingKey, promiseQuantileKey]).execute();
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

