// A throwaway PostgreSQL 15 cluster (Debian's binaries, run as the `postgres` user) on a loopback
// port, for the postgres source's tests and benchmark. PostgreSQL cannot report a port-0 bind, so
// it gets a port the kernel just handed out and, should another process take it first, another one.
import { execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createServer } from 'node:net';
import { waitFor } from './base.ts';

const BIN = '/usr/lib/postgresql/15/bin';

export interface RunningPostgres {
  host: string;
  port: number;
  /** The superuser `postgres` and the reader role `mlmon` share this password. */
  password: string;
  dir: string;
  /** A client connected as `postgres` to `database`. */
  connect(database?: string): Promise<pg.Client>;
  /** Creates a database owned by `postgres` where `mlmon` may read every table. */
  createDatabase(name: string): Promise<void>;
  /** Stops the server (fast shutdown), keeping its data. */
  stop(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
  /** Stops it and removes its folder. */
  destroy(): Promise<void>;
}

function asPostgres(args: string[]): string {
  return execFileSync('runuser', ['-u', 'postgres', '--', ...args], { encoding: 'utf8', stdio: 'pipe' });
}

export async function startPostgres(): Promise<RunningPostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'mlmon-pg-'));
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  chownSync(dir, uid, gid);
  const password = `pw-${Math.random().toString(36).slice(2)}`;
  const pwfile = join(dir, 'pwfile');
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  chownSync(pwfile, uid, gid);
  const data = join(dir, 'data');
  asPostgres([
    `${BIN}/initdb`,
    '-D',
    data,
    '-U',
    'postgres',
    '--auth=scram-sha-256',
    `--pwfile=${pwfile}`,
    '--no-sync',
    '--encoding=UTF8',
    '--locale=C',
  ]);
  let port = 0;
  const options = () =>
    [
      `-p ${port}`,
      `-k ${dir}`,
      "-c listen_addresses='127.0.0.1'",
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
      '-c shared_buffers=256MB',
      '-c work_mem=64MB',
      '-c max_wal_size=4GB',
    ].join(' ');
  const host = '127.0.0.1';

  const connect = async (database = 'postgres'): Promise<pg.Client> => {
    const client = new pg.Client({ host, port, user: 'postgres', password, database });
    client.on('error', () => {}); // a stopped server must not crash the test process
    await client.connect();
    return client;
  };

  const start = async (): Promise<void> => {
    asPostgres([`${BIN}/pg_ctl`, 'start', '-D', data, '-l', join(dir, 'log'), '-w', '-t', '60', '-o', options()]);
    await waitFor('postgres accepting connections', async () => {
      const client = await connect();
      await client.end();
      return true;
    });
  };
  const stop = async (): Promise<void> => {
    try {
      asPostgres([`${BIN}/pg_ctl`, 'stop', '-D', data, '-m', 'fast', '-w', '-t', '60']);
    } catch {
      // already stopped
    }
  };

  for (let attempt = 1; ; attempt++) {
    port = await portJustFreed();
    try {
      await start();
      break;
    } catch (err) {
      const log = readFileSync(join(dir, 'log'), 'utf8');
      if (attempt === 5 || !/could not bind|Address already in use/i.test(log)) throw err;
    }
  }
  const admin = await connect();
  await admin.query(`CREATE ROLE mlmon LOGIN PASSWORD '${password}'`);
  await admin.end();

  return {
    host,
    port,
    password,
    dir,
    connect,
    async createDatabase(name) {
      const client = await connect();
      await client.query(`CREATE DATABASE "${name}"`);
      await client.end();
      const db = await connect(name);
      await db.query('ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO mlmon');
      await db.end();
    },
    stop,
    start,
    async destroy() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A port the kernel handed out a moment ago: free now, though another process may take it first. */
function portJustFreed(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
