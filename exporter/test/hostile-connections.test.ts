// Connections no well-behaved client would hold, against the real exporter process: a body that
// never completes and a connection that never sends its headers are cut by the timeouts; past the
// connection cap the oldest idle connection makes room; and the connections kept for /metrics let
// the scrape through when everything else is answered 503.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseExporterFlags } from '../src/flags.ts';
import { waitFor } from '../../testkit/index.ts';
import { configDir, rawConnection, rawGet, settlesWithin, startTarget } from './helpers/hostile-process.ts';

test('the default timeouts cut a stalled body within 60 s; the flags change them', () => {
  const defaults = parseExporterFlags([]).connections;
  assert.ok(defaults.readTimeoutMs + 1000 <= 60_000, `read timeout ${defaults.readTimeoutMs} ms`);
  assert.ok(defaults.readHeaderTimeoutMs <= defaults.readTimeoutMs);
  assert.ok(defaults.maxConnections > 0);
  const set = parseExporterFlags([
    '--web.read-timeout=2s',
    '--web.read-header-timeout=1s',
    '--web.idle-timeout=3s',
    '--web.max-connections=64',
  ]).connections;
  assert.deepEqual(set, { readTimeoutMs: 2000, readHeaderTimeoutMs: 1000, idleTimeoutMs: 3000, maxConnections: 64 });
  assert.throws(() => parseExporterFlags(['--web.read-timeout=0s']), /--web.read-timeout/);
  assert.throws(() => parseExporterFlags(['--web.max-connections=lots']), /not a whole number/);
});

test('a body that never completes and headers that never end are cut by the timeouts', async (t) => {
  const { dir, config } = configDir();
  const target = await startTarget(dir, [
    `--config.file=${config}`,
    '--web.read-timeout=1s',
    '--web.read-header-timeout=1s',
  ]);
  t.after(() => target.stop());
  // A Content-Length larger than what is sent: on ingest, and on a route that answers at once.
  const ingest = await rawConnection(target.port);
  ingest.socket.write(
    'POST /api/v1/records HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n[{',
  );
  const healthy = await rawConnection(target.port);
  healthy.socket.write('GET /-/healthy HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\nab');
  // A chunked body that never ends, and a connection that sends half a request line.
  const chunked = await rawConnection(target.port);
  chunked.socket.write(
    'POST /api/v1/records HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n[\r\n',
  );
  const headers = await rawConnection(target.port);
  headers.socket.write('GET /metr');
  const silent = await rawConnection(target.port);
  // The bound is generous (1 s timeouts, checked every second, on a busy machine); before the
  // timeouts these connections stayed open for as long as the client liked.
  for (const [what, connection] of Object.entries({ ingest, healthy, chunked, headers, silent })) {
    assert.ok(await settlesWithin(connection.closed, 20_000), `${what}: still open after 20 s`);
  }
  assert.match(healthy.received(), /^HTTP\/1\.1 200/, 'the request itself was answered');
  assert.equal((await fetch(`${target.url}/-/healthy`)).status, 200);
});

test('past the connection cap the oldest idle connection makes room; /metrics keeps its share', async (t) => {
  const { dir, config } = configDir('limits:\n  max_concurrent_ingest: 100\n');
  // 16 connections at most, 2 of them kept for /metrics.
  const target = await startTarget(dir, [`--config.file=${config}`, '--web.max-connections=16']);
  t.after(() => target.stop());

  // Every request of this test has its own connection (rawGet), so no client pool holds one open.
  const metric = async (name: string) =>
    Number(new RegExp(`^${name} (\\d+)$`, 'm').exec((await rawGet(target.port, '/metrics')).text)?.[1]);

  // 40 half-open connections: the cap is 16, so the oldest idle ones are closed to make room.
  const idle: Awaited<ReturnType<typeof rawConnection>>[] = [];
  for (let i = 0; i < 40; i++) idle.push(await rawConnection(target.port));
  await waitFor('the oldest idle connections closed', async () => {
    const open = await Promise.all(idle.map((c) => settlesWithin(c.closed, 0)));
    return open.filter((closed) => closed).length >= 24 ? true : undefined;
  });
  assert.equal((await rawGet(target.port, '/metrics')).status, 200);
  for (const { socket } of idle) socket.destroy();
  await waitFor('the idle connections gone', async () =>
    (await metric('mlmon_http_connections_open')) <= 1 ? true : undefined,
  );
  assert.ok((await metric('mlmon_http_connections_evicted_total')) >= 24);

  // 14 requests in progress (stalled ingest bodies): only the 2 connections kept for /metrics are left.
  const busy: Awaited<ReturnType<typeof rawConnection>>[] = [];
  for (let i = 0; i < 14; i++) {
    const connection = await rawConnection(target.port);
    connection.socket.write(
      'POST /api/v1/records HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n[',
    );
    busy.push(connection);
  }
  try {
    const refused = await waitFor('503 for anything but /metrics', async () => {
      const response = await rawGet(target.port, '/-/healthy');
      return response.status === 503 ? response : undefined;
    });
    assert.match(refused.text, /too many open connections/);
    const scrape = await rawGet(target.port, '/metrics');
    assert.equal(scrape.status, 200);
    assert.match(scrape.text, /mlmon_http_connections_open 1[4-6]/);
  } finally {
    for (const { socket } of busy) socket.destroy();
  }
  await waitFor('room again', async () =>
    (await rawGet(target.port, '/-/healthy')).status === 200 ? true : undefined,
  );
  assert.ok((await metric('mlmon_http_requests_shed_total')) >= 1);
  assert.equal(busy.filter((c) => c.received() !== '').length, 0, 'every stalled request was let in');
});
