// Bounds on what a client sends, against the real exporter process: each oversized field is
// refused by name and counted, the good records of the same batch are kept, the join buffer stays
// within its bytes, a body of millions of tiny items is refused before it is parsed, and ingest
// requests beyond `max_concurrent_ingest` are answered 503 before their body is read.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { scrapeText, valueOf } from '../../testkit/index.ts';
import { waitFor } from '../../testkit/index.ts';
import { configDir, postJson, rawConnection, startTarget, type HostileTarget } from './helpers/hostile-process.ts';
import { isLeap, yearFrom } from './helpers/calendar.ts';

let target: HostileTarget;
const good = (extra: object = {}) => ({ model: 'm', features: { x: 0.5, color: 'red' }, prediction: 2, ...extra });

before(async () => {
  const { dir, config } = configDir(
    'limits:\n  max_id_bytes: 64\n  max_model_version_bytes: 32\n  max_value_bytes: 100\n' +
      '  max_feature_name_bytes: 40\n  join_buffer_bytes: 262144\n  max_concurrent_ingest: 2\n',
    '    labels: { join_buffer: 1000000 }\n',
  );
  target = await startTarget(dir, [`--config.file=${config}`]);
});
after(() => target.stop());

test('each oversized field is refused by name and counted; the good records of the batch are kept', async () => {
  const batch = [
    good({ id: 'a'.repeat(65) }),
    good({ model_version: 'v'.repeat(33) }),
    { model: 'm', features: { x: 0.5, color: 'é'.repeat(51) } }, // 102 bytes in UTF-8
    { model: 'm', features: { ['f'.repeat(41)]: 1 } },
    good({ prediction: 'p'.repeat(101) }),
    good({ id: 'a'.repeat(64), model_version: 'v'.repeat(32) }),
  ];
  const response = await postJson(target.url, '/api/v1/records', batch);
  assert.equal(response.status, 200);
  const body = (await response.json()) as {
    accepted: number;
    rejected: { index: number; field: string; reason: string }[];
  };
  assert.equal(body.accepted, 1);
  assert.deepEqual(body.rejected, [
    { index: 0, field: 'id', reason: 'id_too_long' },
    { index: 1, field: 'model_version', reason: 'model_version_too_long' },
    { index: 2, field: 'features.color', reason: 'value_too_long' },
    { index: 3, field: 'features', reason: 'feature_name_too_long' },
    { index: 4, field: 'prediction', reason: 'value_too_long' },
  ]);
  const labels = await postJson(target.url, '/api/v1/labels', [{ model: 'm', id: 'b'.repeat(65), label: 1 }]);
  assert.equal(labels.status, 400);
  assert.deepEqual(((await labels.json()) as { rejected: unknown[] }).rejected, [
    { index: 0, field: 'id', reason: 'id_too_long' },
  ]);
  const text = await scrapeText(target.url);
  assert.equal(valueOf(text, 'mlmon_records_rejected_total', { reason: 'id_too_long' }), 2);
  assert.equal(valueOf(text, 'mlmon_records_rejected_total', { reason: 'model_version_too_long' }), 1);
  assert.equal(valueOf(text, 'mlmon_records_rejected_total', { reason: 'value_too_long' }), 2);
  assert.equal(valueOf(text, 'mlmon_records_rejected_total', { reason: 'feature_name_too_long' }), 1);
  assert.ok(!text.includes('v'.repeat(33)), 'no oversized model_version reaches a label');
});

test('a calendar date that does not exist is an invalid timestamp', async () => {
  const at = new Date(Date.now() - 60_000);
  // Dates of this year (or the last one that was not a leap year) that no calendar has.
  const year = at.getUTCFullYear();
  const commonYear = yearFrom(year, (y) => !isLeap(y), -1);
  const response = await postJson(target.url, '/api/v1/records', [
    good({ timestamp: `${year}-02-31T00:00:00Z` }),
    good({ timestamp: `${commonYear}-02-29T12:00:00Z` }),
    good({ timestamp: `${year}-04-31T00:00:00+02:00` }),
    good({ timestamp: at.toISOString() }),
  ]);
  const body = (await response.json()) as { accepted: number; rejected: { reason: string }[] };
  assert.equal(body.accepted, 1);
  assert.deepEqual(
    body.rejected.map((r) => r.reason),
    ['invalid_timestamp', 'invalid_timestamp', 'invalid_timestamp'],
  );
});

test('the join buffer is bounded in bytes: long ids evict the oldest predictions, counted as expired', async () => {
  const held = async () => {
    const text = await scrapeText(target.url);
    const buffered = valueOf(text, 'mlmon_label_join_buffer_records', { model: 'm' })!;
    return { buffered, total: buffered + valueOf(text, 'mlmon_labels_expired_total', { model: 'm' })! };
  };
  const before = await held();
  // 3,000 predictions with 64-byte ids: far more than 256 KiB of accounted bytes.
  for (let b = 0; b < 3; b++) {
    const batch = Array.from({ length: 1000 }, (_, i) => good({ id: `${b}-${i}-`.padEnd(64, 'x') }));
    assert.equal((await postJson(target.url, '/api/v1/records', batch)).status, 200);
  }
  const { buffered, total } = await held();
  // An entry is accounted at 160 + 2 × 64 bytes at least: 262,144 bytes hold at most 910 of them.
  assert.ok(buffered > 0 && buffered <= 910, `buffered ${buffered}`);
  assert.equal(total - before.total, 3000, 'every prediction is buffered or counted as expired');
});

test('a body of a million tiny items is refused (413, counted) before it is parsed', async () => {
  const before = target.rssMiB();
  const body = `[${'0,'.repeat(999_999)}0]`; // 2 MB, 1 M items, limit 100,000
  for (let i = 0; i < 3; i++) {
    const response = await postJson(target.url, '/api/v1/records', body);
    assert.equal(response.status, 413);
    assert.match(((await response.json()) as { error: string }).error, /more than 100000 records/);
  }
  const ndjson = await fetch(`${target.url}/api/v1/records`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson' },
    body: '0\n'.repeat(200_000),
  });
  assert.equal(ndjson.status, 413);
  const text = await scrapeText(target.url);
  assert.equal(valueOf(text, 'mlmon_records_rejected_total', { reason: 'too_many_records' }), 4);
  // Parsing 1 M items would build 1 M values (tens of MiB each time); counting them builds none.
  const grown = target.rssMiB() - before;
  assert.ok(grown < 64, `RSS grew by ${grown.toFixed(0)} MiB`);
});

test('ingest requests beyond max_concurrent_ingest are answered 503 before their body is read', async () => {
  /** An ingest request whose body stalls after one byte; `length` undefined sends it chunked. */
  const stall = async (length?: number) => {
    const connection = await rawConnection(target.port);
    const framing =
      length === undefined ? 'Transfer-Encoding: chunked\r\n\r\n1\r\n[' : `Content-Length: ${length}\r\n\r\n[`;
    connection.socket.write(`POST /api/v1/records HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n${framing}`);
    return connection;
  };
  // Small bodies share the budget of 2 full-size ones: three stalled 1,000-byte bodies leave room.
  const small = await Promise.all([stall(1000), stall(1000), stall(1000)]);
  try {
    // Round trips after the stalled headers were sent: the server has read those headers by now
    // (count-based slots were full at this point and answered the post 503).
    for (let i = 0; i < 3; i++) await scrapeText(target.url);
    assert.equal((await postJson(target.url, '/api/v1/records', [good()])).status, 200);
  } finally {
    for (const { socket } of small) socket.destroy();
  }
  // Two chunked bodies (of unknown length: each may reach max_request_bytes) hold the whole budget.
  const stalled = await Promise.all([stall(), stall()]);
  try {
    const refused = await waitFor('a 503 while two bodies stall', async () => {
      const response = await postJson(target.url, '/api/v1/records', [good()]);
      return response.status === 503 ? response : undefined;
    });
    assert.equal(refused.headers.get('retry-after'), '1');
    assert.match(await refused.text(), /would exceed limits.max_concurrent_ingest \(2\) × ingest.max_request_bytes/);
    assert.equal((await fetch(`${target.url}/metrics`)).status, 200, 'scrapes are not ingest');
  } finally {
    for (const { socket } of stalled) socket.destroy();
  }
  await waitFor('a slot again', async () => {
    const response = await postJson(target.url, '/api/v1/records', [good()]);
    return response.status === 200 ? true : undefined;
  });
  const text = await scrapeText(target.url);
  assert.ok(valueOf(text, 'mlmon_records_rejected_total', { reason: 'too_many_concurrent_requests' })! >= 1);
});
