// deploy/kubernetes: every manifest (as kustomize renders it) validates against the Kubernetes
// and prometheus-operator schemas (kubernetes-models); the sidecar's ports, paths and flags are
// the exporter's own; its web config asks for the ingest token the model container gets from the
// Secret; and the exporter starts on the ConfigMap's and the Secret's files with the pod's
// arguments, refusing ingest without the token and taking the model's records with it.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, parse } from 'yaml';
import { Deployment } from 'kubernetes-models/apps/v1';
import { ConfigMap, Secret, Service } from 'kubernetes-models/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodMonitor, PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { DEFAULT_LISTEN_ADDRESS, parseExporterFlags, parseListenAddress } from '../../exporter/src/flags.ts';
import { parseConfig } from '../../exporter/src/config/load.ts';
import { parseWebConfig } from '../../exporter/src/web/config-load.ts';
import {
  boundPort,
  DEMO_MODEL_LISTENING,
  EXPORTER_LISTENING,
  ROOT,
  spawnManaged,
  tempDir,
  waitFor,
  type Managed,
} from '../../testkit/index.ts';
import { kustomize, type Manifest } from './kustomize.ts';

const DIR = join(ROOT, 'deploy/kubernetes');

const MODELS: Record<string, new (data: Manifest) => { validate(): void }> = {
  'apps/v1/Deployment': Deployment,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'monitoring.coreos.com/v1/PodMonitor': PodMonitor,
  'monitoring.coreos.com/v1/PrometheusRule': PrometheusRule,
};

/**
 * The kustomization rendered: `kubectl kustomize` when kubectl is there, else by ./kustomize.ts
 * (resources, the sidecar component's strategic-merge patch, generators, labels, images, patches).
 */
function render(): { manifests: Manifest[]; how: string } {
  const kubectl = spawnSync('kubectl', ['kustomize', DIR], { encoding: 'utf8' });
  if (kubectl.status === 0) {
    return { manifests: parseAllDocuments(kubectl.stdout).map((d) => d.toJS()), how: 'kubectl kustomize' };
  }
  return { manifests: kustomize(DIR), how: 'deploy/test/kustomize.ts (no kubectl here)' };
}

const { manifests, how } = render();
const byKind = (kind: string) => manifests.filter((m) => m.kind === kind);
const deployment = byKind('Deployment')[0];
const pod = deployment.spec.template.spec;
const exporter = pod.initContainers.find((c: Manifest) => c.image.startsWith('mlmon-exporter'));
const model = pod.containers.find((c: Manifest) => c.name === 'model');
const allContainers: Manifest[] = [...pod.initContainers, ...pod.containers];
const flags = parseExporterFlags(exporter.args);
const configMap = byKind('ConfigMap').find((c) => c.metadata.name.startsWith('mlmon-exporter-config'));
const secrets = byKind('Secret');
/** A Secret's value, decoded (kustomize writes `data`, base64). */
const secretValue = (name: string, key: string): string => {
  const secret = secrets.find((s) => s.metadata.name === name);
  assert.ok(secret, `no Secret ${name}`);
  const value = secret.data?.[key] ?? secret.stringData?.[key];
  assert.ok(value !== undefined, `Secret ${name} has no key ${key}`);
  return secret.data?.[key] !== undefined ? Buffer.from(value, 'base64').toString('utf8') : value;
};
/** The volume mounted (by `container`) at the folder holding `path`, and the file's path inside it. */
function mountOf(container: Manifest, path: string) {
  const mount = container.volumeMounts
    .filter((m: Manifest) => path.startsWith(m.mountPath.replace(/\/?$/, '/')))
    .sort((a: Manifest, b: Manifest) => b.mountPath.length - a.mountPath.length)[0];
  assert.ok(mount, `nothing mounted at ${path} in ${container.name}`);
  const volume = pod.volumes.find((v: Manifest) => v.name === mount.name);
  return { mount, volume, key: path.slice(mount.mountPath.length).replace(/^\//, '') };
}
const webConfigKey = () => mountOf(exporter, flags.webConfigFile!).key;
const webConfig = () => parseWebConfig(configMap.data[webConfigKey()], webConfigKey());

const toStop: Managed[] = [];
after(async () => {
  for (const s of toStop) await s.stop();
});

test(`every manifest validates against its schema (${how})`, () => {
  const kinds = manifests.map((m) => `${m.apiVersion}/${m.kind}`);
  console.log(`manifests: ${kinds.join(', ')}`);
  for (const m of manifests) {
    const Model = MODELS[`${m.apiVersion}/${m.kind}`];
    assert.ok(Model, `no schema for ${m.apiVersion}/${m.kind}`);
    assert.doesNotThrow(() => new Model(m).validate(), `${m.kind} ${m.metadata.name}`);
  }
  for (const kind of ['Deployment', 'ConfigMap', 'Secret', 'Service', 'PodMonitor', 'PrometheusRule', 'NetworkPolicy'])
    assert.ok(byKind(kind).length > 0, kind);
});

test('the exporter is a native sidecar: started before the model, which waits for its startup probe, stopped after it', () => {
  // An init container with restartPolicy: Always (Kubernetes >= 1.29) starts in order with the
  // other init containers, and the kubelet starts the pod's containers only after its startup
  // probe passed; it is stopped after them. A plain container would race the model.
  assert.ok(!pod.containers.some((c: Manifest) => c.name === exporter.name), 'not among the containers');
  assert.equal(exporter.restartPolicy, 'Always');
  const index = pod.initContainers.indexOf(exporter);
  for (const earlier of pod.initContainers.slice(0, index))
    assert.equal(earlier.restartPolicy, 'Always', `${earlier.name} before the exporter would delay it`);
  assert.ok(exporter.startupProbe, 'the model starts only once the exporter answers its startup probe');
  assert.equal(exporter.startupProbe.httpGet.path, '/-/healthy');
  // Long enough for references to load, and the model is not held back for ever.
  const budget = exporter.startupProbe.periodSeconds * exporter.startupProbe.failureThreshold;
  assert.ok(budget >= 60 && budget <= 300, `startup budget ${budget}s`);
});

test('PodMonitors and the PrometheusRule carry the release label kube-prometheus-stack selects on', () => {
  const k = parse(readFileSync(join(DIR, 'kustomization.yaml'), 'utf8'));
  const release = k.patches.map((p: Manifest) => parse(p.patch).metadata.labels.release);
  assert.equal(new Set(release).size, 1, 'one value, set in one place');
  for (const m of [...byKind('PodMonitor'), ...byKind('PrometheusRule')])
    assert.equal(m.metadata.labels.release, release[0], `${m.kind} ${m.metadata.name}`);
});

test("the dashboards come as ConfigMaps for Grafana's dashboard sidecar", () => {
  const dashboards = byKind('ConfigMap').filter((c) => c.metadata.labels?.grafana_dashboard === '1');
  assert.deepEqual(dashboards.map((c) => Object.keys(c.data)[0]).sort(), [
    'exporter-health.json',
    'feature-drift.json',
    'model-overview.json',
    'model-performance.json',
  ]);
  for (const c of dashboards) {
    const file = Object.keys(c.data)[0];
    assert.equal(c.data[file], readFileSync(join(ROOT, 'provisioning/grafana/dashboards/mlmon', file), 'utf8'));
  }
});

test('the schemas do reject a broken manifest', () => {
  const broken = structuredClone(deployment);
  broken.spec.template.spec.initContainers[0].ports[0].containerPort = 'metrics';
  assert.throws(() => new Deployment(broken).validate());
  const badMonitor = structuredClone(byKind('PodMonitor')[0]);
  badMonitor.spec.podMetricsEndpoints = 'metrics';
  assert.throws(() => new PodMonitor(badMonitor).validate());
});

test('the kustomization lists every manifest file of the folder, and the PrometheusRule is the generated one', () => {
  const k = parse(readFileSync(join(DIR, 'kustomization.yaml'), 'utf8'));
  const generated = [...k.configMapGenerator, ...(k.secretGenerator ?? [])].flatMap((g: { files?: string[] }) =>
    (g.files ?? []).map((f) => f.replace(/^[^=]*=/, '')),
  );
  const listed = [...k.resources, ...generated, ...k.components.map((c: string) => c.split('/')[0])].sort();
  const files = readdirSync(DIR)
    .filter((f) => f !== 'kustomization.yaml')
    .sort();
  assert.deepEqual(listed, files);
  assert.match(readFileSync(join(DIR, 'prometheusrule.yaml'), 'utf8'), /^# Generated by rules\/scripts/);
});

test("the sidecar's flags are the exporter's, its port is the default listen port, and its probes hit /-/healthy", () => {
  const port = parseListenAddress(DEFAULT_LISTEN_ADDRESS).port;
  assert.equal(flags.listen.port, port);
  const metrics = exporter.ports.find((p: Manifest) => p.name === 'metrics');
  assert.equal(metrics.containerPort, port);
  for (const probe of ['livenessProbe', 'startupProbe']) {
    assert.equal(exporter[probe].httpGet.path, '/-/healthy', probe);
    assert.ok([port, 'metrics'].includes(exporter[probe].httpGet.port), probe);
  }
  // No readiness gate on the sidecar: it would take the model out of its Service.
  assert.equal(exporter.readinessProbe, undefined);
  for (const c of allContainers) {
    const ports = (c.readinessProbe ? [c.readinessProbe.httpGet?.port] : []).filter(Boolean);
    for (const p of ports) assert.ok(![port, 'metrics'].includes(p), `${c.name} readiness on the exporter`);
  }
  // The model sends its records to the sidecar on the pod's loopback.
  const url = model.env.find((e: Manifest) => e.name === 'MLMON_URL').value;
  assert.equal(url, `http://127.0.0.1:${port}`);
});

test('the sidecar is bounded and locked down: resources, heap cap, non-root, read-only root, no capabilities', () => {
  const mebibytes = (q: string) => Number(/^(\d+)Mi$/.exec(q)?.[1] ?? /^(\d+)Gi$/.exec(q)![1] + '000');
  for (const c of allContainers) {
    assert.ok(c.resources.requests.cpu && c.resources.requests.memory, `${c.name} requests`);
    assert.ok(c.resources.limits.cpu && c.resources.limits.memory, `${c.name} limits`);
    assert.equal(c.securityContext.readOnlyRootFilesystem, true, c.name);
    assert.equal(c.securityContext.allowPrivilegeEscalation, false, c.name);
    assert.deepEqual(c.securityContext.capabilities.drop, ['ALL'], c.name);
  }
  assert.equal(pod.securityContext.runAsNonRoot, true);
  assert.ok(pod.securityContext.runAsUser > 0);
  // The sidecar sets its own: the Deployment the component lands in may set none.
  assert.equal(exporter.securityContext.runAsNonRoot, true);
  assert.ok(exporter.securityContext.runAsUser > 0);
  const heap = /--max-old-space-size=(\d+)/.exec(exporter.env.find((e: Manifest) => e.name === 'NODE_OPTIONS').value);
  assert.ok(heap, 'NODE_OPTIONS caps the heap');
  assert.ok(Number(heap[1]) < mebibytes(exporter.resources.limits.memory) * 0.8, 'heap cap well below the limit');
});

test('--storage.path and the temp folder are emptyDirs, the config comes from the ConfigMap', () => {
  const volume = (mountPath: string) => {
    const mount = exporter.volumeMounts.find((m: Manifest) => mountPath.startsWith(m.mountPath));
    assert.ok(mount, `nothing mounted at ${mountPath}`);
    return { mount, volume: pod.volumes.find((v: Manifest) => v.name === mount.name) };
  };
  assert.ok(volume(flags.storagePath).volume.emptyDir, '--storage.path');
  assert.ok(volume('/tmp').volume.emptyDir, '/tmp');
  const config = volume(flags.configFile!);
  assert.equal(config.volume.configMap.name, configMap.metadata.name);
  assert.equal(config.mount.readOnly, true);
  const key = flags.configFile!.slice(config.mount.mountPath.length).replace(/^\//, '');
  assert.ok(configMap.data[key], `the ConfigMap has ${key}`);
  const parsed = parseConfig(configMap.data[key], key);
  assert.deepEqual(
    parsed.models.map((m) => m.name),
    [pod.containers.find((c: Manifest) => c === model).env.find((e: Manifest) => e.name === 'MODEL_NAME').value],
  );
});

test("Service, PodMonitors and NetworkPolicy select the pods and name the containers' ports", () => {
  const labels = deployment.spec.template.metadata.labels;
  const selects = (selector: Record<string, string>) =>
    Object.entries(selector).every(([k, v]) => labels[k] === v) || assert.fail(JSON.stringify(selector));
  const portNames = new Map(allContainers.flatMap((c: Manifest) => c.ports.map((p: Manifest) => [p.name, c.name])));
  const service = byKind('Service')[0];
  selects(service.spec.selector);
  for (const p of service.spec.ports) assert.equal(portNames.get(p.targetPort), model.name);
  const monitors = byKind('PodMonitor');
  for (const m of monitors) {
    selects(m.spec.selector.matchLabels);
    for (const e of m.spec.podMetricsEndpoints) {
      assert.ok(portNames.has(e.port), e.port);
      assert.equal(e.path, '/metrics');
    }
  }
  // The rules find exporters by a job containing "mlmon-exporter" (job = namespace/PodMonitor
  // name), and model servers by a `model` target label.
  const exporterMonitor = monitors.find((m) => m.spec.podMetricsEndpoints.some((e: Manifest) => e.port === 'metrics'));
  assert.match(exporterMonitor.metadata.name, /mlmon-exporter/);
  assert.ok(!exporterMonitor.spec.podMetricsEndpoints.some((e: Manifest) => e.relabelings));
  const modelMonitor = monitors.find((m) => m !== exporterMonitor);
  assert.ok(modelMonitor.spec.podMetricsEndpoints[0].relabelings.some((r: Manifest) => r.targetLabel === 'model'));
  assert.equal(labels['app.kubernetes.io/name'], 'credit-risk');
  const policy = byKind('NetworkPolicy')[0];
  selects(policy.spec.podSelector.matchLabels);
  for (const rule of policy.spec.ingress) for (const p of rule.ports) assert.ok(portNames.has(p.port), p.port);
  const metricsRule = policy.spec.ingress.find((r: Manifest) => r.ports.some((p: Manifest) => p.port === 'metrics'));
  assert.ok(metricsRule.from?.length, 'the exporter port is open to Prometheus only');
});

test('the sidecar runs with the web config: ingest token from the Secret, rate limit, headers, open probe', () => {
  // --web.config.file is a key of the generated ConfigMap (a change rolls the pods: the file is read at start).
  assert.ok(flags.webConfigFile, 'the sidecar has --web.config.file');
  const { volume, mount, key } = mountOf(exporter, flags.webConfigFile!);
  assert.equal(volume.configMap.name, configMap.metadata.name);
  assert.equal(mount.readOnly, true);
  assert.ok(configMap.data[key], `the ConfigMap has ${key}`);
  const web = webConfig();

  // Ingest: a token file in a read-only Secret volume, readable by the pod's user.
  const tokenFile = web.ingest_auth?.bearer_tokens_file;
  assert.ok(tokenFile, 'ingest_auth.bearer_tokens_file');
  assert.ok(tokenFile.startsWith('/'), 'an absolute path: the Secret is not in the ConfigMap folder');
  const tokenMount = mountOf(exporter, tokenFile);
  const secretName = tokenMount.volume.secret?.secretName;
  assert.ok(secretName, `${tokenFile} is in a Secret volume`);
  assert.equal(tokenMount.mount.readOnly, true);
  const mode = tokenMount.volume.secret.defaultMode ?? 0o644;
  const readable = mode & 0o004 || (mode & 0o040 && pod.securityContext.fsGroup === pod.securityContext.runAsGroup);
  assert.ok(readable, `mode ${mode.toString(8)} is readable by the exporter's user (fsGroup)`);
  const token = secretValue(secretName, tokenMount.key).trim();
  assert.match(token, /^\S+$/, 'one token');

  // The model gets the same Secret key as MLMON_INGEST_TOKEN (what examples/lib/ingest-auth.mjs reads).
  const ref = model.env.find((e: Manifest) => e.name === 'MLMON_INGEST_TOKEN')?.valueFrom?.secretKeyRef;
  assert.ok(ref, 'the model has MLMON_INGEST_TOKEN from a secretKeyRef');
  assert.deepEqual([ref.name, ref.key], [secretName, tokenMount.key]);
  // The committed token is a placeholder and says so.
  assert.match(token, /REPLACE-ME/);
  assert.match(readFileSync(join(DIR, 'kustomization.yaml'), 'utf8'), /PLACEHOLDER: replace it before applying/);

  // The kubelet's probes carry no credentials.
  assert.equal(web.healthy_without_auth, true);
  assert.ok(web.ingest_rate_limit, 'ingest_rate_limit');
  const headers = web.http_server_config.headers;
  assert.equal(headers['X-Content-Type-Options'], 'nosniff');
  assert.ok(headers['X-Frame-Options'] && headers['Content-Security-Policy']);
  // /metrics: basic auth in the web config if and only if the exporter's PodMonitor sends it.
  const exporterMonitor = byKind('PodMonitor').find((m) =>
    m.spec.podMetricsEndpoints.some((e: Manifest) => e.port === 'metrics'),
  );
  const scrapesWithAuth = exporterMonitor.spec.podMetricsEndpoints.some((e: Manifest) => e.basicAuth);
  assert.equal(Boolean(web.basic_auth_users), scrapesWithAuth, 'the PodMonitor and basic_auth_users agree');
  // Without TLS in the web config, the PodMonitor scrapes plain HTTP.
  for (const e of exporterMonitor.spec.podMetricsEndpoints)
    assert.equal(e.scheme ?? 'http', web.tls_server_config ? 'https' : 'http');
});

test("the exporter starts on the ConfigMap's files with the pod's arguments and answers its probe path", async () => {
  const dir = tempDir('k8s');
  // The pod's filesystem: the ConfigMap's keys and the Secret's at their mount paths (absolute
  // paths in the web config moved under the temp folder), the emptyDir, loopback port.
  const mountPath = mountOf(exporter, flags.configFile!).mount.mountPath;
  mkdirSync(join(dir, mountPath), { recursive: true });
  for (const [key, value] of Object.entries(configMap.data as Record<string, string>))
    writeFileSync(
      join(dir, mountPath, key),
      key === webConfigKey() ? value.replace(/(_file: )\//g, `$1${dir}/`) : value,
    );
  const tokenFile = webConfig().ingest_auth!.bearer_tokens_file!;
  const tokenMount = mountOf(exporter, tokenFile);
  mkdirSync(join(dir, tokenMount.mount.mountPath), { recursive: true });
  writeFileSync(join(dir, tokenFile), secretValue(tokenMount.volume.secret.secretName, tokenMount.key));
  const args = exporter.args.map((a: string) =>
    a
      .replace(/^(--config\.file=|--storage\.path=|--web\.config\.file=)\//, `$1${dir}/`)
      .replace(`--web.listen-address=${DEFAULT_LISTEN_ADDRESS}`, '--web.listen-address=127.0.0.1:0'),
  );
  assert.ok(args.some((a: string) => a.startsWith(`--web.config.file=${dir}/`)));
  const env = { ...process.env, NODE_OPTIONS: exporter.env.find((e: Manifest) => e.name === 'NODE_OPTIONS').value };
  const proc = spawnManaged(process.execPath, [join(ROOT, 'exporter/scripts/dev-mlmon-exporter.mjs'), ...args], {
    env,
  });
  toStop.push(proc);
  const port = await boundPort(proc, 'the sidecar to listen', EXPORTER_LISTENING);
  const probe = exporter.livenessProbe.httpGet.path;
  await waitFor(
    'the sidecar /-/healthy',
    async () => {
      if (proc.exited()) throw new Error(`exited:\n${proc.output()}`);
      return (await fetch(`http://127.0.0.1:${port}${probe}`)).ok ? true : undefined;
    },
    60_000,
  );
  const base = `http://127.0.0.1:${port}`;
  // Probes and scrapes without credentials, with the security headers.
  const healthy = await fetch(`${base}${probe}`);
  assert.equal(healthy.status, 200);
  assert.equal(healthy.headers.get('x-content-type-options'), 'nosniff');
  const scrape = await fetch(`${base}/metrics`);
  assert.equal(scrape.status, 200, 'the PodMonitor scrapes without credentials');
  assert.match(await scrape.text(), /mlmon_reference_info\{model="credit-risk"/);

  // Ingest: 401 without the token or with another, 200 with the Secret's.
  const record = JSON.stringify({ model: 'credit-risk', features: { age: 40, income: 50_000 }, prediction: 0.2 });
  const post = (headers: Record<string, string>) =>
    fetch(`${base}/api/v1/records`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: record,
    });
  const anonymous = await post({});
  assert.equal(anonymous.status, 401);
  assert.match(anonymous.headers.get('www-authenticate') ?? '', /^Bearer /);
  assert.equal((await post({ authorization: 'Bearer not-the-token' })).status, 401);
  const token = secretValue(tokenMount.volume.secret.secretName, tokenMount.key).trim();
  const accepted = await post({ authorization: `Bearer ${token}` });
  assert.equal(accepted.status, 200, await accepted.text());

  // The model container, as the pod runs it: MLMON_URL on loopback, MLMON_INGEST_TOKEN from the Secret.
  const modelEnv: Record<string, string> = {};
  for (const e of model.env as Manifest[]) {
    const ref = e.valueFrom?.secretKeyRef;
    modelEnv[e.name] = ref ? secretValue(ref.name, ref.key) : e.value;
  }
  const demo = spawnManaged(process.execPath, [join(ROOT, 'examples/demo-model/server.mjs')], {
    env: {
      ...process.env,
      ...modelEnv,
      MLMON_URL: base,
      PORT: '0',
      HOST: '127.0.0.1',
      ERROR_RATE: '0',
      FLUSH_MS: '200',
    },
  });
  toStop.push(demo);
  const modelPort = await boundPort(demo, 'the model container to listen', DEMO_MODEL_LISTENING);
  await waitFor('the model container', async () => {
    if (demo.exited()) throw new Error(`the model exited:\n${demo.output()}`);
    return (await fetch(`http://127.0.0.1:${modelPort}/healthz`)).ok ? true : undefined;
  });
  const applicants = Array.from({ length: 5 }, (_, i) => ({
    id: `k8s-${i}`,
    features: { age: 30 + i, income: 40_000 },
  }));
  const predicted = await fetch(`http://127.0.0.1:${modelPort}/predict`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(applicants),
  });
  assert.equal(predicted.status, 200);
  const after = await waitFor('the model container to deliver its records', async () => {
    const sent = (await (await fetch(`http://127.0.0.1:${modelPort}/healthz`)).json()).sent_records;
    return sent >= applicants.length ? await (await fetch(`${base}/metrics`)).text() : undefined;
  });
  assert.doesNotMatch(demo.output(), /answered 401/);
  const records = /^mlmon_records_total\{model="credit-risk"[^}]*\} (\d+)/m.exec(after);
  assert.ok(records && Number(records[1]) >= 1 + applicants.length, records?.[0]);
  assert.match(after, /^mlmon_http_auth_failures_total\{reason="missing_credentials"\} 1$/m);
  assert.match(after, /^mlmon_http_auth_failures_total\{reason="invalid_credentials"\} 1$/m);
});
