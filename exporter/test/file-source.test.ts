// The `file` source on real files: tailing JSONL, CSV with a bad row, new files in a folder,
// truncation, a restart mid-file, Parquet written by pyarrow, and Parquet over HTTP ranges.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../src/config/load.ts';
import { renderMetrics } from '../src/metrics/collect.ts';
import type { FileSource } from '../src/sources/file/file.ts';
import { startState } from '../src/startup.ts';
import { assertClose } from '../../testkit/index.ts';
import { driftGolden, FIXTURES } from './helpers/golden.ts';

async function fileSource(path: string, storage: string, extra = '') {
  const config = parseConfig(`
models:
  - name: golden
    reference: { path: ${FIXTURES}reference.csv }
    features: [{ name: x }, { name: level }, { name: color, type: categorical }]
    windows: [1h]
sources:
  - { type: file, name: logs, model: golden, path: '${path}', interval: 1h${extra} }
`);
  const { state, sources } = await startState(config, { storagePath: storage });
  return { state, source: sources[0] as FileSource, records: () => state.models.get('golden')!.windows.recordsTotal };
}

const jsonl = (rows: object[]) => rows.map((r) => JSON.stringify(r) + '\n').join('');
const psiOf = (metrics: string, feature: string) =>
  Number(
    new RegExp(`^mlmon_feature_psi\\{model="golden",feature="${feature}",window="1h"\\} (\\S+)$`, 'm').exec(
      metrics,
    )?.[1],
  );

test('JSONL: a growing file is tailed, a partial last line waits, and PSI matches numpy', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mlmon-file-'));
  mkdirSync(join(dir, 'logs'));
  const log = join(dir, 'logs', 'a.jsonl');
  const rows = driftGolden.current_records;
  writeFileSync(log, jsonl(rows.slice(0, 2000)) + '{"x": 0.5, "lev');
  const { state, source, records } = await fileSource(join(dir, 'logs', '*.jsonl'), join(dir, 'data'));
  await source.readOnce();
  assert.equal(records(), 2000);
  // Finish the partial line with the real row 2000, then append the rest.
  const rest = jsonl(rows.slice(2000));
  writeFileSync(log, readFileSync(log, 'utf8').replace(/\{"x": 0\.5, "lev$/, '') + rest);
  await source.readOnce();
  assert.equal(records(), rows.length);
  await source.readOnce();
  assert.equal(records(), rows.length, 'nothing is counted twice');
  const metrics = renderMetrics(state);
  assertClose(psiOf(metrics, 'x'), driftGolden.expected.x.psi as number, 'x PSI', 1e-9);
  assertClose(psiOf(metrics, 'color'), driftGolden.expected.color.psi as number, 'color PSI', 1e-9);
  assert.match(metrics, new RegExp(`mlmon_source_records_read_total\\{source="logs"\\} ${rows.length}`));
  assert.match(metrics, /mlmon_source_up\{source="logs"\} 1/);
});

test('a new file in the folder is picked up; a restart continues where it stopped', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mlmon-file-'));
  mkdirSync(join(dir, 'logs'));
  writeFileSync(join(dir, 'logs', '1.jsonl'), jsonl(driftGolden.current_records.slice(0, 100)));
  const storage = join(dir, 'data');
  const first = await fileSource(join(dir, 'logs'), storage);
  await first.source.readOnce();
  assert.equal(first.records(), 100);
  writeFileSync(join(dir, 'logs', '2.jsonl'), jsonl(driftGolden.current_records.slice(100, 150)));
  await first.source.readOnce();
  assert.equal(first.records(), 150);
  // The exporter restarts: positions come back from --storage.path.
  appendFileSync(join(dir, 'logs', '2.jsonl'), jsonl(driftGolden.current_records.slice(150, 170)));
  const second = await fileSource(join(dir, 'logs'), storage);
  await second.source.readOnce();
  assert.equal(second.records(), 20, 'only the rows written after the last read');
});

test('CSV: a bad row is counted as a parse error and the others are kept', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mlmon-file-'));
  const csv = join(dir, 'current.csv');
  writeFileSync(csv, 'x,level,color\n1.5,2,red\n0.1,1\n0.2,3,blue,extra\n-0.3,4,green\n');
  const { state, source, records } = await fileSource(csv, join(dir, 'data'));
  await source.readOnce();
  assert.equal(records(), 2);
  assert.match(renderMetrics(state), /mlmon_source_errors_total\{source="logs",reason="parse"\} 2/);
});

test('a truncated file is read again from its start and the truncation is counted', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mlmon-file-'));
  const log = join(dir, 'a.jsonl');
  writeFileSync(log, jsonl(driftGolden.current_records.slice(0, 50)));
  const { state, source, records } = await fileSource(log, join(dir, 'data'));
  await source.readOnce();
  writeFileSync(log, jsonl(driftGolden.current_records.slice(0, 5)));
  await source.readOnce();
  assert.equal(records(), 55);
  assert.match(renderMetrics(state), /mlmon_source_errors_total\{source="logs",reason="truncated"\} 1/);
});

test('a missing file marks the source down without stopping anything', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mlmon-file-'));
  const { state, source } = await fileSource(join(dir, 'absent.jsonl'), join(dir, 'data'));
  await source.readOnce();
  const metrics = renderMetrics(state);
  assert.match(metrics, /mlmon_source_up\{source="logs"\} 0/);
  assert.match(metrics, /mlmon_source_errors_total\{source="logs",reason="missing"\} 1/);
});

test('Parquet written by pyarrow: PSI matches numpy', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mlmon-file-'));
  const { state, source, records } = await fileSource(`${FIXTURES}current.parquet`, join(dir, 'data'));
  await source.readOnce();
  assert.equal(records(), driftGolden.current_records.length);
  await source.readOnce();
  assert.equal(records(), driftGolden.current_records.length, 'a finished file is not read again');
  assertClose(psiOf(renderMetrics(state), 'x'), driftGolden.expected.x.psi as number, 'x PSI', 1e-9);
});

test('Parquet over HTTP is read with range requests', async (t) => {
  const bytes = readFileSync(`${FIXTURES}current.parquet`);
  const ranges: string[] = [];
  const server = createServer((req, res) => {
    if (req.method === 'HEAD') return res.writeHead(200, { 'content-length': bytes.length }).end();
    const match = /bytes=(\d+)-(\d*)/.exec(req.headers.range ?? '');
    if (!match) return res.writeHead(200).end(bytes);
    ranges.push(req.headers.range!);
    const start = Number(match[1]);
    const end = match[2] ? Number(match[2]) : bytes.length - 1;
    res
      .writeHead(206, { 'content-range': `bytes ${start}-${end}/${bytes.length}` })
      .end(bytes.subarray(start, end + 1));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/current.parquet`;
  const dir = mkdtempSync(join(tmpdir(), 'mlmon-file-'));
  const { source, records } = await fileSource(url, join(dir, 'data'));
  await source.readOnce();
  assert.equal(records(), driftGolden.current_records.length);
  assert.ok(ranges.length >= 2, `range requests: ${ranges.join(' ')}`);
});

test('a labels file joins delayed ground truth to earlier predictions', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mlmon-file-'));
  const csvRef = join(dir, 'ref.csv');
  writeFileSync(csvRef, 'f,prediction\n1,a\n2,b\n3,a\n');
  const config = parseConfig(`
models:
  - name: m
    reference: { path: ${csvRef} }
    prediction: { name: prediction }
    windows: [1h]
sources:
  - { type: file, name: preds, model: m, path: '${join(dir, 'preds.jsonl')}' }
  - { type: file, name: truth, model: m, path: '${join(dir, 'labels.csv')}', kind: labels }
`);
  writeFileSync(
    join(dir, 'preds.jsonl'),
    jsonl([1, 2, 3, 4].map((i) => ({ id: `r${i}`, f: i, prediction: i % 2 ? 'a' : 'b' }))),
  );
  writeFileSync(join(dir, 'labels.csv'), 'id,label\nr1,a\nr2,a\nr3,a\nr9,b\n');
  const { state, sources } = await startState(config, { storagePath: join(dir, 'data') });
  await (sources[0] as FileSource).readOnce();
  await (sources[1] as FileSource).readOnce();
  const metrics = renderMetrics(state);
  assert.match(metrics, /mlmon_labels_joined_total\{model="m"\} 3/);
  assert.match(metrics, /mlmon_labels_unmatched_total\{model="m"\} 1/);
  assertClose(
    Number(/mlmon_performance_accuracy\{model="m",window="1h"\} (\S+)/.exec(metrics)?.[1]),
    2 / 3,
    'accuracy',
    1e-12,
  );
});

test('a truncated Parquet file is reported as a read error and the exporter carries on', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mlmon-file-'));
  const broken = join(dir, 'broken.parquet');
  const bytes = readFileSync(`${FIXTURES}current.parquet`);
  writeFileSync(broken, bytes.subarray(0, Math.floor(bytes.length / 2)));
  const { state, source, records } = await fileSource(broken, join(dir, 'data'));
  await source.readOnce();
  assert.equal(records(), 0);
  const metrics = renderMetrics(state);
  assert.match(metrics, /mlmon_source_up\{source="logs"\} 0/);
  assert.match(metrics, /mlmon_source_errors_total\{source="logs",reason="read"\} 1/);
  // Once the whole file is there, the next read counts it.
  writeFileSync(broken, bytes);
  await source.readOnce();
  assert.equal(records(), driftGolden.current_records.length);
});

test('Parquet: flat rows counted from the columns give what the row-by-row path gives', async () => {
  // The same rows; the `model` column of the second file sends it through the row-by-row path.
  const read = async (name: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'mlmon-file-'));
    const { state, source, records } = await fileSource(`${FIXTURES}${name}`, join(dir, 'data'));
    await source.readOnce();
    const lines = renderMetrics(state)
      .split('\n')
      .filter((line) => /^mlmon_(feature|records|model|prediction|unknown)/.test(line) && !/_seconds/.test(line));
    return { lines, records: records(), metrics: renderMetrics(state) };
  };
  const columns = await read('parquet-rows.parquet');
  const rows = await read('parquet-rows-model.parquet');
  // 3,000 rows: one category over max_value_bytes and one scores text that is no object are refused.
  assert.equal(columns.records, 2998);
  assert.match(columns.metrics, /^mlmon_records_rejected_total\{reason="value_too_long"\} 1$/m);
  assert.match(columns.metrics, /^mlmon_records_rejected_total\{reason="expected_object"\} 1$/m);
  // Every other row has a Parquet timestamp in the year 2200: read as a time, counted now.
  assert.match(columns.metrics, /^mlmon_records_future_total\{model="golden"\} 1500$/m);
  assert.ok(columns.lines.length > 50, 'the comparison covers the feature families');
  // Same series, same values. Values are compared to 1e-12, not bit for bit: the two reads run at
  // different wall-clock moments, so a slice boundary may split one read's records differently and
  // the per-slice sums add up in another order (last-bit differences only).
  const parse = (lines: string[]) =>
    lines.map((line) => [line.slice(0, line.lastIndexOf(' ')), line.slice(line.lastIndexOf(' ') + 1)]);
  const fromRows = parse(rows.lines);
  assert.deepEqual(
    parse(columns.lines).map(([series]) => series),
    fromRows.map(([series]) => series),
  );
  parse(columns.lines).forEach(([series, value], i) =>
    assertClose(Number(value), Number(fromRows[i][1]), series, 1e-12, 0),
  );
});
