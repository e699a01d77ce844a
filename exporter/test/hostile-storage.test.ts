// What may lie in --storage.path, against the real exporter process: a symbolic link at the
// snapshot's temporary name never makes a write land outside the folder; a snapshot that is a link
// to /dev/zero or a FIFO is refused without reading it (the exporter starts and answers); a header
// whose checksum is right but whose fields have the wrong types is refused as corrupt.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeSnapshot, encodePreamble, headerBytes } from '../src/snapshot/format.ts';
import { SNAPSHOT_FILE } from '../src/snapshot/restore.ts';
import { scrapeText } from '../../testkit/index.ts';
import { waitFor } from '../../testkit/index.ts';
import { configDir, postJson, startTarget } from './helpers/hostile-process.ts';

const records = Array.from({ length: 20 }, (_, i) => ({
  model: 'm',
  features: { x: i / 20, color: 'red' },
  prediction: 2,
}));
const ready = async (url: string) =>
  waitFor('ready', async () => ((await fetch(`${url}/-/ready`)).status === 200 ? true : undefined));

test('a link at the temporary file name does not redirect the snapshot outside the folder', async (t) => {
  const { dir, config } = configDir();
  const storage = join(dir, 'storage');
  mkdirSync(storage);
  const victim = join(dir, 'victim.txt');
  writeFileSync(victim, 'precious\n');
  symlinkSync(victim, join(storage, `${SNAPSHOT_FILE}.tmp`));
  const target = await startTarget(dir, [`--config.file=${config}`, '--storage.snapshot-interval=1h']);
  t.after(() => target.stop());
  assert.equal((await postJson(target.url, '/api/v1/records', records)).status, 200);
  target.child.kill('SIGTERM'); // the final snapshot goes through the temporary file
  assert.equal(await target.exited, 0, target.output());
  assert.equal(readFileSync(victim, 'utf8'), 'precious\n');
  assert.ok(lstatSync(join(storage, SNAPSHOT_FILE)).isFile());
  assert.equal(decodeSnapshot(readFileSync(join(storage, SNAPSHOT_FILE))).header.models[0].name, 'm');
});

test('a snapshot that is a link to /dev/zero or a FIFO is refused unread; the exporter starts', async (t) => {
  for (const kind of ['/dev/zero', 'fifo']) {
    const { dir, config } = configDir();
    const storage = join(dir, 'storage');
    mkdirSync(storage);
    const path = join(storage, SNAPSHOT_FILE);
    if (kind === 'fifo') assert.equal(spawnSync('mkfifo', [path]).status, 0);
    else symlinkSync('/dev/zero', path);
    const target = await startTarget(dir, [`--config.file=${config}`]);
    t.after(() => target.stop());
    await ready(target.url);
    assert.equal((await fetch(`${target.url}/-/healthy`)).status, 200);
    assert.match(
      target.output(),
      kind === 'fifo' ? /not restored \(io\).*not a regular file/ : /not restored \(io\).*symbolic link/,
    );
    assert.match(await scrapeText(target.url), /mlmon_snapshot_restore_failures_total\{reason="io"\} 1/);
    assert.ok(target.rssMiB() < 400, `RSS ${target.rssMiB().toFixed(0)} MiB`);
  }
});

test('a header with a right checksum but a wrong field type is refused as corrupt; scrapes work', async (t) => {
  const { dir, config } = configDir();
  const first = await startTarget(dir, [`--config.file=${config}`]);
  t.after(() => first.stop());
  assert.equal((await postJson(first.url, '/api/v1/records', records)).status, 200);
  first.child.kill('SIGTERM');
  assert.equal(await first.exited, 0);

  // Rewrite the header with modelVersion a number, and a checksum that matches it.
  const path = join(dir, 'storage', SNAPSHOT_FILE);
  const { header, payload } = decodeSnapshot(readFileSync(path));
  (header.models[0] as { modelVersion: unknown }).modelVersion = 12345;
  const bytes = headerBytes(header);
  const digest = createHash('sha256').update(bytes).update(payload).digest();
  writeFileSync(path, Buffer.concat([encodePreamble(bytes, payload.byteLength, digest), bytes, payload]));

  const second = await startTarget(dir, [`--config.file=${config}`]);
  t.after(() => second.stop());
  await ready(second.url);
  assert.match(second.output(), /not restored \(corrupt\).*models\.0\.modelVersion/);
  const text = await scrapeText(second.url); // 200, where the number once made every scrape a 500
  assert.match(text, /mlmon_snapshot_restore_failures_total\{reason="corrupt"\} 1/);
  assert.match(text, /mlmon_snapshot_restored\{model="m"\} 0/);
});
