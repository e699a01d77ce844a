// --log.level and --log.format: the line formats on their own, the level filter through console,
// and the exporter process writing its start-up lines as JSON.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseExporterFlags, UsageError } from '../src/flags.ts';
import { formatLine, installLogging } from '../src/log.ts';

const at = new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6));

test('logfmt: bare values stay bare; spaces, quotes, = and line breaks are quoted and escaped', () => {
  assert.equal(formatLine('info', 'ready', 'logfmt', at), 'ts=2026-01-02T03:04:05.006Z level=info msg=ready');
  assert.equal(
    formatLine('error', 'model "m": a=b\nnext \\ line', 'logfmt', at),
    'ts=2026-01-02T03:04:05.006Z level=error msg="model \\"m\\": a=b\\nnext \\\\ line"',
  );
  assert.equal(formatLine('warn', '', 'logfmt', at), 'ts=2026-01-02T03:04:05.006Z level=warn msg=""');
});

test('json: one object per line with ts, level and msg', () => {
  const line = formatLine('warn', 'a "quoted"\nmessage', 'json', at);
  assert.ok(!line.includes('\n'));
  assert.deepEqual(JSON.parse(line), { ts: '2026-01-02T03:04:05.006Z', level: 'warn', msg: 'a "quoted"\nmessage' });
});

test('the level filter drops lower levels; each level keeps its stream; console is restored', () => {
  const lines: [string, string][] = [];
  const restore = installLogging(
    { level: 'warn', format: 'json' },
    { stdout: (l) => lines.push(['stdout', l]), stderr: (l) => lines.push(['stderr', l]) },
  );
  try {
    console.debug('d');
    console.log('i %d', 1);
    console.warn('w');
    console.error('e', { x: 1 });
  } finally {
    restore();
  }
  assert.deepEqual(
    lines.map(([stream, l]) => [stream, JSON.parse(l).level, JSON.parse(l).msg]),
    [
      ['stderr', 'warn', 'w'],
      ['stderr', 'error', 'e { x: 1 }'],
    ],
  );
});

test('--log.level and --log.format take the documented values and refuse others by name', () => {
  assert.deepEqual(parseExporterFlags([]).log, { level: 'info', format: 'logfmt' });
  assert.deepEqual(parseExporterFlags(['--log.level=debug', '--log.format=json']).log, {
    level: 'debug',
    format: 'json',
  });
  assert.throws(
    () => parseExporterFlags(['--log.level=verbose']),
    (e) => e instanceof UsageError && /--log\.level: "verbose" is not one of debug, info, warn, error/.test(e.message),
  );
  assert.throws(() => parseExporterFlags(['--log.format=text']), /--log\.format: "text" is not one of logfmt, json/);
});

test('the exporter logs its start as JSON lines with --log.format=json', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mlmon-log-'));
  const child = spawn(
    process.execPath,
    [
      fileURLToPath(new URL('../scripts/dev-mlmon-exporter.mjs', import.meta.url)),
      '--web.listen-address=127.0.0.1:0',
      `--storage.path=${dir}`,
      '--log.format=json',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
        if (stdout.includes('metrics at')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`exited ${code}: ${stdout}`)));
    });
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
  const lines = stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.ok(lines.every((l) => l.level === 'info' && typeof l.ts === 'string'));
  assert.ok(
    lines.some((l) => /^metrics at http:\/\/127\.0\.0\.1:\d+\/metrics$/.test(l.msg)),
    stdout,
  );
});
