/**
 * A private PostgreSQL cluster for a test that must stop or restart its database server: the shared server on 5432
 * serves every other test file at once, so it is never touched. The cluster lives in a temporary directory owned
 * by the `postgres` OS user (PostgreSQL refuses to run as root), listens on a free port of 127.0.0.1 with trust
 * authentication, and is deleted by `destroy`.
 */
import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The newest installed server's bin directory (Debian layout), or null when there is none. */
function findBinDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'pg_ctl'))).sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? join(root, versions[0]!, 'bin') : null;
}

const binDir = findBinDir();
const isRoot = process.getuid?.() === 0;
/** Root can only run the binaries as `postgres`; anyone else runs them as themselves. */
export const privateClusterAvailable = binDir !== null && (!isRoot || existsSync('/usr/sbin/runuser') || existsSync('/sbin/runuser'));

export interface PgCluster {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` */
  url: string;
  port: number;
  /** Crashes every PostgreSQL process at once (`-m immediate`: no checkpoint, recovery from the WAL) and starts again. */
  restartImmediate(): Promise<void>;
  destroy(): Promise<void>;
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

async function pgBin(name: string, args: string[]): Promise<void> {
  const path = join(binDir!, name);
  try {
    if (isRoot) await run('runuser', ['-u', 'postgres', '--', path, ...args], { timeout: 60_000 });
    else await run(path, args, { timeout: 60_000 });
  } catch (e) {
    const err = e as Error & { stdout?: string; stderr?: string };
    throw new Error(`${name} ${args.join(' ')} failed: ${err.message}\n${err.stdout ?? ''}${err.stderr ?? ''}`);
  }
}

export async function startPgCluster(): Promise<PgCluster> {
  if (!binDir) throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql');
  const dir = mkdtempSync(join(tmpdir(), 'rc-pg-'));
  if (isRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const data = join(dir, 'data');
  const port = await freePort();
  // -N: no fsync during initdb, it only slows the shared machine down. The running server keeps fsync and
  // synchronous_commit on, so an acknowledged commit survives the immediate restart.
  await pgBin('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-N']);
  // The socket goes into the private directory (the default /var/run/postgresql may not exist or be the shared
  // server's); the log file keeps pg_ctl from holding our pipes open.
  const log = join(dir, 'server.log');
  await pgBin('pg_ctl', ['-D', data, '-l', log, '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, '-w', '-t', '60', 'start']);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    // pg_ctl restart keeps the options of the last start (postmaster.opts).
    restartImmediate: () => pgBin('pg_ctl', ['-D', data, '-l', log, '-m', 'immediate', '-w', '-t', '60', 'restart']),
    async destroy() {
      await pgBin('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
