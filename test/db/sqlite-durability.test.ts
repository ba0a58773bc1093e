/**
 * How much a SQLite commit waits for the disk: a live store survives a power loss up to its last checkpoint
 * (NORMAL), a rebuildable one (a replay's, made again from its file) hands commits to the OS and goes on (OFF).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { connect } from '../../src/db/connect.js';

describe('SQLite durability', () => {
  const dir = mkdtempSync(join(tmpdir(), 'raincheck-sync-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const synchronous = async (rebuildable?: boolean) => {
    const store = connect({ url: join(dir, `${String(rebuildable)}.sqlite`), ...(rebuildable === undefined ? {} : { rebuildable }) });
    try {
      const { rows } = await sql<{ synchronous: number }>`pragma synchronous`.execute(store.db);
      return { level: rows[0]!.synchronous, serialised: store.writersSerialised };
    } finally {
      await store.close();
    }
  };

  it('waits for the disk at checkpoints unless the store is rebuildable', async () => {
    expect(await synchronous()).toEqual({ level: 1, serialised: true });
    expect(await synchronous(false)).toEqual({ level: 1, serialised: true });
    expect(await synchronous(true)).toEqual({ level: 0, serialised: true });
  });
});
