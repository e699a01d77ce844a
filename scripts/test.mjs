// `npm test`: installs what is missing, then runs every check and test suite and ends with one
// line "N passed, N failed" summed over all of them. Format, lint and type checks count as one
// test each; test suites count their own tests.
//   npm test                 everything
//   npm test -- exporter     only the named steps (format, lint, types, or a suite folder)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDebianPackages, ensureNodeModules, ROOT } from './setup.mjs';

ensureDebianPackages();
ensureNodeModules();

/** Folders whose test/*.test.ts files run under node's test runner, in this order. */
const NODE_SUITES = ['exporter', 'rules', 'provisioning', 'grafana-plugin', 'deploy'];
/** TypeScript projects type-checked with tsc --noEmit. */
const TS_PROJECTS = ['testkit', 'exporter', 'grafana-plugin', 'rules', 'provisioning', 'deploy'];

let passed = 0;
let failed = 0;
const bin = (name) => join(ROOT, 'node_modules', '.bin', name);
const only = process.argv.slice(2);
const wanted = (name) => only.length === 0 || only.includes(name);

function check(name, command, args, cwd = ROOT) {
  console.log(`\n== ${name}: ${[command, ...args].join(' ')}`);
  const result = spawnSync(command, args, { cwd, stdio: 'inherit' });
  if (result.status === 0) passed++;
  else {
    failed++;
    console.log(`== ${name} FAILED`);
  }
}

function nodeSuite(folder) {
  const dir = join(ROOT, folder, 'test');
  if (!existsSync(dir)) return;
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.test.ts'))
    .sort()
    .map((f) => join(dir, f));
  if (files.length === 0) return;
  const tap = join(mkdtempSync(join(tmpdir(), 'mlmon-test-')), 'report.tap');
  console.log(`\n== ${folder}: node --test (${files.length} files)`);
  const result = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--test',
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=tap',
      `--test-reporter-destination=${tap}`,
      ...files,
    ],
    { cwd: join(ROOT, folder), stdio: 'inherit' },
  );
  const report = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
  const count = (key) => Number([...report.matchAll(new RegExp(`^# ${key} (\\d+)$`, 'gm'))].at(-1)?.[1] ?? 0);
  const failures = count('fail') + count('cancelled');
  passed += count('pass');
  failed += failures;
  if (result.status !== 0 && failures === 0) failed++; // the runner itself failed
}

/** Jest suites (the Grafana plugin follows @grafana/create-plugin, whose tests run on jest). */
function jestSuite(folder) {
  const dir = join(ROOT, folder);
  if (!['jest.config.js', 'jest.config.cjs', 'jest.config.ts'].some((f) => existsSync(join(dir, f)))) return;
  const out = join(mkdtempSync(join(tmpdir(), 'mlmon-jest-')), 'results.json');
  console.log(`\n== ${folder}: jest`);
  const result = spawnSync(bin('jest'), ['--ci', '--json', `--outputFile=${out}`], { cwd: dir, stdio: 'inherit' });
  const summary = existsSync(out) ? JSON.parse(readFileSync(out, 'utf8')) : { numPassedTests: 0, numFailedTests: 0 };
  passed += summary.numPassedTests;
  failed += summary.numFailedTests + (summary.numRuntimeErrorTestSuites ?? 0);
  if (result.status !== 0 && summary.numFailedTests === 0 && !summary.numRuntimeErrorTestSuites) failed++;
}

if (wanted('format')) check('format', bin('prettier'), ['--check', '.']);
if (wanted('lint')) check('lint', bin('eslint'), ['.']);
if (wanted('types')) {
  for (const project of TS_PROJECTS) {
    if (existsSync(join(ROOT, project, 'tsconfig.json')))
      check(`types ${project}`, bin('tsc'), ['--noEmit', '-p', project]);
  }
}
for (const folder of NODE_SUITES) {
  if (wanted(folder)) {
    jestSuite(folder);
    nodeSuite(folder);
  }
}

console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
