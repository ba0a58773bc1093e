/** The allocation strategy in force, kept in the settings table so every process uses the same one. */
import type { Tx } from '../db/connect.js';
import { strategies, strategyNames, type AllocationStrategy, type StrategyName } from './strategies.js';

const key = 'allocation.strategy';
export const defaultStrategy: StrategyName = 'fifo';

export async function currentStrategy(tx: Tx): Promise<AllocationStrategy> {
  const row = await tx.selectFrom('setting').select('value').where('key', '=', key).executeTakeFirst();
  const name = row ? (JSON.parse(row.value) as string) : defaultStrategy;
  return strategies[(strategyNames as readonly string[]).includes(name) ? (name as StrategyName) : defaultStrategy];
}

export async function setStrategy(tx: Tx, name: StrategyName, now: string): Promise<void> {
  await tx
    .insertInto('setting')
    .values({ key, value: JSON.stringify(name), updated_at: now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(name), updated_at: now }))
    .execute();
}
