// `mlmon drift` output for people and CI: the prediction row in the table and the Markdown
// report, the warnings when predictions cannot be compared, --format, and no progress output
// off a terminal. The formatters on their own, then the real CLI on files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { formatMarkdown, formatTable, type DriftSummary } from '../src/cli/format-table.ts';
import { progress } from '../src/cli/progress.ts';
import type { FeatureReport } from '../src/report/feature-report.ts';

const MLMON = fileURLToPath(new URL('../scripts/dev-mlmon.mjs', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'mlmon-cli-report-'));
const mlmon = (...args: string[]) => {
  const r = spawnSync(process.execPath, [MLMON, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

const report = (psi: number, status: string) => ({ type: 'numeric', status, n_current: 1200, psi }) as FeatureReport;
const summary: DriftSummary = {
  features: { age: report(0.05, 'stable'), 'a|b': report(0.31, 'drift') },
  prediction: { name: 'score', report: report(0.27, 'drift') },
  share: 0.5,
  datasetDrift: true,
};

test('the table ends its rows with the prediction, labelled, and the verdict', () => {
  const lines = formatTable(summary).split('\n');
  assert.match(lines[0], /^feature\s+type\s+status/);
  assert.match(lines[3], /^score \(prediction\)\s+numeric\s+drift\s+1200\s+0\.2700/);
  assert.equal(lines.at(-1), 'drifted features: 50.0 % -> DATASET DRIFT');
  assert.ok(!formatTable({ ...summary, prediction: undefined }).includes('(prediction)'));
});

test('the Markdown report: verdict heading, files, a table with escaped cells and the prediction row', () => {
  const md = formatMarkdown(summary, { reference: 'train.csv', current: 'today.csv' });
  const lines = md.split('\n');
  assert.equal(lines[0], '### mlmon drift: **dataset drift**');
  assert.equal(lines[2], '`today.csv` against `train.csv`: Drifted features: 50.0 % -> DATASET DRIFT.');
  assert.match(lines[4], /^\| feature \| type \| status \| n_cur \| psi \|/);
  assert.match(lines[5], /^\| --- \| ---: \| ---: \|/);
  assert.match(md, /^\| a\\\|b \| numeric \| drift \| 1200 \| 0\.3100 \|/m);
  assert.match(md, /^\| score \(prediction\) \| numeric \| drift \|/m);
  // Every table row has as many cells as the header.
  const cells = (l: string) => l.split(/(?<!\\)\|/).length;
  for (const l of lines.filter((l) => l.startsWith('|'))) assert.equal(cells(l), cells(lines[4]), l);
});

test('progress is silent off a terminal and rewrites one line on a terminal', () => {
  const pipe = Object.assign(new PassThrough(), { isTTY: false }) as unknown as NodeJS.WriteStream;
  let written = '';
  (pipe as unknown as PassThrough).on('data', (c) => (written += c));
  const off = progress(pipe);
  off.phase('reading x');
  off.done();
  assert.equal(written, '');
  const tty = Object.assign(new PassThrough(), { isTTY: true }) as unknown as NodeJS.WriteStream;
  (tty as unknown as PassThrough).on('data', (c) => (written += c));
  const on = progress(tty);
  on.phase('reading big.csv');
  on.done();
  const erase = '\r\u001b[2K';
  assert.equal(written, `${erase}reading big.csv (0 s)${erase}`);
});

// A classifier's data: the score column drifts in the current file, the features do not.
function files() {
  const rows = (shift: number) =>
    [
      'age,income,prediction',
      ...Array.from({ length: 400 }, (_, i) => `${20 + (i % 40)},${1000 + (i % 97)},${(i % 10) / 10 + shift}`),
    ].join('\n');
  writeFileSync(join(tmp, 'ref.csv'), rows(0));
  writeFileSync(join(tmp, 'cur.csv'), rows(0.5));
}

/** `mlmon drift` of cur.csv against `reference`, comparing the prediction column too. */
const driftArgs = (reference: string) => [
  'drift',
  '--reference',
  join(tmp, reference),
  '--current',
  join(tmp, 'cur.csv'),
  '--prediction',
  'prediction',
  '--min-samples',
  '100',
];

test('drift --prediction: the prediction row in the table, JSON and Markdown alike', () => {
  files();
  const args = driftArgs('ref.csv');
  const table = mlmon(...args);
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /^prediction \(prediction\)\s+numeric\s+drift/m);
  const json = JSON.parse(mlmon(...args, '--json').stdout);
  assert.equal(json.prediction.status, 'drift');
  const md = mlmon(...args, '--format', 'markdown');
  assert.equal(md.code, 0);
  assert.match(md.stdout, /^### mlmon drift: no dataset drift$/m);
  assert.match(md.stdout, /^\| prediction \(prediction\) \| numeric \| drift \|/m);
  assert.equal(md.stderr, '', 'no progress or warning off a terminal');
  const bad = mlmon(...args, '--format', 'html');
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--format: "html" is not one of table, json, markdown/);
});

test('a profile made without --prediction warns when made, and drift --prediction warns it cannot compare', () => {
  files();
  const profile = mlmon('profile', '--reference', join(tmp, 'ref.csv'), '--out', join(tmp, 'p.json'));
  assert.equal(profile.code, 0, profile.stderr);
  assert.match(profile.stderr, /has a prediction column, left out of the profile; add --prediction prediction/);
  const drift = mlmon(...driftArgs('p.json'));
  assert.equal(drift.code, 0, drift.stderr);
  assert.match(
    drift.stderr,
    /warning: the reference .*p\.json has no prediction .*the prediction column prediction is not compared/,
  );
  assert.ok(!drift.stdout.includes('(prediction)'));
  const withPrediction = mlmon(
    'profile',
    '--reference',
    join(tmp, 'ref.csv'),
    '--out',
    join(tmp, 'p2.json'),
    '--prediction',
    'prediction',
  );
  assert.equal(withPrediction.stderr, '');
});
