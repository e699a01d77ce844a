// `npm test`: installs what is missing, then runs every check and test suite and ends with one
// line "N passed, N failed" summed over all of them. Format, lint and type checks count as one
// test each; test suites count their own tests.
//   npm test                 everything
//   npm test -- exporter     only the named steps (format, lint, types, clock, or a suite folder)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDebianPackages, ensureNodeModules, ROOT } from './setup.mjs';

ensureDebianPackages();
ensureNodeModules();

/** Folders whose test/*.test.ts files run under node's test runner, in this order. */
const NODE_SUITES = ['exporter', 'rules', 'provisioning', 'grafana-plugin', 'deploy'];
/** The clock check: exporter tests (pure logic or in-process) rerun far from UTC with a moved clock. */
const CLOCK_EXPORTER_TESTS = [
  'window',
  'http-ingest',
  'metrics-contract',
  'snapshot',
  'stats-status',
  'stats-binned',
  'perf-edge-cases',
  'file-source',
];
/** UTC+14, the furthest zone ahead; the shift (about 3 years and 5 h 17 min) moves day and hour. */
const CLOCK_TZ = 'Pacific/Kiritimati';
const CLOCK_SHIFT_MS = ((3 * 365 + 123) * 24 * 3600 + 5 * 3600 + 17 * 60 + 31) * 1000 + 337;
const SHIFTED_CLOCK = join(ROOT, 'testkit', 'shifted-clock.cjs');
/**
 * Test files run side by side per suite. Most of a file's time is spent waiting on real servers
 * (scrapes, restarts, a database), and the kit's port-0 servers cannot collide, so three at a time
 * even on two cores (node's default there is one). MLMON_TEST_CONCURRENCY overrides it.
 */
const TEST_CONCURRENCY = Number(process.env.MLMON_TEST_CONCURRENCY ?? 3);
/**
 * TypeScript programs type-checked with tsc --noEmit. tsconfig.node.json holds every Node.js folder
 * (exporter, rules, provisioning, deploy, bench, testkit) in one program, so each file is checked
 * once rather than once per folder importing it; the plugin has its own compiler options.
 */
const TS_PROJECTS = { node: 'tsconfig.node.json', 'grafana-plugin': 'grafana-plugin' };

let passed = 0;
let failed = 0;
const bin = (name) => join(ROOT, 'node_modules', '.bin', name);
const only = process.argv.slice(2);
const wanted = (name) => only.length === 0 || only.includes(name);

const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

/**
 * Format, lint and type checks: single-threaded tools, so two run at a time; each one's output is
 * printed whole, in order, once it is done.
 */
async function checks(list) {
  const run = ({ name, command, args }) =>
    new Promise((resolve) => {
      const started = Date.now();
      const child = spawn(command, args, { cwd: ROOT });
      let output = '';
      child.stdout.on('data', (chunk) => (output += chunk));
      child.stderr.on('data', (chunk) => (output += chunk));
      child.on('close', (code) => resolve({ name, command, args, code, output, took: seconds(started) }));
    });
  const results = new Array(list.length);
  let next = 0;
  const worker = async () => {
    while (next < list.length) {
      const index = next++;
      results[index] = await run(list[index]);
    }
  };
  await Promise.all([worker(), worker()]);
  for (const { name, command, args, code, output, took } of results) {
    console.log(`\n== ${name}: ${[command, ...args].join(' ')}`);
    process.stdout.write(output);
    if (code === 0) passed++;
    else {
      failed++;
      console.log(`== ${name} FAILED`);
    }
    console.log(`== ${name}: ${took}`);
  }
}

function nodeSuite(folder) {
  const dir = join(ROOT, folder, 'test');
  if (!existsSync(dir)) return;
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.test.ts'))
    .sort()
    .map((f) => join(dir, f));
  if (files.length > 0) nodeTests(folder, folder, files);
}

/** Runs test files under node's test runner; adds their passes and failures to the totals. */
function nodeTests(label, folder, files, { preload = [], env = {} } = {}) {
  const tap = join(mkdtempSync(join(tmpdir(), 'mlmon-test-')), 'report.tap');
  console.log(`\n== ${label}: node --test (${files.length} files)`);
  const started = Date.now();
  const result = spawnSync(
    process.execPath,
    [
      ...preload,
      '--import',
      'tsx',
      '--test',
      `--test-concurrency=${TEST_CONCURRENCY}`,
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=tap',
      `--test-reporter-destination=${tap}`,
      ...files,
    ],
    { cwd: join(ROOT, folder), stdio: 'inherit', env: { ...process.env, ...env } },
  );
  const report = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
  const count = (key) => Number([...report.matchAll(new RegExp(`^# ${key} (\\d+)$`, 'gm'))].at(-1)?.[1] ?? 0);
  const failures = count('fail') + count('cancelled');
  passed += count('pass');
  failed += failures;
  if (result.status !== 0 && failures === 0) failed++; // the runner itself failed
  console.log(`== ${label}: ${seconds(started)}`);
}

/** Jest suites (the Grafana plugin follows @grafana/create-plugin, whose tests run on jest). */
function jestSuite(folder, { label = folder, args = [], env = {} } = {}) {
  const dir = join(ROOT, folder);
  if (!['jest.config.js', 'jest.config.cjs', 'jest.config.ts'].some((f) => existsSync(join(dir, f)))) return;
  const out = join(mkdtempSync(join(tmpdir(), 'mlmon-jest-')), 'results.json');
  console.log(`\n== ${label}: jest ${args.join(' ')}`);
  const started = Date.now();
  const result = spawnSync(bin('jest'), ['--ci', '--json', `--outputFile=${out}`, ...args], {
    cwd: dir,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  const summary = existsSync(out) ? JSON.parse(readFileSync(out, 'utf8')) : { numPassedTests: 0, numFailedTests: 0 };
  passed += summary.numPassedTests;
  failed += summary.numFailedTests + (summary.numRuntimeErrorTestSuites ?? 0);
  if (result.status !== 0 && summary.numFailedTests === 0 && !summary.numRuntimeErrorTestSuites) failed++;
  console.log(`== ${label}: ${seconds(started)}`);
}

const staticChecks = [];
if (wanted('format')) staticChecks.push({ name: 'format', command: bin('prettier'), args: ['--check', '.'] });
if (wanted('lint')) staticChecks.push({ name: 'lint', command: bin('eslint'), args: ['.'] });
if (wanted('types')) {
  for (const [name, project] of Object.entries(TS_PROJECTS))
    staticChecks.push({ name: `types ${name}`, command: bin('tsc'), args: ['--noEmit', '-p', project] });
}
await checks(staticChecks);
for (const folder of NODE_SUITES) {
  if (wanted(folder)) {
    jestSuite(folder);
    nodeSuite(folder);
  }
}

// The clock check: pure-logic tests again with the clock moved, so a test that holds a literal
// date or assumes a day, hour or time zone fails today rather than on the day it ages out.
if (wanted('clock')) {
  const env = { TZ: CLOCK_TZ, MLMON_CLOCK_SHIFT_MS: String(CLOCK_SHIFT_MS) };
  console.log(`\n== clock: TZ=${CLOCK_TZ}, Date.now() moved ${CLOCK_SHIFT_MS} ms`);
  const files = CLOCK_EXPORTER_TESTS.map((name) => join(ROOT, 'exporter', 'test', `${name}.test.ts`));
  nodeTests('clock exporter', 'exporter', files, { preload: ['--require', SHIFTED_CLOCK], env });
  jestSuite('grafana-plugin', { label: 'clock grafana-plugin', args: ['src/data'], env });
}

console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
