/**
 * The concurrency proof of the core issue: several real server processes share one store while many clients place
 * orders on a few hot SKUs, stock arrives, lines are cancelled and orders ship, all at once. Afterwards (and, for
 * the cheap invariants, continuously during the run) no unit was promised twice, every ordered unit is accounted
 * for, caps and deny policies held, and no request failed with a 5xx. Then the Idempotency-Key race: the same key
 * sent at once to different processes creates exactly one order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestContext, type TestContext } from '../support/context.js';
import { engines, postgresAvailable, type Engine } from '../support/engines.js';
import { startServers, type ServerProcess } from '../support/server-process.js';
import { CAP, runScenario, seed, seedStore } from './concurrency-scenario.js';
import { checkOrders, checkReplies, checkStock, idempotencyRace } from './concurrency-checks.js';

function suite(engine: Engine, processes: number) {
  let t: TestContext;
  let servers: ServerProcess[] = [];
  beforeAll(async () => {
    t = await openTestContext(engine);
    await seedStore(t);
    servers = await startServers(t.db.url, processes);
  }, 120_000);
  afterAll(async () => {
    const stopped = await Promise.all(servers.map((s) => s.stop()));
    await t?.close();
    // A server that needed SIGKILL did not shut down cleanly on SIGTERM.
    expect(stopped.filter((s) => s.forced)).toEqual([]);
  }, 60_000);

  it(`${processes} server processes, 40 concurrent clients: no unit promised twice, every unit accounted for`, async () => {
    const started = performance.now();
    const result = await runScenario(t, servers);
    const ms = result.client.exchanges.map((e) => e.ms).sort((a, b) => a - b);
    const at = (p: number) => Math.round(ms[Math.min(ms.length - 1, Math.floor(p * ms.length))] ?? 0);
    console.log(
      `${engine.name} x${processes}: ${result.client.exchanges.length} requests in ${Math.round(performance.now() - started)} ms ` +
        `(p50 ${at(0.5)} ms, p99 ${at(0.99)} ms); ${JSON.stringify(result.counts)}; ` +
        `watcher ${result.watch.samples} samples, max capped waiting ${result.watch.maxCapWaiting}/${CAP}; seed ${seed}`,
    );
    checkReplies(result, servers);
    await checkStock(t, result);
    await checkOrders(t, result);
  }, 60_000);

  it('the same Idempotency-Key sent at once to different processes creates one order', async () => {
    await idempotencyRace(t, servers);
  }, 45_000);
}

describe.skipIf(!postgresAvailable)('concurrency on PostgreSQL (several server processes)', () => {
  suite(engines.find((e) => e.name === 'postgres')!, 3);
});

describe('concurrency on SQLite (several server processes on one file)', () => {
  suite(engines.find((e) => e.name === 'sqlite')!, 3);
});
