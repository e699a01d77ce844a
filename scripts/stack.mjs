#!/usr/bin/env node
// `npm run stack`: the docker-compose stack without Docker, minus Grafana. Prometheus and
// Alertmanager from the system (Debian's packages, installed when missing) with the repo's
// configs (service names rewritten to loopback ports), mlmon-exporter on examples/mlmon.yml, the
// demo model, the retraining webhook and the traffic generator from the repo. Ctrl-C stops all.
// As in docker-compose.yml, the exporter runs with provisioning/exporter/web-config.yml: the demo
// model and the traffic generator send the token of provisioning/exporter/ingest-tokens.txt;
// /metrics and /-/healthy need no credentials.
//   npm run stack [-- --scenario=prior-drift] [--no-traffic] [--free-ports] [--scrape-interval=15s]
//   npm run stack -- --fast    the demo profile for a first look: drift after 30s, a 1-minute
//                              window, 5s scrapes, alert `for:` durations cut to 1m; the first
//                              drift alert reaches Alertmanager and the webhook within 5 minutes.
// Ports (loopback): Prometheus 9090, Alertmanager 9093, exporter 9877, demo model 8080, webhook
// 9096, as in docker-compose.yml; --free-ports lets each take any free port (port 0) and reads the
// port back from the line it prints once bound, so stacks started side by side cannot collide
// (the tests use it).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { EXPORTER_ENV, EXPORTER_NODE_FLAGS } from '../exporter/scripts/node-flags.mjs';
import { ensureDebianPackages, ensureNodeModules, ROOT } from './setup.mjs';

const { values } = parseArgs({
  options: {
    scenario: { type: 'string', default: process.env.MLMON_SCENARIO ?? 'data-drift' },
    'drift-after': { type: 'string', default: process.env.MLMON_DRIFT_AFTER ?? '5m' },
    'no-traffic': { type: 'boolean', default: false },
    'free-ports': { type: 'boolean', default: false },
    'scrape-interval': { type: 'string' },
    fast: { type: 'boolean', default: false },
  },
});
if (values.fast) {
  values['drift-after'] = '30s';
  values['scrape-interval'] ??= '5s';
}

ensureDebianPackages({ prometheus: 'prometheus', 'prometheus-alertmanager': 'prometheus-alertmanager' });
ensureNodeModules();
// The exporter's bin runs the built dist/ (imported after npm ci: the build loads esbuild).
await (await import('../exporter/scripts/build.mjs')).buildIfStale();

// The compose services and the ports they listen on there.
const COMPOSE_PORTS = {
  prometheus: 9090,
  alertmanager: 9093,
  exporter: 9877,
  'demo-model': 8080,
  'alert-receiver': 9096,
};
/** The lines in which the services name the address they bound. */
const LISTENING = {
  prometheus: /msg="Listening on" address=127\.0\.0\.1:(\d+)/,
  alertmanager: /msg="Listening on" address=127\.0\.0\.1:(\d+)/,
  exporter: /listening on http:\/\/127\.0\.0\.1:(\d+)/,
  'demo-model': /demo-model: .* on http:\/\/127\.0\.0\.1:(\d+)/,
  'alert-receiver': /retrain-adapter on http:\/\/127\.0\.0\.1:(\d+)/,
};
/** Ports the services were started on (0: any free one), replaced by the bound ones as they start. */
const ports = Object.fromEntries(
  Object.entries(COMPOSE_PORTS).map(([name, port]) => [name, values['free-ports'] ? 0 : port]),
);
const local = (name) => `127.0.0.1:${ports[name]}`;
const url = (name) => `http://${local(name)}`;
/** Service-name addresses of the compose configs → loopback addresses. */
/** The compose stack's web config and the token file the clients read (docker-compose.yml mounts the same folder). */
const WEB_CONFIG = join(ROOT, 'provisioning/exporter/web-config.yml');
const INGEST_TOKEN_FILE = join(ROOT, 'provisioning/exporter/ingest-tokens.txt');
const rewrite = (text) =>
  Object.entries(COMPOSE_PORTS).reduce((t, [name, port]) => t.replaceAll(`${name}:${port}`, local(name)), text);

const dir = mkdtempSync(join(tmpdir(), 'mlmon-stack-'));
const children = [];
let stopping = false;

function start(name, command, args, env = {}) {
  const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let tail = '';
  const log = (chunk) => {
    tail = (tail + chunk).slice(-4000);
    if (process.env.MLMON_STACK_VERBOSE) process.stdout.write(`[${name}] ${chunk}`);
  };
  child.stdout.on('data', log);
  child.stderr.on('data', log);
  child.bound = new Promise((resolve) => {
    const seen = (chunk) => {
      const match = LISTENING[name]?.exec(String(chunk));
      if (match) resolve(Number(match[1]));
    };
    child.stdout.on('data', seen);
    child.stderr.on('data', seen);
  });
  child.once('exit', (code, signal) => {
    if (!stopping) {
      console.error(`${name} exited (${code ?? signal}); last output:\n${tail}`);
      stop(1);
    }
  });
  children.push({ name, child });
  return child;
}

/** Waits for the service's line naming its bound port and records the port. */
async function bound(name, child) {
  ports[name] = await child.bound;
}

async function ready(name, probeUrl, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (stopping) return;
    try {
      if ((await fetch(probeUrl)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  console.error(`${name}: no answer from ${probeUrl} within ${timeoutMs / 1000}s`);
  stop(1);
}

async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const { child } of children.reverse()) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
  rmSync(dir, { recursive: true, force: true });
  console.log('mlmon stack stopped');
  process.exit(code);
}
process.once('SIGINT', () => stop(0));
process.once('SIGTERM', () => stop(0));

// Alertmanager's webhooks: the retraining adapter.
const receiver = start('alert-receiver', process.execPath, ['examples/retrain-adapter/server.mjs'], {
  PORT: String(ports['alert-receiver']),
  HOST: '127.0.0.1',
});
await bound('alert-receiver', receiver);
const amConfig = join(dir, 'alertmanager.yml');
writeFileSync(amConfig, rewrite(readFileSync(join(ROOT, 'provisioning/alertmanager/alertmanager.yml'), 'utf8')));
const alertmanager = start('alertmanager', 'prometheus-alertmanager', [
  `--config.file=${amConfig}`,
  `--web.listen-address=${local('alertmanager')}`,
  '--cluster.listen-address=',
  `--storage.path=${join(dir, 'alertmanager')}`,
]);

/**
 * The fast profile's exporter config: examples/mlmon.yml with a 1-minute window in place of the
 * 5-minute one (drift shows in the window within a minute), reference paths made absolute.
 */
function fastExporterConfig() {
  const file = join(dir, 'mlmon.yml');
  const text = readFileSync(join(ROOT, 'examples/mlmon.yml'), 'utf8')
    .replaceAll('windows: [5m, 1h]', 'windows: [1m, 1h]')
    .replaceAll('path: data/', `path: ${join(ROOT, 'examples/data')}/`);
  writeFileSync(file, text);
  return file;
}

/** The fast profile's alert rules: rules/alerts.yml with every `for:` longer than 1m cut to 1m. */
function fastAlertRules() {
  const file = join(dir, 'alerts-fast.yml');
  const minutes = (d) =>
    [...d.matchAll(/(\d+)([smhd])/g)].reduce((m, [, n, u]) => m + n * { s: 1 / 60, m: 1, h: 60, d: 1440 }[u], 0);
  const text = readFileSync(join(ROOT, 'rules/alerts.yml'), 'utf8').replace(/^(\s+for: )(\S+)$/gm, (line, key, d) =>
    minutes(d) > 1 ? `${key}1m` : line,
  );
  writeFileSync(file, text);
  return file;
}

const exporter = start(
  'exporter',
  process.execPath,
  [
    ...EXPORTER_NODE_FLAGS,
    'exporter/bin/mlmon-exporter.mjs',
    `--config.file=${values.fast ? fastExporterConfig() : join(ROOT, 'examples/mlmon.yml')}`,
    `--web.listen-address=${local('exporter')}`,
    `--storage.path=${join(dir, 'exporter')}`,
    `--web.config.file=${WEB_CONFIG}`,
  ],
  EXPORTER_ENV,
);
await bound('exporter', exporter);
await ready('exporter', `${url('exporter')}/-/healthy`);
const demoModel = start('demo-model', process.execPath, ['examples/demo-model/server.mjs'], {
  PORT: String(ports['demo-model']),
  HOST: '127.0.0.1',
  MLMON_URL: url('exporter'),
  MODEL_NAME: 'credit-risk',
  MODELS: 'credit-risk,credit-risk-eu,credit-risk-us',
  MLMON_INGEST_TOKEN_FILE: INGEST_TOKEN_FILE,
});
await bound('demo-model', demoModel);
await bound('alertmanager', alertmanager);
await ready('demo-model', `${url('demo-model')}/healthz`);
await ready('alert-receiver', `${url('alert-receiver')}/healthz`);
await ready('alertmanager', `${url('alertmanager')}/-/ready`);

// Prometheus: the stack's config, the rule files of rules/ by absolute path.
const promConfig = () => {
  let config = rewrite(readFileSync(join(ROOT, 'provisioning/prometheus/prometheus.yml'), 'utf8'))
    .replace("'localhost:9090'", `'${local('prometheus')}'`)
    .replace(
      /^(\s+- )rules\/(\w+\.yml)$/gm,
      (_, indent, file) =>
        `${indent}${JSON.stringify(values.fast && file === 'alerts.yml' ? fastAlertRules() : join(ROOT, 'rules', file))}`,
    );
  if (values['scrape-interval']) {
    config = config
      .replace(/scrape_interval: \S+/, `scrape_interval: ${values['scrape-interval']}`)
      .replace(/evaluation_interval: \S+/, `evaluation_interval: ${values['scrape-interval']}`);
  }
  return config;
};
const promFile = join(dir, 'prometheus.yml');
writeFileSync(promFile, promConfig());
const prometheus = start('prometheus', 'prometheus', [
  `--config.file=${promFile}`,
  `--web.listen-address=${local('prometheus')}`,
  `--storage.tsdb.path=${join(dir, 'prometheus')}`,
  '--web.enable-lifecycle',
]);
const configuredPort = ports.prometheus;
await bound('prometheus', prometheus);
await ready('prometheus', `${url('prometheus')}/-/ready`);
if (ports.prometheus !== configuredPort && !stopping) {
  // Bound to a free port: the job that scrapes Prometheus itself learns the port now.
  writeFileSync(promFile, promConfig());
  await fetch(`${url('prometheus')}/-/reload`, { method: 'POST' });
}

if (!values['no-traffic']) {
  start('traffic', process.execPath, ['examples/traffic-generator/generate.mjs'], {
    SCENARIO: values.scenario,
    DRIFT_AFTER: values['drift-after'],
    MODEL_URL: url('demo-model'),
    MLMON_URL: url('exporter'),
    MLMON_INGEST_TOKEN_FILE: INGEST_TOKEN_FILE,
  });
}

if (!stopping) {
  console.log(`mlmon stack ready (no Grafana: docker compose up for that)
  Prometheus    ${url('prometheus')}   (alerts: ${url('prometheus')}/alerts, targets: ${url('prometheus')}/targets)
  Alertmanager  ${url('alertmanager')}
  exporter      ${url('exporter')}   (metrics: ${url('exporter')}/metrics; ingest token: provisioning/exporter/ingest-tokens.txt)
  demo model    ${url('demo-model')}   (POST /predict)
  webhook       ${url('alert-receiver')}   (retraining requests are logged; MLMON_STACK_VERBOSE=1 shows all output)
  traffic       ${values['no-traffic'] ? 'off' : `scenario ${values.scenario}, drift after ${values['drift-after']}`}${
    values.fast
      ? `
  fast demo     1-minute window, ${values['scrape-interval']} scrapes, alerts after 1m: the first drift alert within 5 minutes (${url('prometheus')}/alerts)`
      : ''
  }
Ctrl-C stops everything.`);
}
