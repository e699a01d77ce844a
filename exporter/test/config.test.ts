// The YAML config: defaults filled in, and errors that name the file, the line and the key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfigFile, parseConfig } from '../src/config/load.ts';

test('defaults follow exporter/README.md', () => {
  const config = parseConfig('models:\n  - name: churn\n    reference: { path: ref.csv }\n');
  const [model] = config.models;
  assert.equal(model.bins, 10);
  assert.equal(model.fine_bins, 100);
  assert.equal(model.max_categories, 50);
  assert.equal(model.max_reference_categories, 10_000);
  assert.equal(model.min_samples, 1000);
  assert.deepEqual(model.windows, ['1h', '24h']);
  assert.deepEqual(model.drift, {
    statistic: 'psi',
    share: 0.3,
    calibration: 'none',
    false_alarm_rate: 0.01,
    correction: 'sidak',
    top_bins: 3,
  });
  assert.equal(config.ingest.max_request_bytes, 10 * 1024 * 1024);
});

test('a wrong type names the key and its line', () => {
  const text = 'models:\n  - name: churn\n    reference: { path: ref.csv }\n    bins: ten\n';
  assert.throws(
    () => parseConfig(text, 'mlmon.yml'),
    (err: Error) => {
      assert.ok(err instanceof ConfigError);
      assert.match(err.message, /^mlmon.yml:4: models\.0\.bins: .*expected number/);
      return true;
    },
  );
});

test('an unknown key is an error, not ignored', () => {
  const text = 'models:\n  - name: churn\n    reference: { path: ref.csv }\n    windws: [1h]\n';
  assert.throws(() => parseConfig(text, 'mlmon.yml'), /mlmon.yml:4: models\.0\.windws: Unrecognized key/);
});

test('a bad duration, a bad drift statistic and a duplicate model are named', () => {
  assert.throws(
    () => parseConfig('models:\n  - name: a\n    reference: { path: r.csv }\n    windows: [1 hour]\n', 'c.yml'),
    /c.yml:4: models\.0\.windows\.0: must be a duration/,
  );
  assert.throws(
    () => parseConfig('models:\n  - name: a\n    reference: { path: r.csv }\n    drift: { statistic: auc }\n', 'c.yml'),
    /c.yml:4: models\.0\.drift\.statistic/,
  );
  const twice = 'models:\n  - name: a\n    reference: { path: r.csv }\n  - name: a\n    reference: { path: r.csv }\n';
  assert.throws(() => parseConfig(twice, 'c.yml'), /duplicate model name "a"/);
});

test('invalid YAML reports line and column', () => {
  assert.throws(() => parseConfig('models:\n  - name: [a\n', 'c.yml'), /c.yml:\d+:\d+: invalid YAML/);
});

test('a missing file is an error naming it; reference paths resolve against the config', () => {
  assert.throws(() => loadConfigFile('/nonexistent/mlmon.yml'), /cannot read config file \/nonexistent\/mlmon.yml/);
  const dir = mkdtempSync(join(tmpdir(), 'mlmon-config-'));
  writeFileSync(join(dir, 'mlmon.yml'), 'models:\n  - name: a\n    reference: { path: data/ref.csv }\n');
  assert.equal(loadConfigFile(join(dir, 'mlmon.yml')).models[0].reference.path, join(dir, 'data/ref.csv'));
});

test('source paths resolve against the config file too; URLs are left alone', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mlmon-config-'));
  writeFileSync(
    join(dir, 'mlmon.yml'),
    [
      'models:',
      '  - name: a',
      '    reference: { path: https://example.invalid/ref.parquet }',
      'sources:',
      '  - { type: file, name: logs, model: a, path: logs/*.jsonl }',
      '  - { type: file, name: remote, model: a, path: "https://example.invalid/x.jsonl" }',
      '',
    ].join('\n'),
  );
  const config = loadConfigFile(join(dir, 'mlmon.yml'));
  assert.equal(config.models[0].reference.path, 'https://example.invalid/ref.parquet');
  const [logs, remote] = config.sources as { path: string }[];
  assert.equal(logs.path, join(dir, 'logs/*.jsonl'));
  assert.equal(remote.path, 'https://example.invalid/x.jsonl');
});

test('a calibrated drift block: its statistic must be binned, and it takes no fixed threshold', () => {
  const model = (drift: string) => `models:\n  - name: churn\n    reference: { path: ref.csv }\n    drift: ${drift}\n`;
  const calibrated = parseConfig(model('{ calibration: false_alarm_rate, false_alarm_rate: 0.05 }')).models[0];
  assert.deepEqual(calibrated.drift, {
    statistic: 'psi',
    share: 0.3,
    calibration: 'false_alarm_rate',
    false_alarm_rate: 0.05,
    correction: 'sidak',
    top_bins: 3,
  });
  assert.throws(
    () => parseConfig(model('{ calibration: false_alarm_rate, statistic: ks_pvalue }'), 'mlmon.yml'),
    /mlmon.yml:\d+: models\.0\.drift\.calibration: .*psi and jensen_shannon/,
  );
  assert.throws(
    () => parseConfig(model('{ calibration: false_alarm_rate, threshold: 0.2 }'), 'mlmon.yml'),
    /models\.0\.drift\.threshold: a calibrated model has no fixed threshold/,
  );
  assert.throws(() => parseConfig(model('{ false_alarm_rate: 0.5 }'), 'mlmon.yml'), /drift\.false_alarm_rate/);
});

test('feature importance and the top bins: validated, each error names its key', () => {
  const model = (extra: string) => `models:\n  - name: churn\n    reference: { path: ref.csv }\n${extra}`;
  const parsed = parseConfig(
    model('    features: [{ name: age, importance: 0.7 }, { name: city }]\n    drift: { top_bins: 5 }\n'),
  ).models[0];
  assert.deepEqual(
    parsed.features?.map((f) => [f.name, f.importance]),
    [
      ['age', 0.7],
      ['city', undefined],
    ],
  );
  assert.equal(parsed.drift.top_bins, 5);
  assert.throws(
    () => parseConfig(model('    features: [{ name: age }, { name: city, importance: -1 }]\n'), 'mlmon.yml'),
    /mlmon.yml:\d+: models\.0\.features\.1\.importance: /,
  );
  assert.throws(() => parseConfig(model('    drift: { top_bins: 11 }\n'), 'mlmon.yml'), /models\.0\.drift\.top_bins/);
  assert.throws(() => parseConfig(model('    prediction: { name: y, importance: 1 }\n')), /prediction.*importance/);
});
