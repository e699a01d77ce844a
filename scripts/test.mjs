// `npm test`: installs what is missing, then runs every check and test suite and ends with one
// line "N passed, N failed" summed over all of them. Lint, format and type checks count as one
// test each; test files count their own tests.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDebianPackages, ensureNodeModules, ROOT } from './setup.mjs';

ensureDebianPackages();
ensureNodeModules();

let passed = 0;
let failed = 0;
const bin = (name) => join(ROOT, 'node_modules', '.bin', name);

function check(name, command, args) {
  console.log(`\n== ${name}: ${[command, ...args].join(' ')}`);
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit' });
  if (result.status === 0) passed++;
  else {
    failed++;
    console.log(`== ${name} FAILED`);
  }
}

function nodeTests(workspace) {
  const dir = join(ROOT, workspace, 'test');
  const files = readdirSync(dir).filter((f) => f.endsWith('.test.ts')).sort().map((f) => join(dir, f));
  const tap = join(mkdtempSync(join(tmpdir(), 'mlmon-test-')), 'report.tap');
  console.log(`\n== ${workspace}: node --test (${files.length} files)`);
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-reporter-destination=stdout',
      '--test-reporter=tap', `--test-reporter-destination=${tap}`, ...files],
    { cwd: join(ROOT, workspace), stdio: 'inherit' },
  );
  const report = readFileSync(tap, 'utf8');
  const count = (key) => Number([...report.matchAll(new RegExp(`^# ${key} (\\d+)$`, 'gm'))].at(-1)?.[1] ?? 0);
  const p = count('pass');
  const f = count('fail') + count('cancelled');
  passed += p;
  failed += f;
  if (result.status !== 0 && f === 0) failed++; // the runner itself failed
}

const only = process.argv.slice(2);
const wanted = (name) => only.length === 0 || only.includes(name);
if (wanted('format')) check('format', bin('prettier'), ['--check', '.']);
if (wanted('lint')) check('lint', bin('eslint'), ['.']);
if (wanted('types')) check('types', bin('tsc'), ['--noEmit', '-p', 'exporter']);
if (wanted('exporter')) nodeTests('exporter');

console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
