// Prometheus and Alertmanager from Debian's packages on loopback port 0: each logs the port it got.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { boundPort, ready, spawnManaged, TOOLKIT_LISTENING } from './process.ts';
import { tempDir } from './base.ts';

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

export async function startPrometheus(options: PrometheusOptions): Promise<RunningPrometheus> {
  const dir = tempDir('prom');
  const configFile = join(dir, 'prometheus.yml');
  writeFileSync(configFile, options.config ?? prometheusConfig(options));
  const managed = spawnManaged(
    'prometheus',
    [
      `--config.file=${configFile}`,
      '--web.listen-address=127.0.0.1:0',
      `--storage.tsdb.path=${join(dir, 'data')}`,
      '--web.enable-lifecycle',
    ],
    { removeOnStop: [dir] },
  );
  const port = await boundPort(managed, 'prometheus to listen', TOOLKIT_LISTENING);
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
    stop: async () => void (await managed.stop()),
  };
}

export interface RunningAlertmanager {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** Posts alerts to Alertmanager's API v2 as Prometheus does; throws unless they are accepted. */
export async function postAlerts(
  alertmanager: RunningAlertmanager,
  alerts: { labels: Partial<Record<string, string>> }[],
) {
  const response = await fetch(`${alertmanager.url}/api/v2/alerts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(alerts),
  });
  if (response.status !== 200)
    throw new Error(`alertmanager refused the alerts: ${response.status} ${await response.text()}`);
}

export async function startAlertmanager(configText: string): Promise<RunningAlertmanager> {
  const dir = tempDir('am');
  const configFile = join(dir, 'alertmanager.yml');
  writeFileSync(configFile, configText);
  const managed = spawnManaged(
    'prometheus-alertmanager',
    [
      `--config.file=${configFile}`,
      '--web.listen-address=127.0.0.1:0',
      '--cluster.listen-address=',
      `--storage.path=${join(dir, 'data')}`,
    ],
    { removeOnStop: [dir] },
  );
  const port = await boundPort(managed, 'alertmanager to listen', TOOLKIT_LISTENING);
  const url = `http://127.0.0.1:${port}`;
  await ready(managed, 'alertmanager /-/ready', `${url}/-/ready`);
  return { url, port, stop: async () => void (await managed.stop()) };
}
