/** The allocation strategy in force, kept in the settings table so every process uses the same one. */
import type { Tx } from '../db/connect.js';
import { strategies, strategyNames, type AllocationStrategy, type StrategyName } from './strategies.js';

const key = 'allocation.strategy';
export const strategySettingKey = key;
export const defaultStrategy: StrategyName = 'fifo';

/** The strategy named by a stored setting value (the default when absent or unknown). */
export function strategyFromSetting(value: string | undefined): AllocationStrategy {
  const name = value === undefined ? defaultStrategy : (JSON.parse(value) as string);
  return strategies[(strategyNames as readonly string[]).includes(name) ? (name as StrategyName) : defaultStrategy];
}

export async function currentStrategy(tx: Tx): Promise<AllocationStrategy> {
  const row = await tx.selectFrom('setting').select('value').where('key', '=', key).executeTakeFirst();
  return strategyFromSetting(row?.value);
}

export async function setStrategy(tx: Tx, name: StrategyName, now: string): Promise<void> {
  await tx
    .insertInto('setting')
    .values({ key, value: JSON.stringify(name), updated_at: now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(name), updated_at: now }))
    .execute();
}
