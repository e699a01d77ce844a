// The real mlmon-exporter process for the hostile-client tests: listens on port 0 of loopback (the
// port is read from its start-up line), with whatever flags and config the test gives; raw
// sockets for the requests no well-behaved client would send.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXPORTER_BIN as EXPORTER, waitFor } from '../../../testkit/index.ts';
import { REFERENCE } from './snapshot-process.ts';

export interface HostileTarget {
  child: ChildProcess;
  url: string;
  port: number;
  dir: string;
  output(): string;
  exited: Promise<number | null>;
  /** Resident memory of the process, MiB (Linux /proc). */
  rssMiB(): number;
  stop(): Promise<void>;
}

/** A folder with the config of one model `m` (numeric x, categorical color, numeric prediction level). */
export function configDir(extra = '', model = ''): { dir: string; config: string } {
  const dir = mkdtempSync(join(tmpdir(), 'mlmon-hostile-'));
  const config = join(dir, 'mlmon.yml');
  writeFileSync(
    config,
    `models:\n  - name: m\n    reference: { path: ${REFERENCE} }\n    features: [{ name: x }, { name: color }]\n` +
      `    prediction: { name: level }\n    windows: [1h]\n${model}${extra}`,
  );
  return { dir, config };
}

export async function startTarget(
  dir: string,
  flags: string[],
  options: { host?: string; waitForListen?: boolean } = {},
): Promise<HostileTarget> {
  const host = options.host ?? '127.0.0.1';
  const child = spawn(
    process.execPath,
    [EXPORTER, `--web.listen-address=${host}:0`, `--storage.path=${join(dir, 'storage')}`, ...flags],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let port = 0;
  if (options.waitForListen !== false) {
    try {
      port = await waitFor('the exporter to listen', async () => {
        if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}: ${output}`);
        const match = /metrics at https?:\/\/[^:]+:(\d+)\/metrics/.exec(output);
        return match ? Number(match[1]) : undefined;
      });
    } catch (err) {
      child.kill('SIGKILL');
      throw err;
    }
  }
  return {
    child,
    port,
    url: `http://127.0.0.1:${port}`,
    dir,
    output: () => output,
    exited,
    rssMiB: () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))![1]) / 1024,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

/** A raw connection to the target, open once connected; `closed` resolves when the server closes it. */
export async function rawConnection(
  port: number,
  localAddress = '127.0.0.1',
): Promise<{ socket: Socket; closed: Promise<void>; received(): string }> {
  const socket = connect({ host: '127.0.0.1', port, localAddress });
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
  socket.on('error', () => undefined); // a reset is one way for the server to close it
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return { socket, closed, received: () => received };
}

/** Resolves true when `promise` settles within `ms`, false otherwise (a bound, never a synchronisation). */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export const postJson = (url: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

/** One request on its own connection (Connection: close), answered in full: no pool keeps it open. */
export async function rawGet(
  port: number,
  path: string,
  options: { headers?: Record<string, string>; from?: string; method?: string } = {},
): Promise<{ status: number; text: string }> {
  const connection = await rawConnection(port, options.from);
  const headers = Object.entries(options.headers ?? {})
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  connection.socket.write(
    `${options.method ?? 'GET'} ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${headers}\r\n`,
  );
  await connection.closed;
  const text = connection.received();
  return { status: Number(/^HTTP\/1\.1 (\d+)/.exec(text)?.[1] ?? 0), text };
}
