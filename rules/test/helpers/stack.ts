// Real components on loopback for the rules and provisioning tests: Prometheus (with rule files
// and an Alertmanager), Alertmanager, mlmon-exporter processes, the demo model service, and a
// webhook receiver. Each start function returns something with stop(); tests stop what they start.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
export const RULES_DIR = join(ROOT, 'rules');
export const PROVISIONING_DIR = join(ROOT, 'provisioning');

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `mlmon-${prefix}-`));
}

// Loopback ports and polling: the same helpers as the exporter's own tests.
export { freePort, waitFor } from '../../../exporter/test/helpers/processes.ts';
import { freePort, waitFor } from '../../../exporter/test/helpers/processes.ts';

/** Runs a command to completion; returns its exit status and output. */
export function run(command: string, args: string[], cwd = ROOT): { status: number | null; output: string } {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

interface Managed {
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

function manage(command: string, args: string[], dirs: string[], env?: NodeJS.ProcessEnv): Managed {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: env ?? process.env, cwd: ROOT });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-8000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return {
    child,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function ready(managed: Managed, what: string, url: string, timeoutMs = 30_000): Promise<void> {
  try {
    await waitFor(
      what,
      async () => {
        if (managed.child.exitCode !== null) throw new Error(`exited with ${managed.child.exitCode}`);
        return (await fetch(url)).ok ? true : undefined;
      },
      timeoutMs,
    );
  } catch (err) {
    await managed.stop();
    throw new Error(`${(err as Error).message}\n${what} output:\n${managed.output()}`);
  }
}

export interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

export interface RunningPrometheus {
  url: string;
  port: number;
  query(expr: string): Promise<Sample[]>;
  stop(): Promise<void>;
}

export interface PrometheusOptions {
  /** Full prometheus.yml text; when given, the other options are ignored. */
  config?: string;
  /** Scrape jobs: job name → targets (and optional target labels). */
  jobs?: { name: string; targets: string[]; labels?: Record<string, string> }[];
  ruleFiles?: string[];
  alertmanagers?: string[];
  interval?: string;
}

export function prometheusConfig(options: PrometheusOptions): string {
  const interval = options.interval ?? '1s';
  const lines = ['global:', `  scrape_interval: ${interval}`, `  evaluation_interval: ${interval}`];
  if (options.ruleFiles?.length) {
    lines.push('rule_files:', ...options.ruleFiles.map((f) => `  - ${JSON.stringify(f)}`));
  }
  if (options.alertmanagers?.length) {
    lines.push('alerting:', '  alertmanagers:', '    - static_configs:', '        - targets:');
    lines.push(...options.alertmanagers.map((t) => `            - ${JSON.stringify(t)}`));
  }
  lines.push('scrape_configs:');
  for (const job of options.jobs ?? []) {
    lines.push(`  - job_name: ${JSON.stringify(job.name)}`, '    static_configs:', '      - targets:');
    lines.push(...job.targets.map((t) => `          - ${JSON.stringify(t)}`));
    if (job.labels) {
      lines.push(
        '        labels:',
        ...Object.entries(job.labels).map(([k, v]) => `          ${k}: ${JSON.stringify(v)}`),
      );
    }
  }
  return lines.join('\n') + '\n';
}

/** Prometheus from Debian's package. */
export async function startPrometheus(options: PrometheusOptions): Promise<RunningPrometheus> {
  const dir = tempDir('prom');
  const port = await freePort();
  const configFile = join(dir, 'prometheus.yml');
  writeFileSync(configFile, options.config ?? prometheusConfig(options));
  const managed = manage(
    'prometheus',
    [
      `--config.file=${configFile}`,
      `--web.listen-address=127.0.0.1:${port}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      '--web.enable-lifecycle',
    ],
    [dir],
  );
  const url = `http://127.0.0.1:${port}`;
  await ready(managed, 'prometheus /-/ready', `${url}/-/ready`);
  return {
    url,
    port,
    async query(expr) {
      const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`);
      const body = (await response.json()) as { status: string; data: { result: Sample[] }; error?: string };
      if (body.status !== 'success') throw new Error(`query ${expr}: ${body.error}`);
      return body.data.result;
    },
    stop: managed.stop,
  };
}

export interface RunningAlertmanager {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export async function startAlertmanager(configText: string): Promise<RunningAlertmanager> {
  const dir = tempDir('am');
  const port = await freePort();
  const configFile = join(dir, 'alertmanager.yml');
  writeFileSync(configFile, configText);
  const managed = manage(
    'prometheus-alertmanager',
    [
      `--config.file=${configFile}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
      `--storage.path=${join(dir, 'data')}`,
    ],
    [dir],
  );
  const url = `http://127.0.0.1:${port}`;
  await ready(managed, 'alertmanager /-/ready', `${url}/-/ready`);
  return { url, port, stop: managed.stop };
}

export interface RunningService {
  url: string;
  port: number;
  output(): string;
  stop(): Promise<void>;
}

/** mlmon-exporter as its own process, from the repo's bin. */
export async function startExporterProcess(configYaml: string): Promise<RunningService> {
  const dir = tempDir('exporter');
  const port = await freePort();
  const configFile = join(dir, 'mlmon.yml');
  writeFileSync(configFile, configYaml);
  const managed = manage(
    process.execPath,
    [
      join(ROOT, 'exporter/bin/mlmon-exporter.mjs'),
      `--config.file=${configFile}`,
      `--web.listen-address=127.0.0.1:${port}`,
      `--storage.path=${join(dir, 'data')}`,
    ],
    [dir],
  );
  const url = `http://127.0.0.1:${port}`;
  await ready(managed, 'mlmon-exporter /-/healthy', `${url}/-/healthy`, 60_000);
  return { url, port, output: managed.output, stop: managed.stop };
}

/** The demo model service of examples/demo-model, posting its records to `exporterUrl`. */
export async function startDemoModel(exporterUrl: string, env: Record<string, string> = {}): Promise<RunningService> {
  const port = await freePort();
  const managed = manage(process.execPath, [join(ROOT, 'examples/demo-model/server.mjs')], [], {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    MLMON_URL: exporterUrl,
    ...env,
  });
  const url = `http://127.0.0.1:${port}`;
  await ready(managed, 'demo model /healthz', `${url}/healthz`);
  return { url, port, output: managed.output, stop: managed.stop };
}

export interface Webhook {
  url: string;
  received: { path: string; body: unknown }[];
  stop(): Promise<void>;
}

/** A loopback HTTP server that records every JSON body POSTed to it. */
export async function startWebhook(): Promise<Webhook> {
  const received: Webhook['received'] = [];
  const server = createHttpServer((request: IncomingMessage, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      try {
        received.push({ path: request.url ?? '/', body: JSON.parse(body) });
      } catch {
        received.push({ path: request.url ?? '/', body });
      }
      response.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** Parses Prometheus text format lines `name{labels} value` (no escapes beyond \" and \\). */
export function parseMetrics(text: string): { name: string; labels: Record<string, string>; value: number }[] {
  const samples = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const m of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[m[1]] = m[2].replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    }
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return samples;
}
