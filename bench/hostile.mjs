// Hostile clients: scrape latency of an authenticated Prometheus-like client (from 127.0.0.2, a new
// connection per scrape) with no load, beside the same under each flood from 127.0.0.1, and the
// exporter's RSS. Floods, each for --seconds, all on loopback and bounded in count:
//   - 10,000 half-open connections (opened and held, nothing sent; reopened when closed);
//   - 100 connections sending wrong passwords, again and again;
//   - 16 concurrent 10 MiB bodies: `[0,0,…]` (5 M tiny items), 100,000 NDJSON records, and records
//     of 1,999 features each (the most memory per byte parsed).
// Besides the cached scraper, a user not yet in the credential cache scrapes once per flood (its
// first check is a bcrypt comparison queued with the flood's). Each flood runs in a worker thread,
// so the scraper's own event loop measures the exporter, not the flood. Needs `ulimit -n` ≥ 11000.
//   node bench/hostile.mjs [--seconds 10]
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import bcrypt from 'bcryptjs';
import { buildIfStale } from '../exporter/scripts/build.mjs';
import { EXPORTER_NODE_FLAGS } from '../exporter/scripts/node-flags.mjs';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '10' } } });
const SECONDS = Number(values.seconds);
const EXPORTER = fileURLToPath(new URL('../exporter/bin/mlmon-exporter.mjs', import.meta.url));
const REFERENCE = fileURLToPath(new URL('../exporter/test/fixtures/reference.csv', import.meta.url));
const COST = 10;
const FRESH_USERS = 4;
/** The exporter process (main thread only). */
let child;
if (isMainThread) await buildIfStale(); // the bin runs the built dist/
const port = isMainThread ? await startTarget() : workerData.port;
const rssMiB = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))[1]) / 1024;
const basic = (user, password) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** One request on its own connection; resolves with the status (0 on a connection error) and the time taken. */
function send({ path, method = 'GET', auth, from = '127.0.0.1', body, type }) {
  const started = performance.now();
  return new Promise((resolve) => {
    const headers = { connection: 'close' };
    if (auth) headers.authorization = auth;
    if (type) headers['content-type'] = type;
    const req = request({ host: '127.0.0.1', port, path, method, headers, agent: false, localAddress: from }, (res) => {
      res.resume();
      res.once('end', () => resolve({ status: res.statusCode, ms: performance.now() - started }));
    });
    req.once('error', () => resolve({ status: 0, ms: performance.now() - started }));
    req.end(body);
  });
}
const scrape = (user = 'prometheus', password = 'scrape-pw') =>
  send({ path: '/metrics', auth: basic(user, password), from: '127.0.0.2' });

const TEN_MIB = 10 * 1024 * 1024;
/** 10,000 connections that never send a byte, reopened when the exporter closes them. */
const halfOpen = async (running) => {
  const sockets = new Set();
  let opened = 0;
  const open = () => {
    if (!running() || sockets.size >= 10_000) return;
    const socket = connect({ host: '127.0.0.1', port });
    opened++;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.once('close', () => {
      sockets.delete(socket);
      setTimeout(open, 10);
    });
  };
  for (let i = 0; i < 10_000; i++) {
    open();
    if (i % 500 === 499) await sleep(20);
  }
  while (running()) await sleep(100);
  for (const socket of sockets) socket.destroy();
  return `half-open connections opened: ${opened}`;
};

/** 100 connections at a time, each request a wrong password for the scraper's user. */
const wrongPasswords = async (running) => {
  let sent = 0;
  await Promise.all(
    Array.from({ length: 100 }, async (_, i) => {
      for (let n = 0; running(); n++) {
        await send({ path: '/metrics', auth: basic('prometheus', `guess-${i}-${n}`) });
        sent++;
      }
    }),
  );
  return `wrong-password requests sent: ${sent}`;
};

// Built by the worker that sends them, when it starts. Record bodies hold 100,000 lines (the
// per-request limit) padded to 10 MiB with blanks, so they are parsed, not refused by count.
const RECORDS_PER_BODY = 100_000;
const tinyItems = () => `[${'0,'.repeat(TEN_MIB / 2 - 2)}0]`;
const padded = (record) => {
  const line = JSON.stringify(record);
  return line.padEnd(Math.max(line.length, Math.floor(TEN_MIB / RECORDS_PER_BODY) - 1), ' ');
};
const validRecords = () =>
  Array(RECORDS_PER_BODY)
    .fill(padded({ model: 'm', features: { x: 0.25, color: 'green' }, prediction: 2 }))
    .join('\n');
/** Records of 1,999 short features (limit 2,000): the densest body the limits allow, the most memory per byte parsed. */
const denseRecords = () => {
  const features = Object.fromEntries(Array.from({ length: 1999 }, (_, i) => [`f${i}`, 0]));
  const line = JSON.stringify({ model: 'm', features });
  return Array(Math.floor(TEN_MIB / (line.length + 1)))
    .fill(line)
    .join('\n');
};
const bodies = (makeBody, type) => async (running) => {
  const body = makeBody();
  const statuses = new Map();
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (running()) {
        const { status } = await send({
          path: '/api/v1/records',
          method: 'POST',
          auth: basic('prometheus', 'scrape-pw'),
          body,
          type,
        });
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (status === 503) await sleep(100); // Retry-After asks for a second; a hostile client would not wait
      }
    }),
  );
  return `bodies answered: ${[...statuses].map(([s, n]) => `${s}×${n}`).join(' ')}`;
};

const FLOODS = {
  halfOpen,
  wrongPasswords,
  tinyItems: bodies(tinyItems, 'application/json'),
  validRecords: bodies(validRecords, 'application/x-ndjson'),
  denseRecords: bodies(denseRecords, 'application/x-ndjson'),
};

if (!isMainThread) {
  // A flood in this worker until the main thread says stop.
  let running = true;
  parentPort.once('message', () => (running = false));
  parentPort.postMessage(await FLOODS[workerData.flood](() => running));
} else {
  await main();
}

/** Runs `flood` in a worker thread; resolves with its report once `running()` turns false. */
async function runFlood(flood, running) {
  const worker = new Worker(new URL(import.meta.url), { workerData: { flood, port } });
  const report = new Promise((resolve) => worker.once('message', resolve));
  while (running()) await sleep(100);
  worker.postMessage('stop');
  const text = await report;
  await worker.terminate();
  return text;
}

async function startTarget() {
  mkdirSync('bench/out', { recursive: true });
  writeFileSync(
    'bench/out/hostile.yml',
    `models:\n  - name: m\n    reference: { path: ${REFERENCE} }\n    features: [{ name: x }, { name: color }]\n    prediction: { name: level }\n`,
  );
  const users = { prometheus: bcrypt.hashSync('scrape-pw', COST) };
  for (let i = 0; i < FRESH_USERS; i++) users[`fresh${i}`] = bcrypt.hashSync(`fresh-pw-${i}`, COST);
  writeFileSync(
    'bench/out/hostile-web.yml',
    `basic_auth_users:\n${Object.entries(users)
      .map(([user, hash]) => `  ${user}: ${hash}\n`)
      .join('')}`,
  );

  child = spawn(
    process.execPath,
    [
      ...EXPORTER_NODE_FLAGS,
      EXPORTER,
      '--config.file=bench/out/hostile.yml',
      '--web.config.file=bench/out/hostile-web.yml',
      '--web.listen-address=127.0.0.1:0',
      '--storage.path=bench/out/hostile-data',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const listening = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /metrics at http:\/\/[^:]+:(\d+)\/metrics/.exec(out);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`exporter exited with ${code}`)));
  });
  return listening;
}

/** Scrapes every 250 ms for SECONDS while `flood` runs; RSS sampled every 50 ms. */
async function measure(name, flood, freshUser) {
  let running = true;
  let peak = rssMiB();
  const sampler = setInterval(() => (peak = Math.max(peak, rssMiB())), 50);
  const load = flood ? runFlood(flood, () => running) : Promise.resolve('');
  await sleep(1000); // the flood under way
  const fresh = freshUser ? await scrape(freshUser.user, freshUser.password) : undefined;
  const times = [];
  const statuses = new Map();
  const end = Date.now() + SECONDS * 1000;
  while (Date.now() < end) {
    const { status, ms } = await scrape();
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    times.push(ms);
    await sleep(250);
  }
  running = false;
  const report = await load;
  clearInterval(sampler);
  times.sort((a, b) => a - b);
  const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
  const row = {
    name,
    scrapes: times.length,
    ok: statuses.get(200) ?? 0,
    median: at(0.5),
    p95: at(0.95),
    max: times[times.length - 1],
    fresh,
    peak,
    report,
  };
  await sleep(1000);
  return row;
}

async function main() {
  await scrape(); // the scraper's credentials are verified once, then cached
  const startRss = rssMiB();
  const rows = [];
  rows.push(await measure('no flood (baseline)', undefined, { user: 'fresh0', password: 'fresh-pw-0' }));
  rows.push(await measure('10,000 half-open connections', 'halfOpen', { user: 'fresh1', password: 'fresh-pw-1' }));
  rows.push(
    await measure('100 wrong-password connections', 'wrongPasswords', { user: 'fresh2', password: 'fresh-pw-2' }),
  );
  rows.push(await measure('16 × 10 MiB bodies of [0,0,…]', 'tinyItems'));
  rows.push(
    await measure('16 × 10 MiB NDJSON, 100k records', 'validRecords', {
      user: 'fresh3',
      password: 'fresh-pw-3',
    }),
  );
  rows.push(await measure('16 × 10 MiB NDJSON, 2k features', 'denseRecords'));
  const metrics = await new Promise((resolve) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/metrics', headers: { authorization: basic('prometheus', 'scrape-pw') } },
      (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve(text));
      },
    );
    req.end();
  });
  child.kill('SIGTERM');

  const f = (ms) => (ms === undefined ? '—' : `${ms.toFixed(0)} ms`);
  const base = rows[0];
  console.log(`exporter RSS after start-up and one scrape: ${startRss.toFixed(0)} MiB; bcrypt cost ${COST}`);
  console.log(
    `${'flood'.padEnd(34)} ${'scrapes ok'.padStart(10)} ${'median'.padStart(8)} ${'p95'.padStart(8)} ${'max'.padStart(8)} ${'×base'.padStart(6)} ${'uncached'.padStart(9)} ${'RSS peak'.padStart(9)}`,
  );
  for (const row of rows) {
    console.log(
      `${row.name.padEnd(34)} ${`${row.ok}/${row.scrapes}`.padStart(10)} ${f(row.median).padStart(8)} ${f(row.p95).padStart(8)} ${f(row.max).padStart(8)} ${(row.median / base.median).toFixed(1).padStart(6)} ${(row.fresh ? `${f(row.fresh.ms)}${row.fresh.status === 200 ? '' : ` (${row.fresh.status})`}` : '—').padStart(9)} ${`${row.peak.toFixed(0)} MiB`.padStart(9)}`,
    );
  }
  for (const row of rows.slice(1)) console.log(`${row.name}: ${row.report}`);
  for (const family of [
    'mlmon_http_connections_evicted_total',
    'mlmon_http_requests_shed_total',
    'mlmon_http_auth_failures_total{reason="throttled"}',
    'mlmon_http_auth_failures_total{reason="invalid_credentials"}',
    'mlmon_records_rejected_total{reason="too_many_records"}',
    'mlmon_records_rejected_total{reason="too_many_concurrent_requests"}',
  ]) {
    const line = metrics.split('\n').find((l) => l.startsWith(`${family} `));
    console.log(`${family} ${line ? line.slice(family.length + 1) : 0}`);
  }
}
