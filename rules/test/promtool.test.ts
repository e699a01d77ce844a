// promtool on the rule files: `check rules` clean and every unit-test file passing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { RULES_DIR, run } from '../../testkit/index.ts';

test('promtool check rules: alerts.yml and recording.yml are valid and lint-clean', () => {
  const { status, output } = run(
    'promtool',
    ['check', 'rules', '--lint=all', '--lint-fatal', 'alerts.yml', 'recording.yml'],
    RULES_DIR,
  );
  assert.equal(status, 0, output);
  assert.match(output, /SUCCESS: 30 rules found/);
  assert.match(output, /SUCCESS: 16 rules found/);
});

const unitTests = readdirSync(join(RULES_DIR, 'test')).filter((f) => f.endsWith('.test.yml'));

test('there are promtool unit-test files', () => {
  assert.deepEqual(unitTests.sort(), [
    'alerts-long.test.yml',
    'alerts.test.yml',
    'drift-cause.test.yml',
    'recording.test.yml',
    'segments.test.yml',
  ]);
});

for (const file of unitTests) {
  test(`promtool test rules ${file}`, () => {
    const { status, output } = run('promtool', ['test', 'rules', join('test', file)], RULES_DIR);
    assert.equal(status, 0, output);
    assert.match(output, /SUCCESS/);
  });
}
