// docker-compose.yml, checked without a Docker engine: every mounted path exists; every service
// name and port that a config names (Prometheus targets, Alertmanager and Grafana URLs, the
// services' own environment) is a service listening there; the mounted configs are the files
// the rules and provisioning tests run, and promtool and amtool accept them as laid out in the
// containers; health checks use commands the images have, and the Node ones are run here. The
// exporter runs with the mounted web config, and the demo model and the traffic generator send a
// token it accepts: checked on the files, then with the three processes started from their mounts.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join, posix } from 'node:path';
import { parse } from 'yaml';
import {
  boundPort,
  DEMO_MODEL_LISTENING,
  ROOT,
  run,
  spawnExporter,
  spawnManaged,
  tempDir,
  waitFor,
  type Managed,
} from '../../testkit/index.ts';
import { loadWebConfigFile } from '../../exporter/src/web/config-load.ts';
import { parseTokenFile } from '../../exporter/src/web/bearer-auth.ts';
// @ts-expect-error: plain JavaScript without type declarations
import { firstToken } from '../../examples/lib/ingest-auth.mjs';
import { execForm, readDockerfile } from './helpers.ts';
// @ts-expect-error: plain JavaScript without type declarations
import { MODELS, SCENARIOS } from '../../examples/traffic-generator/credit.mjs';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;
// Compose supports YAML merge keys (<<: *anchor).
const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true });
const services: Record<string, Any> = compose.services;
const read = (path: string) => parse(readFileSync(join(ROOT, path), 'utf8'));
const dirs: string[] = [];
const running: Managed[] = [];
after(async () => {
  for (const p of running) await p.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Compose's ${VAR:-default} with the defaults (what `docker compose up` uses with no .env). */
const interpolate = (s: string) => s.replace(/\$\{(\w+):-([^}]*)\}/g, (_, _n, d) => d);

/** Bind mounts of a service: host path (repo-relative) → container path. */
function binds(service: Any): { host: string; container: string; readOnly: boolean }[] {
  return (service.volumes ?? [])
    .map((v: string) => v.split(':'))
    .filter(([host]: string[]) => host.startsWith('.'))
    .map(([host, container, mode]: string[]) => ({ host: posix.normalize(host), container, readOnly: mode === 'ro' }));
}

/** The container's filesystem as its bind mounts make it, copied under a temp folder. */
function layout(service: Any): string {
  const root = tempDir('layout');
  dirs.push(root);
  for (const { host, container } of binds(service)) {
    mkdirSync(dirname(join(root, container)), { recursive: true });
    cpSync(join(ROOT, host), join(root, container), { recursive: true });
  }
  return root;
}

/** The service's environment as its process sees it in `root` (its layout): container paths moved under root. */
function envIn(service: Any, root: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(service.environment ?? {})) {
    const v = interpolate(String(value));
    env[key] = v.startsWith('/') && existsSync(join(root, v)) ? join(root, v) : v;
  }
  return env;
}

/** The exporter's --web.config.file (container path) and the web config as the exporter reads it in its layout. */
function exporterWebConfig() {
  const exporter = services.exporter;
  const arg = (exporter.command as string[]).find((a) => a.startsWith('--web.config.file='));
  assert.ok(arg, 'the exporter has --web.config.file');
  const path = arg.slice('--web.config.file='.length);
  const root = layout(exporter);
  assert.ok(existsSync(join(root, path)), `${path} is mounted`);
  const config = loadWebConfigFile(join(root, path));
  // An absolute bearer_tokens_file names a container path; a relative one was resolved in the layout.
  const file = config.ingest_auth?.bearer_tokens_file;
  const tokenFile = file && !file.startsWith(root) ? join(root, file) : file;
  return { path, root, config, tokenFile };
}

/** The port a service listens on inside the network, from its command, PORT and ports/expose; all must agree. */
function listenPort(name: string): number {
  const service = services[name];
  const found = new Set<number>();
  for (const arg of service.command ?? []) {
    const m = /^--web\.listen-address=.*:(\d+)$/.exec(String(arg));
    if (m) found.add(Number(m[1]));
  }
  if (service.environment?.PORT) found.add(Number(service.environment.PORT));
  for (const p of service.ports ?? []) found.add(Number(String(p).split(':').at(-1)));
  for (const p of service.expose ?? []) found.add(Number(p));
  if (name === 'grafana') found.add(3000); // the image's default http_port, not overridden
  assert.equal(found.size, 1, `${name} listens on one port: ${[...found]}`);
  return [...found][0];
}

/** Checks that host:port is a compose service listening there. */
function reachable(where: string, hostPort: string) {
  const [host, port] = hostPort.split(':');
  assert.ok(services[host], `${where}: ${hostPort} is not a service of docker-compose.yml`);
  assert.equal(Number(port), listenPort(host), `${where}: ${hostPort}`);
}
const urlHostPort = (url: string) => {
  const u = new URL(url);
  return `${u.hostname}:${u.port || (u.protocol === 'https:' ? 443 : 80)}`;
};

test('every bind-mounted host path and build file exists', () => {
  let count = 0;
  for (const [name, service] of Object.entries(services)) {
    for (const { host } of binds(service)) {
      assert.ok(existsSync(join(ROOT, host)), `${name}: ${host}`);
      count++;
    }
    if (service.build) {
      assert.ok(statSync(join(ROOT, service.build.context)).isDirectory(), `${name} build context`);
      assert.ok(existsSync(join(ROOT, service.build.context, service.build.dockerfile)), `${name} Dockerfile`);
    }
    // Named volumes are declared.
    for (const v of service.volumes ?? []) {
      const source = String(v).split(':')[0];
      if (!source.startsWith('.')) assert.ok(source in compose.volumes, `${name}: volume ${source}`);
    }
  }
  console.log(`${count} bind mounts`);
  assert.ok(count >= 8);
});

test('Prometheus targets, Alertmanager webhooks, Grafana URLs and service environments name services and their ports', () => {
  const prometheus = read('provisioning/prometheus/prometheus.yml');
  const targets: string[] = [];
  for (const job of prometheus.scrape_configs)
    for (const sc of job.static_configs) for (const t of sc.targets) targets.push(`${job.job_name} ${t}`);
  for (const am of prometheus.alerting.alertmanagers)
    for (const sc of am.static_configs) for (const t of sc.targets) targets.push(`alerting ${t}`);
  for (const entry of targets) {
    const [where, target] = entry.split(' ');
    if (target === 'localhost:9090')
      reachable(where, 'prometheus:9090'); // Prometheus scraping itself
    else reachable(`prometheus.yml ${where}`, target);
  }
  const am = read('provisioning/alertmanager/alertmanager.yml');
  for (const r of am.receivers)
    for (const w of r.webhook_configs ?? []) reachable(`alertmanager ${r.name}`, urlHostPort(w.url));
  const ds = read('provisioning/grafana/datasources/prometheus.yml');
  for (const d of ds.datasources) reachable(`datasource ${d.name}`, urlHostPort(d.url));
  const contactPoints = read('provisioning/grafana/alerting/contact-points.yml');
  for (const cp of contactPoints.contactPoints)
    for (const r of cp.receivers) reachable(`contact point ${cp.name}`, urlHostPort(r.settings.url));
  let urls = 0;
  for (const [name, service] of Object.entries(services)) {
    for (const [key, value] of Object.entries(service.environment ?? {})) {
      if (typeof value === 'string' && /^https?:\/\//.test(value)) {
        reachable(`${name} ${key}`, urlHostPort(interpolate(value)));
        urls++;
      }
    }
  }
  // The jobs the rules rely on: an exporter job containing "mlmon-exporter", model targets with `model`.
  const jobs = prometheus.scrape_configs.map((j: Any) => j.job_name);
  assert.ok(jobs.some((j: string) => j.includes('mlmon-exporter')));
  const demo = prometheus.scrape_configs.find((j: Any) => j.static_configs[0].targets[0].startsWith('demo-model:'));
  assert.ok(demo.static_configs[0].labels.model);
  console.log(`${targets.length} Prometheus targets, ${urls} service URLs checked`);
});

test('Prometheus mounts the config and rule files the tests run; promtool accepts them as mounted', () => {
  const prometheus = services.prometheus;
  const config = prometheus.command.find((a: string) => a.startsWith('--config.file=')).split('=')[1];
  const mounts = binds(prometheus);
  assert.deepEqual(
    mounts.map((m) => [m.host, m.container]),
    [
      // provisioning/test/static.test.ts runs promtool on this file; the stack test runs it.
      ['provisioning/prometheus/prometheus.yml', config],
      // rules/test runs promtool test rules on these files; provisioning/test/live.test.ts loads them.
      ['rules', '/etc/prometheus/rules'],
    ],
  );
  const root = layout(prometheus);
  const ruleFiles = read('provisioning/prometheus/prometheus.yml').rule_files as string[];
  for (const f of ruleFiles) {
    const inContainer = posix.resolve(posix.dirname(config), f);
    assert.ok(existsSync(join(root, inContainer)), `rule file ${f} → ${inContainer}`);
    assert.ok(['alerts.yml', 'recording.yml'].includes(posix.basename(f)));
  }
  const { status, output } = run('promtool', ['check', 'config', join(root, config)]);
  assert.equal(status, 0, output);
  assert.match(output, new RegExp(`SUCCESS: ${ruleFiles.length} rule files found`));
});

test('Alertmanager mounts the config the tests deliver alerts through; amtool accepts it as mounted', () => {
  const am = services.alertmanager;
  const config = am.command.find((a: string) => a.startsWith('--config.file=')).split('=')[1];
  assert.deepEqual(
    binds(am).map((m) => [m.host, m.container]),
    [['provisioning/alertmanager/alertmanager.yml', config]],
  );
  const { status, output } = run('amtool', ['check-config', join(layout(am), config)]);
  assert.equal(status, 0, output);
});

test('Grafana mounts the provisioning folders, the dashboards where the provider looks, and the built plugin', () => {
  const grafana = services.grafana;
  const root = layout(grafana);
  for (const kind of ['datasources', 'dashboards', 'alerting']) {
    const mount = binds(grafana).find((m) => m.container === `/etc/grafana/provisioning/${kind}`);
    assert.ok(mount, kind);
    assert.equal(mount.host, `provisioning/grafana/${kind}`);
    assert.ok(mount.readOnly);
  }
  const provider = parse(readFileSync(join(root, '/etc/grafana/provisioning/dashboards/dashboards.yml'), 'utf8'));
  const dashboards = readdirSync(join(root, provider.providers[0].options.path)).filter((f) => f.endsWith('.json'));
  // The four dashboards provisioning/test checks and runs every query of.
  assert.deepEqual(dashboards.sort(), [
    'exporter-health.json',
    'feature-drift.json',
    'model-overview.json',
    'model-performance.json',
  ]);
  const home = grafana.environment.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH;
  assert.ok(existsSync(join(root, home)), home);

  // Unsigned loading for the plugin's id only; the one-shot build puts it where Grafana looks.
  const plugin = JSON.parse(readFileSync(join(ROOT, 'grafana-plugin/src/plugin.json'), 'utf8'));
  assert.equal(grafana.environment.GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS, plugin.id);
  const pluginsMount = (grafana.volumes as string[]).find((v) => v.split(':')[1] === '/var/lib/grafana/plugins');
  assert.ok(pluginsMount, 'plugins volume');
  const volume = pluginsMount.split(':')[0];
  const build = services['grafana-plugin'];
  const buildMount = (build.volumes as string[]).find((v) => v.startsWith(`${volume}:`))!.split(':')[1];
  const script = build.command.at(-1) as string;
  assert.match(script, /npm ci --workspace=grafana-plugin/);
  assert.match(script, /npm run build --workspace=grafana-plugin/);
  assert.ok(script.includes(`cp -r grafana-plugin/dist ${buildMount}/${plugin.id}`), 'dist → plugins/<id>');
  const pkg = JSON.parse(readFileSync(join(ROOT, 'grafana-plugin/package.json'), 'utf8'));
  assert.ok(pkg.scripts.build, 'grafana-plugin has a build script');
  for (const copied of script.matchAll(/\/src\/([\w./-]+)/g))
    if (!copied[1].endsWith('/')) assert.ok(existsSync(join(ROOT, copied[1])), copied[1]);
  assert.equal(grafana.depends_on['grafana-plugin'].condition, 'service_completed_successfully');
  assert.equal(build.restart, undefined, 'a one-shot service is not restarted');
});

test("images are pinned: Prometheus 3, an Alertmanager no older than the tested one, the plugin's Grafana", () => {
  const version = (command: string) =>
    (/version (\d+\.\d+\.\d+)/.exec(spawnSync(command, ['--version'], { encoding: 'utf8' }).stderr + '')?.[1] ??
      /version (\d+\.\d+\.\d+)/.exec(spawnSync(command, ['--version'], { encoding: 'utf8' }).stdout + '')?.[1])!;
  const semver = (v: string) => v.split('.').map(Number);
  const atLeast = (a: number[], b: number[]) =>
    a[0] > b[0] || (a[0] === b[0] && (a[1] > b[1] || (a[1] === b[1] && a[2] >= b[2])));
  // Prometheus 3 in the image, 2.x in the tests: what differs is listed in provisioning/README.md
  // and checked by provisioning/test/prometheus3.test.ts.
  const prometheus = /^prom\/prometheus:v(3\.\d+\.\d+)$/.exec(services.prometheus.image);
  assert.ok(prometheus, services.prometheus.image);
  const alertmanager = /^prom\/alertmanager:v(\d+\.\d+\.\d+)$/.exec(services.alertmanager.image);
  assert.ok(alertmanager, services.alertmanager.image);
  const tested = version('prometheus-alertmanager');
  assert.ok(atLeast(semver(alertmanager[1]), semver(tested)), `${alertmanager[1]} < tested ${tested}`);
  console.log(
    `images: Prometheus ${prometheus[1]} (tests: ${version('prometheus')}), Alertmanager ${alertmanager[1]} (tests: ${tested})`,
  );
  const grafana = /^grafana\/grafana:(\d+)\.(\d+)\.(\d+)$/.exec(services.grafana.image);
  assert.ok(grafana, services.grafana.image);
  const range = JSON.parse(readFileSync(join(ROOT, 'grafana-plugin/src/plugin.json'), 'utf8')).dependencies
    .grafanaDependency as string;
  // The plugin's range may be open above (one build runs on Grafana 12.4 and 13).
  const [, lo, hi] = /^>=(\d+\.\d+\.\d+)(?: <(\d+))?/.exec(range)!;
  const v = grafana.slice(1).map(Number);
  const min = lo.split('.').map(Number);
  const belowUpper = hi === undefined || v[0] < Number(hi);
  assert.ok(belowUpper && (v[0] > min[0] || (v[0] === min[0] && v[1] >= min[1])), `${range} vs ${v}`);
  assert.deepEqual(v.slice(0, 2), [12, 4]);
  for (const [name, service] of Object.entries(services)) {
    if (service.image && !service.build) assert.doesNotMatch(service.image, /:latest$|^[^:]+$/, name);
  }
});

/** Commands each image has (no curl anywhere: not in Node images, not in the busybox-based ones). */
function commandsOf(image: string): string[] {
  if (/^node:\d+/.test(image) || /^mlmon-/.test(image)) return ['node'];
  if (/^prom\/(prometheus|alertmanager):/.test(image)) return ['wget']; // busybox
  if (/^grafana\/grafana:/.test(image)) return ['wget']; // Alpine's busybox
  return [];
}

test('health checks use commands present in their images, on the port and path the service serves', () => {
  const paths: Record<string, string> = {
    exporter: '/-/healthy',
    'demo-model': '/healthz',
    'alert-receiver': '/healthz',
    prometheus: '/-/ready',
    alertmanager: '/-/ready',
    grafana: '/api/health',
  };
  for (const [name, service] of Object.entries(services)) {
    if (!service.healthcheck) continue;
    const [form, command, ...args] = service.healthcheck.test as string[];
    assert.equal(form, 'CMD', name);
    assert.ok(commandsOf(service.image).includes(command), `${name}: ${command} in ${service.image}`);
    const url = args.join(' ').match(/http:\/\/[^'" ]+/)![0];
    assert.equal(new URL(url).hostname, '127.0.0.1', name);
    assert.equal(Number(new URL(url).port), listenPort(name), name);
    assert.equal(new URL(url).pathname, paths[name], name);
  }
  // Every depends_on condition can be met.
  for (const [name, service] of Object.entries(services)) {
    for (const [dep, { condition }] of Object.entries(service.depends_on ?? {}) as [string, { condition: string }][]) {
      assert.ok(services[dep], `${name} → ${dep}`);
      if (condition === 'service_healthy') assert.ok(services[dep].healthcheck, `${dep} has a health check`);
      else assert.equal(condition, 'service_completed_successfully', `${name} → ${dep}`);
    }
  }
  // The exporter's compose health check is its Dockerfile's.
  const healthcheck = readDockerfile(join(ROOT, 'exporter/Dockerfile')).find((s) => s.keyword === 'HEALTHCHECK')!;
  assert.deepEqual(services.exporter.healthcheck.test.slice(1), execForm(healthcheck.args.replace(/^.*?\bCMD\s+/, '')));
});

/** Runs a health-check command here against a port, as `docker` would inside the container. */
function runCheck(service: Any, port: number): Promise<number | null> {
  const [, command, ...args] = (service.healthcheck.test as string[]).map((a) =>
    a.replace(/127\.0\.0\.1:\d+/, `127.0.0.1:${port}`),
  );
  return new Promise((resolve) => {
    const child = spawn(command === 'node' ? process.execPath : command, args, { stdio: 'ignore', timeout: 10_000 });
    child.once('exit', (code) => resolve(code));
  });
}

test('the health-check commands pass on a healthy endpoint and fail otherwise (wget and node -e run here)', async () => {
  let status = 200;
  const served: string[] = [];
  const server = createServer((req, res) => {
    served.push(req.url!);
    res.writeHead(status).end('ok');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as { port: number };
  try {
    for (const [name, service] of Object.entries(services)) {
      if (!service.healthcheck) continue;
      const command = service.healthcheck.test[1];
      if (command !== 'node' && spawnSync('sh', ['-c', `command -v ${command}`]).status !== 0) continue;
      status = 200;
      assert.equal(await runCheck(service, port), 0, `${name} healthy`);
      status = 503;
      assert.notEqual(await runCheck(service, port), 0, `${name} unhealthy`);
    }
  } finally {
    server.close();
  }
  assert.ok(served.length >= 12, served.join(' '));
});

test('the demo model and the alert receiver start from the mounted examples and pass their own health checks', async () => {
  for (const name of ['demo-model', 'alert-receiver']) {
    const service = services[name];
    const env = { ...process.env, ...envIn(service, layout(service)), PORT: '0', HOST: '127.0.0.1' };
    let args: string[];
    if (service.build) {
      const entry = /ENTRYPOINT (\[.*\])/.exec(readFileSync(join(ROOT, service.build.dockerfile), 'utf8'))![1];
      args = JSON.parse(entry)
        .slice(1)
        .map((a: string) => join(ROOT, a));
    } else {
      const root = layout(service);
      args = (service.command as string[]).slice(1).map((a) => join(root, service.working_dir, a));
    }
    const proc = spawnManaged(process.execPath, args, { env });
    running.push(proc);
    const port = await boundPort(proc, `${name} to listen`, / on http:\/\/127\.0\.0\.1:(\d+)/);
    await waitFor(`${name} health check`, async () => {
      if (proc.exited()) throw new Error(`${name} exited:\n${proc.output()}`);
      return (await runCheck(service, port)) === 0 ? true : undefined;
    });
    await proc.stop();
  }
});

test('the traffic generator takes the scenario from the environment; the demo model serves every model it sends', () => {
  const traffic = services.traffic;
  const scenario = interpolate(traffic.environment.SCENARIO);
  assert.ok(SCENARIOS.includes(scenario), scenario);
  assert.match(traffic.environment.SCENARIO, /^\$\{MLMON_SCENARIO:-/);
  const served = services['demo-model'].environment.MODELS.split(',');
  for (const m of MODELS) assert.ok(served.includes(m), m);
  const config = read('examples/mlmon.yml');
  assert.deepEqual(
    config.models.map((m: { name: string }) => m.name),
    served,
    'the exporter config knows every model of the demo',
  );
  const generator = ['examples/traffic-generator/generate.mjs', 'examples/lib/ingest-auth.mjs']
    .map((f) => readFileSync(join(ROOT, f), 'utf8'))
    .join('\n');
  for (const key of Object.keys(traffic.environment))
    assert.ok(generator.includes(`process.env.${key}`) || generator.includes(`env.${key}`), key);
  assert.ok(existsSync(join(layout(traffic), traffic.working_dir, traffic.command[1])));
});

test('the exporter runs with the mounted web config; the demo model and the traffic generator send a token it accepts', () => {
  const { path, config, tokenFile } = exporterWebConfig();
  const mount = binds(services.exporter).find((m) => path.startsWith(m.container.replace(/\/?$/, '/')));
  assert.ok(mount?.readOnly, `${path} comes from a read-only bind mount`);
  assert.ok(tokenFile && existsSync(tokenFile), 'ingest_auth.bearer_tokens_file is mounted');
  const accepted = parseTokenFile(readFileSync(tokenFile, 'utf8'));
  assert.ok(accepted.length > 0);
  // The health check and Prometheus use no credentials: /-/healthy open, and basic auth only if
  // the mlmon-exporter job sends it.
  assert.equal(config.healthy_without_auth, true);
  const job = read('provisioning/prometheus/prometheus.yml').scrape_configs.find(
    (j: Any) => j.job_name === 'mlmon-exporter',
  );
  assert.equal(Boolean(config.basic_auth_users), Boolean(job.basic_auth), 'prometheus.yml and basic_auth_users agree');
  assert.equal(config.tls_server_config, undefined, 'the health checks and the scrape use http://');
  assert.ok(config.ingest_rate_limit, 'ingest_rate_limit');
  assert.equal(config.http_server_config.headers['X-Content-Type-Options'], 'nosniff');

  // Every service that posts to the exporter sends one of the accepted tokens.
  const exporterUrl = `http://exporter:${listenPort('exporter')}`;
  const clients = Object.entries(services).filter(([, s]) => s.environment?.MLMON_URL === exporterUrl);
  assert.deepEqual(clients.map(([name]) => name).sort(), ['demo-model', 'traffic']);
  for (const [name, service] of clients) {
    const env = envIn(service, layout(service));
    let token = env.MLMON_INGEST_TOKEN;
    if (!token) {
      assert.ok(env.MLMON_INGEST_TOKEN_FILE, `${name}: MLMON_INGEST_TOKEN or MLMON_INGEST_TOKEN_FILE`);
      assert.ok(
        existsSync(env.MLMON_INGEST_TOKEN_FILE),
        `${name}: ${service.environment.MLMON_INGEST_TOKEN_FILE} is mounted`,
      );
      token = firstToken(readFileSync(env.MLMON_INGEST_TOKEN_FILE, 'utf8'));
    }
    assert.ok(accepted.includes(token), `${name} sends a token the exporter accepts`);
  }
});

test("started from their compose mounts, the exporter refuses ingest without the token and takes the clients' records and labels", async () => {
  const exporter = services.exporter;
  const { root } = exporterWebConfig();
  const args = (exporter.command as string[]).map((a) => a.replace(/^(--[\w.]+=)\//, `$1${root}/`));
  const proc = await spawnExporter(args);
  running.push(proc);
  const { port, url: base } = proc;
  await waitFor(
    'the exporter',
    async () => {
      if (proc.exited()) throw new Error(`the exporter exited:\n${proc.output()}`);
      // The compose health check's request: no credentials.
      return (await runCheck(exporter, port)) === 0 ? true : undefined;
    },
    60_000,
  );
  const scrape = await fetch(`${base}/metrics`);
  assert.equal(scrape.status, 200, 'Prometheus scrapes without credentials');
  assert.equal(scrape.headers.get('x-frame-options'), 'deny');
  const anonymous = await fetch(`${base}/api/v1/labels`, { method: 'POST', body: '{}' });
  assert.equal(anonymous.status, 401);

  // The demo model and the traffic generator with their compose environment and mounts.
  const demoService = services['demo-model'];
  const demo = spawnManaged(process.execPath, [join(ROOT, 'examples/demo-model/server.mjs')], {
    env: {
      ...process.env,
      ...envIn(demoService, layout(demoService)),
      MLMON_URL: base,
      PORT: '0',
      HOST: '127.0.0.1',
      FLUSH_MS: '200',
      ERROR_RATE: '0',
    },
  });
  running.push(demo);
  const modelPort = await boundPort(demo, 'the demo model to listen', DEMO_MODEL_LISTENING);
  await waitFor('the demo model', async () => {
    if (demo.exited()) throw new Error(`the demo model exited:\n${demo.output()}`);
    return (await runCheck(demoService, modelPort)) === 0 ? true : undefined;
  });
  const traffic = services.traffic;
  const trafficRoot = layout(traffic);
  const generator = spawnManaged(
    process.execPath,
    (traffic.command as string[]).slice(1).map((a) => join(trafficRoot, traffic.working_dir, a)),
    {
      env: {
        ...process.env,
        ...envIn(traffic, trafficRoot),
        MODEL_URL: `http://127.0.0.1:${modelPort}`,
        MLMON_URL: base,
        LABEL_DELAY: '0s',
        RPS: '20',
      },
    },
  );
  running.push(generator);
  const metrics = await waitFor(
    'records and labels from the clients',
    async () => {
      if (generator.exited()) throw new Error(`the traffic generator exited:\n${generator.output()}`);
      const text = await (await fetch(`${base}/metrics`)).text();
      const records = /^mlmon_records_total\{model="credit-risk"[^}]*\} (\d+)/m.exec(text);
      const labels = /^mlmon_labels_received_total\{model="credit-risk"\} (\d+)/m.exec(text);
      return Number(records?.[1]) > 0 && Number(labels?.[1]) > 0 ? text : undefined;
    },
    30_000,
  );
  // The one refusal is the anonymous request above; the clients were never refused or limited.
  assert.match(metrics, /^mlmon_http_auth_failures_total\{reason="missing_credentials"\} 1$/m);
  assert.match(metrics, /^mlmon_http_auth_failures_total\{reason="invalid_credentials"\} 0$/m);
  assert.match(metrics, /^mlmon_ingest_rate_limited_total 0$/m);
  await generator.stop();
  await demo.stop();
  assert.doesNotMatch(demo.output() + generator.output(), /answered (401|429)/);
  const token = firstToken(readFileSync(envIn(traffic, trafficRoot).MLMON_INGEST_TOKEN_FILE, 'utf8'));
  assert.ok(!proc.output().includes(token) && !metrics.includes(token), 'the token appears in no log or metric');
});
