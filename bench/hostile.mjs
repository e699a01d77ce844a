// Hostile clients: scrape latency of an authenticated Prometheus-like client (from 127.0.0.2, a new
// connection per scrape) with no load, beside the same under each flood from 127.0.0.1, and the
// exporter's RSS. Floods, each for --seconds, all on loopback and bounded in count:
//   - 10,000 half-open connections (opened and held, nothing sent; reopened when closed);
//   - 100 connections sending wrong passwords, again and again, from one address, then from 100;
//   - 16 concurrent 10 MiB bodies: `[0,0,…]` (5 M tiny items), 100,000 NDJSON records, and records
//     of 1,999 features each (the most memory per byte parsed).
// Each row runs in a fresh exporter process, so the credential cache starts empty, as after a
// restart. Besides the cached scraper, --fresh users not yet in the cache scrape once each, spread
// over the flood (their first check is a bcrypt comparison that competes with the flood): their
// latency is printed beside the same with no flood. Each flood runs in a worker thread, so the
// scraper's own event loop measures the exporter, not the flood. Needs `ulimit -n` ≥ 11000.
//   node bench/hostile.mjs [--seconds 10] [--fresh 5] [--floods wrongPasswords,halfOpen,…] [--cpu-prof dir]
//                          [--exporter other/exporter/bin/mlmon-exporter.mjs]
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import bcrypt from 'bcryptjs';
import { buildIfStale } from '../exporter/scripts/build.mjs';
import { EXPORTER_ENV, EXPORTER_NODE_FLAGS } from '../exporter/scripts/node-flags.mjs';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    fresh: { type: 'string', default: '5' },
    floods: { type: 'string' },
    // Writes a V8 CPU profile of each exporter process there (node --cpu-prof), to see where it spends the flood.
    'cpu-prof': { type: 'string' },
    // Another build's bin/mlmon-exporter.mjs (e.g. a worktree of main), to compare before and after.
    exporter: { type: 'string' },
  },
});
const SECONDS = Number(values.seconds);
const FRESH_USERS = Number(values.fresh);
const EXPORTER = values.exporter ?? fileURLToPath(new URL('../exporter/bin/mlmon-exporter.mjs', import.meta.url));
const REFERENCE = fileURLToPath(new URL('../exporter/test/fixtures/reference.csv', import.meta.url));
const COST = 10;
/** The port of the exporter under test: the current row's in the main thread, the flood's target in a worker. */
let port = isMainThread ? 0 : workerData.port;
/** The exporter process of the current row (main thread only). */
let child;
if (isMainThread && !values.exporter) await buildIfStale(); // the bin runs the built dist/
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

/**
 * 100 connections at a time, each request a wrong password for the scraper's user, from one
 * address (throttled after its failures_per_minute) or from 100 (each under its limit for 10
 * guesses a minute: every guess is a bcrypt comparison, and the checks waiting stay at their cap).
 */
const wrongPasswords = (addresses) => async (running) => {
  let sent = 0;
  await Promise.all(
    Array.from({ length: 100 }, async (_, i) => {
      const from = addresses === 1 ? '127.0.0.1' : `127.0.1.${(i % addresses) + 1}`;
      for (let n = 0; running(); n++) {
        await send({ path: '/metrics', auth: basic('prometheus', `guess-${i}-${n}`), from });
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
  wrongPasswords: wrongPasswords(1),
  wrongPasswordsSpread: wrongPasswords(100),
  tinyItems: bodies(tinyItems, 'application/json'),
  validRecords: bodies(validRecords, 'application/x-ndjson'),
  denseRecords: bodies(denseRecords, 'application/x-ndjson'),
};

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

/** The users' hashes, made once for every row: the scraper and FRESH_USERS others, all at COST. */
function writeConfigs() {
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
}

/** Starts a fresh exporter (empty credential cache, empty storage); sets `child` and `port`. */
async function startTarget(name) {
  rmSync('bench/out/hostile-data', { recursive: true, force: true });
  const profile = values['cpu-prof']
    ? ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof']}`, `--cpu-prof-name=${name}.cpuprofile`]
    : [];
  child = spawn(
    process.execPath,
    [
      ...EXPORTER_NODE_FLAGS,
      ...profile,
      EXPORTER,
      '--config.file=bench/out/hostile.yml',
      '--web.config.file=bench/out/hostile-web.yml',
      '--web.listen-address=127.0.0.1:0',
      '--storage.path=bench/out/hostile-data',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...EXPORTER_ENV } },
  );
  port = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /metrics at http:\/\/[^:]+:(\d+)\/metrics/.exec(out);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`exporter exited with ${code}`)));
  });
}

async function stopTarget() {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** The value of a sample of the exporter's /metrics, 0 when absent. */
async function metricValues(families) {
  const { text } = await new Promise((resolve) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/metrics', headers: { authorization: basic('prometheus', 'scrape-pw') } },
      (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ text: body }));
      },
    );
    req.end();
  });
  return families.map((family) => {
    const line = text.split('\n').find((l) => l.startsWith(`${family} `));
    return [family, line ? Number(line.slice(family.length + 1)) : 0];
  });
}

const COUNTERS = [
  'mlmon_http_connections_evicted_total',
  'mlmon_http_requests_shed_total',
  'mlmon_http_auth_failures_total{reason="throttled"}',
  'mlmon_http_auth_failures_total{reason="invalid_credentials"}',
  'mlmon_records_rejected_total{reason="too_many_records"}',
  'mlmon_records_rejected_total{reason="too_many_concurrent_requests"}',
];

const percentile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

/**
 * In a fresh exporter: scrapes every 250 ms for SECONDS while `flood` runs, and the FRESH_USERS
 * uncached users once each, evenly spread over the same seconds; RSS sampled every 50 ms.
 */
async function measure(name, flood) {
  await startTarget(flood ?? 'none');
  await scrape(); // the scraper's credentials are verified once, then cached
  const startRss = rssMiB();
  let running = true;
  let peak = startRss;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMiB())), 50);
  const load = flood ? runFlood(flood, () => running) : Promise.resolve('');
  await sleep(1000); // the flood under way
  const end = Date.now() + SECONDS * 1000;
  const freshUsers = (async () => {
    const answers = [];
    for (let i = 0; i < FRESH_USERS; i++) {
      answers.push(await scrape(`fresh${i}`, `fresh-pw-${i}`));
      await sleep(Math.max(0, (end - Date.now()) / (FRESH_USERS - i)));
    }
    return answers;
  })();
  const times = [];
  const statuses = new Map();
  while (Date.now() < end) {
    const { status, ms } = await scrape();
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    times.push(ms);
    await sleep(250);
  }
  const fresh = await freshUsers;
  running = false;
  const report = await load;
  clearInterval(sampler);
  const counters = await metricValues(COUNTERS);
  await stopTarget();
  times.sort((a, b) => a - b);
  const freshMs = fresh.map((answer) => answer.ms).sort((a, b) => a - b);
  return {
    name,
    startRss,
    scrapes: times.length,
    ok: statuses.get(200) ?? 0,
    median: percentile(times, 0.5),
    p95: percentile(times, 0.95),
    max: times[times.length - 1],
    freshOk: fresh.filter((answer) => answer.status === 200).length,
    freshStatuses: fresh.map((answer) => answer.status).join(' '),
    freshMedian: percentile(freshMs, 0.5),
    freshMax: freshMs[freshMs.length - 1],
    peak,
    report,
    counters: counters.filter(([, value]) => value > 0),
  };
}

const ROWS = [
  ['no flood (baseline)', undefined],
  ['10,000 half-open connections', 'halfOpen'],
  ['100 wrong-password connections', 'wrongPasswords'],
  ['the same from 100 addresses', 'wrongPasswordsSpread'],
  ['16 × 10 MiB bodies of [0,0,…]', 'tinyItems'],
  ['16 × 10 MiB NDJSON, 100k records', 'validRecords'],
  ['16 × 10 MiB NDJSON, 2k features', 'denseRecords'],
];

async function main() {
  writeConfigs();
  const chosen = values.floods?.split(',');
  const rows = [];
  for (const [name, flood] of ROWS) {
    if (flood && chosen && !chosen.includes(flood)) continue;
    rows.push(await measure(name, flood));
  }

  const f = (ms) => (ms === undefined ? '—' : `${ms.toFixed(0)} ms`);
  const base = rows[0];
  console.log(
    `bcrypt cost ${COST}; a fresh exporter per row (RSS after start-up and one scrape: ${base.startRss.toFixed(0)} MiB); ` +
      `${FRESH_USERS} uncached users per row; load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`,
  );
  const header = [
    'flood'.padEnd(34),
    'scrapes ok'.padStart(10),
    'median'.padStart(8),
    'p95'.padStart(8),
    'max'.padStart(8),
    '×base'.padStart(6),
    'uncached ok'.padStart(11),
    'median'.padStart(8),
    'max'.padStart(8),
    '×base'.padStart(6),
    'RSS peak'.padStart(9),
  ];
  console.log(header.join(' '));
  for (const row of rows) {
    const cells = [
      row.name.padEnd(34),
      `${row.ok}/${row.scrapes}`.padStart(10),
      f(row.median).padStart(8),
      f(row.p95).padStart(8),
      f(row.max).padStart(8),
      (row.median / base.median).toFixed(1).padStart(6),
      `${row.freshOk}/${FRESH_USERS}`.padStart(11),
      f(row.freshMedian).padStart(8),
      f(row.freshMax).padStart(8),
      (row.freshMedian / base.freshMedian).toFixed(1).padStart(6),
      `${row.peak.toFixed(0)} MiB`.padStart(9),
    ];
    console.log(cells.join(' '));
  }
  for (const row of rows) {
    console.log(
      `${row.name}: ${row.report}; uncached users answered ${row.freshStatuses}` +
        row.counters.map(([family, value]) => `; ${family} ${value}`).join(''),
    );
  }
}

if (!isMainThread) {
  // A flood in this worker until the main thread says stop.
  let running = true;
  parentPort.once('message', () => (running = false));
  parentPort.postMessage(await FLOODS[workerData.flood](() => running));
} else {
  await main();
}
