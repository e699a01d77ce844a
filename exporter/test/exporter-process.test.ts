// mlmon-exporter as a user runs it: flags, help, version, config errors, and the embedded demo.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnExporter, waitFor } from '../../testkit/index.ts';

const EXPORTER = fileURLToPath(new URL('../scripts/dev-mlmon-exporter.mjs', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'mlmon-exporter-'));
const run = (...args: string[]) => spawnSync(process.execPath, [EXPORTER, ...args], { encoding: 'utf8', cwd: tmp });

test('--help lists the Prometheus-style flags and the default port', () => {
  const help = run('--help');
  assert.equal(help.status, 0);
  for (const flag of ['--config.file', '--web.listen-address', '--storage.path', '--version']) {
    assert.ok(help.stdout.includes(flag), flag);
  }
  assert.match(help.stdout, /Default :9877/);
});

test('--version prints the package version', () => {
  const version = run('--version');
  assert.equal(version.status, 0);
  assert.match(version.stdout, /^mlmon-exporter 0\.1\.0 /);
});

test('an unknown flag and a bad listen address are usage errors (exit 2)', () => {
  const unknown = run('--web.listen=1');
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /Unknown option '--web.listen'/);
  const address = run('--web.listen-address=nine');
  assert.equal(address.status, 2);
  assert.match(address.stderr, /"nine" is not \[host\]:port/);
});

test('a missing or invalid config fails at start naming the key and line', () => {
  const missing = run('--config.file=nope.yml');
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /cannot read config file nope.yml/);
  writeFileSync(join(tmp, 'bad.yml'), 'models:\n  - name: m\n    reference: { path: r.csv }\n    min_samples: -3\n');
  const bad = run('--config.file=bad.yml');
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /bad.yml:4: models\.0\.min_samples/);
  writeFileSync(join(tmp, 'noref.yml'), 'models:\n  - name: m\n    reference: { path: absent.csv }\n');
  const noReference = run('--config.file=noref.yml');
  assert.equal(noReference.status, 1);
  assert.match(noReference.stderr, /model m: cannot load its reference: cannot read .*absent.csv/);
});

test('without a config it runs the demo, prints the metrics URL, and drifts credit_score', async (t) => {
  writeFileSync(join(tmp, 'fast-demo.yml'), 'demo: { enabled: true, drift_after: 1s, records_per_second: 3000 }\n');
  const exporter = await spawnExporter(['--config.file=fast-demo.yml', `--storage.path=${join(tmp, 'data')}`], {
    cwd: tmp,
  });
  t.after(() => exporter.stop('SIGKILL'));
  const { port, url } = exporter;
  await waitFor('the metrics URL', async () => (exporter.output().includes('metrics at') ? true : undefined), 20_000);
  assert.match(exporter.output(), new RegExp(`metrics at http://127\\.0\\.0\\.1:${port}/metrics`));
  assert.equal((await fetch(`${url}/-/ready`)).status, 200);
  assert.match(await (await fetch(`${url}/`)).text(), /demo-credit: 6 features/);
  const psi = await waitFor(
    'credit_score PSI past 0.2',
    async () => {
      const text = await (await fetch(`${url}/metrics`)).text();
      const match = /mlmon_feature_psi\{model="demo-credit",feature="credit_score",window="5m"\} (\S+)/.exec(text);
      return match && Number(match[1]) > 0.2 ? Number(match[1]) : undefined;
    },
    30_000,
  );
  assert.ok(psi > 0.2);
  assert.equal(await exporter.stop('SIGTERM'), 0);
});
