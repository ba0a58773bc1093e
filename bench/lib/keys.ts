/** An API key for a benchmark's client, made the way an admin would (the benchmarks measure the API behind its guard). */
import { issueKey } from '../../src/access/keys.js';
import type { Role } from '../../src/access/policy.js';
import type { AppContext } from '../../src/main/context.js';

export async function benchKey(ctx: AppContext, role: Role): Promise<string> {
  const issued = await issueKey(ctx.store.db, ctx.clock, { name: `bench ${role}`, role }, 'bench');
  if (!issued.ok) throw new Error(issued.error.message);
  return issued.value.secret;
}
