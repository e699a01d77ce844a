// Lifecycle endpoints and start-up, against the real exporter process: POST /-/reload is off
// unless --web.enable-lifecycle (403, as Prometheus answers), SIGHUP always reloads; when on, it
// takes ordinary clients' requests (curl -d '', Python's urllib); a reload keeps the HTTP source's
// counters; open ingest on a non-loopback address is warned about once; an alias bomb in the
// config is refused naming the file and line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scrapeText, valueOf } from '../../testkit/index.ts';
import { waitFor } from '../../testkit/index.ts';
import { EXPORTER_BIN as EXPORTER } from '../../testkit/index.ts';
import { REFERENCE } from './helpers/snapshot-process.ts';
import { configDir, postJson, startTarget } from './helpers/hostile-process.ts';

const record = { model: 'm', features: { x: 0.5, color: 'red' }, prediction: 2 };
const addedModel = `  - name: added\n    reference: { path: ${REFERENCE} }\n    features: [{ name: x }]\n`;

test('without --web.enable-lifecycle POST /-/reload is 403 and SIGHUP still reloads; no warning on loopback', async (t) => {
  const { dir, config } = configDir();
  const target = await startTarget(dir, [`--config.file=${config}`]);
  t.after(() => target.stop());
  const refused = await fetch(`${target.url}/-/reload`, { method: 'POST' });
  assert.equal(refused.status, 403);
  assert.equal(await refused.text(), 'Lifecycle API is not enabled.\n');
  appendFileSync(config, addedModel);
  target.child.kill('SIGHUP');
  await waitFor('the model added by SIGHUP', async () =>
    (await scrapeText(target.url)).includes('model="added"') ? true : undefined,
  );
  assert.doesNotMatch(target.output(), /warning/);
});

test('with --web.enable-lifecycle: curl -d "" and urllib reload; the HTTP source keeps its counters', async (t) => {
  const { dir, config } = configDir();
  const target = await startTarget(dir, [`--config.file=${config}`, '--web.enable-lifecycle']);
  t.after(() => target.stop());
  assert.equal((await postJson(target.url, '/api/v1/records', [record, record, record])).status, 200);
  const read = async () => valueOf(await scrapeText(target.url), 'mlmon_source_records_read_total', { source: 'http' });
  assert.equal(await read(), 3);

  const curl = spawnSync('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '-d', '', `${target.url}/-/reload`], {
    encoding: 'utf8',
  });
  assert.equal(curl.stdout, '200', curl.stderr);
  const python = spawnSync(
    'python3',
    [
      '-c',
      'import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1], data=b"").status)',
      `${target.url}/-/reload`,
    ],
    { encoding: 'utf8' },
  );
  assert.equal(python.stdout.trim(), '200', python.stderr);
  for (const [type, body] of [
    ['application/json', ''],
    ['text/plain', 'please'],
  ]) {
    const response = await fetch(`${target.url}/-/reload`, { method: 'POST', headers: { 'content-type': type }, body });
    assert.equal(response.status, 200, `${type}: ${await response.text()}`);
  }
  // Four reloads later the HTTP source is still there, with its count (a reset would read as a restart).
  assert.equal(await read(), 3);
  assert.match(await scrapeText(target.url), /mlmon_config_last_reload_successful 1/);
  assert.equal(
    (
      await fetch(`${target.url}/api/v1/records`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: '[]',
      })
    ).status,
    415,
  );
});

test('ingest open to anyone on a non-loopback address is warned about once at start', async (t) => {
  const { dir, config } = configDir();
  const target = await startTarget(dir, [`--config.file=${config}`], { host: '0.0.0.0' });
  t.after(() => target.stop());
  await fetch(`${target.url}/metrics`);
  const warnings = target.output().match(/warning: ingest .* is open to anyone/g) ?? [];
  assert.equal(warnings.length, 1, target.output());
  assert.match(target.output(), /set ingest_auth or basic_auth_users/);
});

test('a YAML alias bomb in the config is refused naming the file and the line', () => {
  const { dir } = configDir();
  const bomb = join(dir, 'bomb.yml');
  const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
  for (let i = 1; i < 9; i++) {
    const prev = String.fromCharCode(96 + i);
    const name = String.fromCharCode(97 + i);
    levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
  }
  writeFileSync(bomb, `${levels.join('\n')}\nmodels: *i\n`);
  const run = spawnSync(process.execPath, [EXPORTER, `--config.file=${bomb}`, `--storage.path=${join(dir, 's')}`], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(run.status, 1, run.stderr);
  assert.match(run.stderr, /bomb\.yml:2: invalid YAML: too many alias expansions/);
  assert.doesNotMatch(run.stderr, /storage\.path/);
});
