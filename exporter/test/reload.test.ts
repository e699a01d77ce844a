// Config hot reload in a real exporter process: SIGHUP and POST /-/reload keep the state of
// unchanged models, add new ones, restart a model whose reference changed, and keep the running
// config when the new one is invalid.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postRecords } from './helpers/exporter.ts';
import { FIXTURES } from './helpers/golden.ts';
import { spawnExporter, waitFor } from '../../testkit/index.ts';

const model = (name: string, reference = 'ref.csv') =>
  `  - name: ${name}\n    reference: { path: ${reference} }\n    windows: [1h]\n`;

test('reload keeps unchanged models, adds new ones, resets changed ones, and survives a bad config', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mlmon-reload-'));
  copyFileSync(`${FIXTURES}reference.csv`, join(dir, 'ref.csv'));
  copyFileSync(`${FIXTURES}current.csv`, join(dir, 'other.csv'));
  const configFile = join(dir, 'mlmon.yml');
  writeFileSync(configFile, `models:\n${model('kept')}${model('changed')}`);
  const exporter = await spawnExporter([`--config.file=${configFile}`, `--storage.path=${join(dir, 'data')}`]);
  t.after(() => exporter.stop('SIGKILL'));
  const { child, url } = exporter;
  const stderr = () => exporter.output();
  await waitFor('ready', async () => ((await fetch(`${url}/-/ready`).catch(() => undefined))?.ok ? true : undefined));
  const record = (name: string) => JSON.stringify({ model: name, features: { x: 1, level: 2, color: 'red' } });
  await postRecords(url, [record('kept'), record('kept'), record('changed')].join('\n'), 'application/x-ndjson');
  const metrics = async () => (await fetch(`${url}/metrics`)).text();
  const recordsOf = (text: string, name: string) =>
    Number(new RegExp(`mlmon_records_total\\{model="${name}"\\} (\\d+)`).exec(text)?.[1]);

  writeFileSync(configFile, `models:\n${model('kept')}${model('changed', 'other.csv')}${model('added')}`);
  child.kill('SIGHUP');
  await waitFor('the added model', async () => ((await metrics()).includes('model="added"') ? true : undefined));
  let text = await metrics();
  assert.equal(recordsOf(text, 'kept'), 2, 'an unchanged model keeps its windows and counters');
  assert.equal(recordsOf(text, 'changed'), 0, 'a model whose reference changed starts again');
  assert.match(text, /mlmon_config_last_reload_successful 1/);

  writeFileSync(configFile, `models:\n  - name: kept\n    reference: { path: ref.csv }\n    bins: lots\n`);
  const failed = await fetch(`${url}/-/reload`, { method: 'POST' });
  assert.equal(failed.status, 500);
  assert.match(await failed.text(), /mlmon.yml:4: models\.0\.bins/);
  text = await metrics();
  assert.match(text, /mlmon_config_last_reload_successful 0/);
  assert.equal(recordsOf(text, 'kept'), 2, 'the running config stays');
  assert.ok(text.includes('model="added"'));
  assert.match(stderr(), /config reload failed, keeping the running config/);

  writeFileSync(configFile, `models:\n${model('kept')}`);
  assert.equal((await fetch(`${url}/-/reload`, { method: 'POST' })).status, 200);
  text = await metrics();
  assert.match(text, /mlmon_config_last_reload_successful 1/);
  assert.ok(!text.includes('model="added"'), 'a removed model is gone');
});
