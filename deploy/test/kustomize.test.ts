// deploy/test/kustomize.ts, the stand-in for kustomize where kubectl is missing: the strategic
// merge on its own, the sidecar component injected into a Deployment it has never seen (validated
// against the Kubernetes schema), and, where kubectl is installed, the whole kustomization rendered
// both ways and compared.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { Deployment } from 'kubernetes-models/apps/v1';
import { ROOT, tempDir } from '../../testkit/index.ts';
import { kustomize, matches, strategicMerge, type Manifest } from './kustomize.ts';

const DIR = join(ROOT, 'deploy/kubernetes');
const COMPONENT = join(DIR, 'components/mlmon-sidecar');

test('strategic merge: maps merge, named lists merge by name (patch items first, as kustomize 5 orders them), other lists are replaced, null deletes', () => {
  const base = {
    metadata: { name: 'm', labels: { a: '1' } },
    containers: [
      { name: 'model', image: 'm:1', env: [{ name: 'X', value: '1' }] },
      { name: 'other', image: 'o:1' },
    ],
    args: ['--a'],
    drop: 'me',
  };
  const patch = {
    metadata: { labels: { b: '2' } },
    containers: [
      { name: 'model', env: [{ name: 'Y', value: '2' }] },
      { name: 'new', image: 'n:1' },
    ],
    args: ['--b'],
    drop: null,
  };
  assert.deepEqual(strategicMerge(base, patch), {
    metadata: { name: 'm', labels: { a: '1', b: '2' } },
    containers: [
      {
        name: 'model',
        image: 'm:1',
        env: [
          { name: 'Y', value: '2' },
          { name: 'X', value: '1' },
        ],
      },
      { name: 'new', image: 'n:1' },
      { name: 'other', image: 'o:1' },
    ],
    args: ['--b'],
  });
  assert.equal(base.containers.length, 2, 'the input is left alone');
});

test('patch targets select by kind, name and labels', () => {
  const d = { kind: 'Deployment', metadata: { name: 'x', labels: { 'mlmon/sidecar': 'true', tier: 'a' } } };
  assert.ok(matches(d, { kind: 'Deployment', labelSelector: 'mlmon/sidecar=true' }));
  assert.ok(matches(d, { kind: 'Deployment', labelSelector: 'mlmon/sidecar=true,tier=a' }));
  assert.ok(!matches(d, { kind: 'Deployment', labelSelector: 'mlmon/sidecar=false' }));
  assert.ok(!matches(d, { kind: 'StatefulSet' }));
  assert.ok(!matches({ ...d, metadata: { name: 'x' } }, { labelSelector: 'mlmon/sidecar=true' }));
});

/** A model Deployment mlmon has never seen: no pod security context, a volume and an init container of its own. */
const foreign = (labels: Record<string, string>): Manifest => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'fraud', labels },
  spec: {
    selector: { matchLabels: { app: 'fraud' } },
    template: {
      metadata: { labels: { app: 'fraud' } },
      spec: {
        initContainers: [{ name: 'migrate', image: 'fraud-migrate:3' }],
        containers: [{ name: 'server', image: 'fraud:3', ports: [{ name: 'http', containerPort: 8000 }] }],
        volumes: [{ name: 'weights', emptyDir: {} }],
      },
    },
  },
});

test('the sidecar component injects the exporter into an existing Deployment, which validates', () => {
  const [injected, untouched] = kustomize(COMPONENT, [
    foreign({ app: 'fraud', 'mlmon/sidecar': 'true' }),
    { ...foreign({ app: 'other' }), metadata: { name: 'other', labels: { app: 'other' } } },
  ]);
  const pod = injected.spec.template.spec;
  // First: the exporter is up before the Deployment's own init containers run.
  assert.deepEqual(
    pod.initContainers.map((c: Manifest) => [c.name, c.restartPolicy]),
    [
      ['mlmon-exporter', 'Always'],
      ['migrate', undefined],
    ],
  );
  assert.deepEqual(pod.containers, foreign({}).spec.template.spec.containers, "the model's containers are kept");
  assert.deepEqual(
    pod.volumes.map((v: Manifest) => v.name),
    ['mlmon-config', 'mlmon-ingest-token', 'mlmon-storage', 'mlmon-tmp', 'weights'],
  );
  assert.equal(injected.metadata.name, 'fraud');
  assert.doesNotThrow(() => new Deployment(injected).validate());
  assert.deepEqual(untouched.spec.template.spec.initContainers.length, 1, 'an unlabelled Deployment is left alone');
});

const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
/** Generated names lose kustomize's content-hash suffix (the stand-in adds none). */
const unhash = (text: string) => text.replace(/(mlmon-exporter-config|mlmon-ingest-token)-[a-z0-9]{10}\b/g, '$1');
const byId = (ms: Manifest[]) => Object.fromEntries(ms.map((m) => [`${m.kind}/${m.metadata.name}`, m]));

test(
  'where kubectl is installed, its kustomize renders deploy/kubernetes as the stand-in does',
  { skip: !kubectl && 'no kubectl here' },
  () => {
    const real = spawnSync('kubectl', ['kustomize', DIR], { encoding: 'utf8', maxBuffer: 64 << 20 });
    assert.equal(real.status, 0, real.stderr);
    const ours = byId(kustomize(DIR));
    const theirs = byId(parseAllDocuments(unhash(real.stdout)).map((d) => d.toJS()));
    assert.deepEqual(Object.keys(ours).sort(), Object.keys(theirs).sort());
    for (const id of Object.keys(theirs)) assert.deepEqual(ours[id], theirs[id], id);
  },
);

test(
  'where kubectl is installed, an overlay using only the component renders the same injected Deployment',
  { skip: !kubectl && 'no kubectl here' },
  () => {
    const dir = tempDir('overlay');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'deployment.yaml'), stringify(foreign({ app: 'fraud', 'mlmon/sidecar': 'true' })));
    writeFileSync(
      join(dir, 'kustomization.yaml'),
      stringify({ resources: ['deployment.yaml'], components: [relative(dir, COMPONENT)] }),
    );
    const real = spawnSync('kubectl', ['kustomize', '--load-restrictor=LoadRestrictionsNone', dir], {
      encoding: 'utf8',
    });
    assert.equal(real.status, 0, real.stderr);
    assert.deepEqual(
      kustomize(dir),
      parseAllDocuments(real.stdout).map((d) => d.toJS()),
    );
  },
);
