// A multiclass model's estimation sums survive a snapshot and its restore: the estimates after the
// restore are those before, and sums counted on other per-class maps are not restored.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '../src/config/load.ts';
import { renderMetrics } from '../src/metrics/collect.ts';
import { restoreSnapshot, SNAPSHOT_FILE } from '../src/snapshot/restore.ts';
import { writeStreamedSnapshot } from '../src/snapshot/stream.ts';
import { fileSystemIo } from '../src/snapshot/write.ts';
import { startState } from '../src/startup.ts';
import type { Exporter } from '../src/exporter.ts';
import { tempDir } from '../../testkit/index.ts';
import { CBPE_MULTICLASS_REFERENCE, cbpeMulticlassGolden as golden } from './helpers/cbpe-multiclass-golden.ts';

const window = golden.windows[3];
const configOf = (labelled: string) =>
  parseConfig(`models:
  - name: m
    reference: { path: ${CBPE_MULTICLASS_REFERENCE} }
    features: [{ name: x1 }, { name: x2 }]
    prediction: { name: prediction }
    windows: [1h]
    performance:
      estimation: { reference: { path: ${labelled} }, scores: { a: score_a, b: score_b, c: score_c } }
`);

/** The snapshot file the exporter writes of `models`, in `dir`. */
async function snapshotOf(models: Exporter['models'], dir: string): Promise<Buffer> {
  const path = join(dir, SNAPSHOT_FILE);
  await writeStreamedSnapshot(path, models, [], fileSystemIo);
  return readFileSync(path);
}

const estimatedLines = (state: Exporter) =>
  renderMetrics(state)
    .split('\n')
    .filter((line) => line.startsWith('mlmon_performance_estimated_'));

test('multiclass estimation sums are restored onto the same maps, and not onto others', async () => {
  const dir = tempDir('cbpe-multiclass-snapshot');
  const labelled = join(dir, 'labelled.csv');
  const lines = readFileSync(CBPE_MULTICLASS_REFERENCE, 'utf8').trim().split('\n');
  writeFileSync(labelled, lines.join('\n') + '\n');
  const { state: writer } = await startState(configOf(labelled));
  const now = Date.now();
  window.scores.forEach((row, r) =>
    writer.models.get('m')!.record(
      {
        model: 'm',
        features: { x1: window.x[r][0], x2: window.x[r][1] },
        prediction: window.predictions[r],
        scores: { a: row[0], b: row[1], c: row[2] },
        timestampMs: now - 1000,
      },
      now,
    ),
  );
  const before = estimatedLines(writer);
  assert.ok(before.includes(`mlmon_performance_estimated_samples{model="m",window="1h"} ${window.scores.length}`));
  const file = await snapshotOf(writer.models, dir);

  const { state } = await startState(configOf(labelled));
  assert.deepEqual(restoreSnapshot(file, state.models).failures, []);
  assert.deepEqual(estimatedLines(state), before);

  writeFileSync(labelled, lines.slice(0, -500).join('\n') + '\n'); // same path, other maps
  const { state: refitted } = await startState(configOf(labelled));
  const report = restoreSnapshot(file, refitted.models);
  assert.deepEqual(
    report.failures.map((f) => [f.model, f.reason]),
    [['m', 'calibration']],
  );
  assert.ok(estimatedLines(refitted).includes('mlmon_performance_estimated_samples{model="m",window="1h"} 0'));
});
