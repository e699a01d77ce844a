// The npm package as a user gets it: `npm pack` (its prepack builds dist/), the tarball installed
// into an empty folder outside the repository, and its two programs run there with npx. No
// TypeScript sources and no tsx reach that folder, so what runs is the built JavaScript.
// The install uses --prefer-offline: the dependencies come from the npm cache `npm ci` filled
// (the registry is asked only for what the cache lacks, as on a fresh CI machine).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const EXPORTER_DIR = fileURLToPath(new URL('..', import.meta.url));
const FIXTURES = join(EXPORTER_DIR, 'test/fixtures');
const dirs: string[] = [];
let app: string;
let packed: { filename: string; files: { path: string }[] };

/** npm without the settings of an enclosing `npm test` or workspace run. */
function npm(args: string[], cwd: string) {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^npm_(config_|package_|lifecycle_)/i.test(k)),
  );
  const result = spawnSync('npm', args, { cwd, env, encoding: 'utf8', timeout: 300_000 });
  return { status: result.status, stdout: result.stdout ?? '', output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

before(() => {
  const out = mkdtempSync(join(tmpdir(), 'mlmon-pack-'));
  app = mkdtempSync(join(tmpdir(), 'mlmon-app-'));
  dirs.push(out, app);
  const pack = npm(['pack', '--json', '--pack-destination', out], EXPORTER_DIR);
  assert.equal(pack.status, 0, pack.output);
  // npm prints the prepack script's output before the JSON.
  packed = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('[')))[0];
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'trying-mlmon', private: true }));
  const install = npm(
    ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', join(out, packed.filename)],
    app,
  );
  assert.equal(install.status, 0, install.output);
  copyFileSync(join(FIXTURES, 'reference.csv'), join(app, 'reference.csv'));
  copyFileSync(join(FIXTURES, 'current.csv'), join(app, 'current.csv'));
});

after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const npx = (args: string[]) => {
  const result = spawnSync('npx', ['--no', '--', ...args], { cwd: app, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, output: `${result.stdout}${result.stderr}` };
};

test('the tarball holds the built JavaScript with source maps and the bins, not the sources or tests', () => {
  const files = packed.files.map((f) => f.path).sort();
  for (const f of ['dist/exporter.js', 'dist/exporter.js.map', 'dist/mlmon.js', 'dist/mlmon.js.map'])
    assert.ok(files.includes(f), f);
  for (const f of ['bin/mlmon.mjs', 'bin/mlmon-exporter.mjs', 'bin/run.mjs', 'package.json'])
    assert.ok(files.includes(f), f);
  assert.deepEqual(
    files.filter((f) => /^(src|test)\//.test(f) || f.endsWith('.ts')),
    [],
  );
  const manifest = JSON.parse(readFileSync(join(app, 'node_modules/mlmon/package.json'), 'utf8'));
  assert.equal(manifest.private, undefined, 'publishable');
  assert.equal(manifest.dependencies.tsx, undefined, 'tsx is a dev tool');
});

test('installed into an empty folder: no tsx, no TypeScript sources', () => {
  assert.ok(!existsSync(join(app, 'node_modules/tsx')), 'tsx was installed');
  assert.ok(!existsSync(join(app, 'node_modules/mlmon/src')));
  assert.ok(
    existsSync(join(app, 'node_modules/.bin/mlmon')) && existsSync(join(app, 'node_modules/.bin/mlmon-exporter')),
  );
});

test('npx mlmon-exporter --version runs the built exporter', () => {
  const { status, output } = npx(['mlmon-exporter', '--version']);
  assert.equal(status, 0, output);
  const version = JSON.parse(readFileSync(join(EXPORTER_DIR, 'package.json'), 'utf8')).version;
  assert.match(output, new RegExp(`^mlmon-exporter ${version.replaceAll('.', '\\.')} \\(revision \\S+, node v\\d+`));
});

test('npx mlmon --help and mlmon-exporter --help answer from the built chunks', () => {
  const cli = npx(['mlmon', '--help']);
  assert.equal(cli.status, 0, cli.output);
  assert.match(cli.stdout, /^usage: mlmon <command>/);
  const exporter = npx(['mlmon-exporter', '--help']);
  assert.equal(exporter.status, 0, exporter.output);
  assert.match(exporter.stdout, /^usage: mlmon-exporter/);
  // Code split into chunks, each with its source map.
  const chunks = packed.files.map((f) => f.path).filter((f) => /^dist\/.+\.js$/.test(f));
  assert.ok(chunks.length > 2, chunks.join(' '));
  for (const chunk of chunks) assert.ok(existsSync(join(app, 'node_modules/mlmon', `${chunk}.map`)), `${chunk}.map`);
});

test("npx mlmon drift gives the built CLI's answer, the same as the sources'", () => {
  const args = ['drift', '--reference', 'reference.csv', '--current', 'current.csv', '--min-samples', '100', '--json'];
  const built = npx(['mlmon', ...args]);
  const sources = spawnSync(process.execPath, [join(EXPORTER_DIR, 'scripts/dev-mlmon.mjs'), ...args], {
    cwd: app,
    encoding: 'utf8',
  });
  // The fixtures drift (exit status 1: dataset drift).
  assert.equal(built.status, 1, built.output);
  const report = JSON.parse(built.stdout);
  assert.equal(report.dataset_drift, true);
  assert.deepEqual(Object.keys(report.features).sort(), ['color', 'level', 'x']);
  assert.equal(sources.status, 1, sources.stderr);
  assert.deepEqual(report, JSON.parse(sources.stdout));
});
