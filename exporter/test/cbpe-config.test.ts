// performance.estimation in the config: what a user gets wrong is named, with the model and key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../src/config/load.ts';
import type { Calibration } from '../src/performance/cbpe-calibration.ts';
import { loadCalibration as loadAny } from '../src/performance/cbpe-load.ts';
import { isMulticlass } from '../src/performance/cbpe-multiclass-calibration.ts';
import { buildModels } from '../src/startup.ts';
import { CBPE_REFERENCE } from './helpers/cbpe-golden.ts';
import { CBPE_MULTICLASS_REFERENCE } from './helpers/cbpe-multiclass-golden.ts';

/** These models are binary: their calibration is one map. */
const loadCalibration = async (...args: Parameters<typeof loadAny>) => {
  const calibration = await loadAny(...args);
  assert.ok(!isMulticlass(calibration));
  return calibration as Calibration | undefined;
};

const modelWith = (performance: string) =>
  parseConfig(
    `models:\n  - name: m\n    reference: { path: ${CBPE_REFERENCE} }\n    prediction: { name: score }\n    performance: ${performance}\n`,
  ).models[0];

test('a binary model with a labelled reference gets a calibration; without estimation none', async () => {
  const calibration = await loadCalibration(
    modelWith(`{ positive_class: '1', threshold: 0.5, estimation: { reference: { path: ${CBPE_REFERENCE} } } }`),
  );
  assert.ok(calibration && calibration.x.length > 10 && calibration.rows === 5000);
  assert.equal(await loadCalibration(modelWith(`{ positive_class: '1', threshold: 0.5 }`)), undefined);
});

test('estimation without a positive class, a score column or the named columns is refused by name', async () => {
  const reference = `{ reference: { path: ${CBPE_REFERENCE} }`;
  await assert.rejects(
    loadCalibration(modelWith(`{ estimation: ${reference} } }`)),
    /models\.m\.performance\.estimation: estimation needs performance\.positive_class/,
  );
  await assert.rejects(
    loadCalibration(modelWith(`{ positive_class: '1', estimation: ${reference} } }`)),
    /models\.m\.performance\.estimation\.score: name the column/,
  );
  await assert.rejects(
    loadCalibration(modelWith(`{ positive_class: '1', threshold: 0.5, estimation: ${reference}, label: outcome } }`)),
    /has no label column "outcome"/,
  );
  assert.throws(
    () => modelWith(`{ positive_class: '1', estimation: ${reference}, lable: y } }`),
    /performance\.estimation.*lable/,
  );
});

test('a reference with no usable row is refused; rows without a score or label are skipped', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cbpe-'));
  const empty = join(dir, 'empty.csv');
  writeFileSync(empty, 'score,label\nNA,1\n0.4,\n');
  await assert.rejects(
    loadCalibration(
      modelWith(`{ positive_class: '1', threshold: 0.5, estimation: { reference: { path: ${empty} } } }`),
    ),
    /no row with a score and a label/,
  );
  const some = join(dir, 'some.csv');
  writeFileSync(some, 'score,label\nNA,1\n0.2,1\n0.8,1\n0.6,0\n');
  const calibration = await loadCalibration(
    modelWith(`{ positive_class: '1', threshold: 0.5, estimation: { reference: { path: ${some} } } }`),
  );
  assert.equal(calibration?.rows, 3);
  assert.deepEqual([...calibration!.y], [0.5, 0.5, 1]); // scikit-learn's y_thresholds_
});

test('a reload keeps the estimation windows while the labelled reference is the same, refits when it changed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cbpe-reload-'));
  const labelled = join(dir, 'labelled.csv');
  writeFileSync(labelled, 'score,label\n0.2,0\n0.4,1\n0.6,0\n0.8,1\n');
  const config = parseConfig(
    `models:\n  - name: m\n    reference: { path: ${CBPE_REFERENCE} }\n    prediction: { name: score }\n` +
      `    performance: { positive_class: '1', threshold: 0.5, estimation: { reference: { path: ${labelled} } } }\n`,
  );
  const first = await buildModels(config);
  const again = await buildModels(config, first);
  assert.equal(again.get('m'), first.get('m'));
  writeFileSync(labelled, 'score,label\n0.2,0\n0.4,0\n0.6,1\n0.8,1\n');
  const refitted = await buildModels(config, again);
  assert.notEqual(refitted.get('m'), first.get('m'));
  const calibration = refitted.get('m')!.estimation!.calibration;
  assert.ok(!isMulticlass(calibration));
  assert.deepEqual([...calibration.y], [0, 0, 1, 1]);
});

test("a multiclass model names each class's score column; a missing column or a binary model's scores is refused", async () => {
  const multiclass = (estimation: string, performance = '') =>
    parseConfig(
      `models:\n  - name: m\n    reference: { path: ${CBPE_MULTICLASS_REFERENCE} }\n    prediction: { name: prediction }\n` +
        `    performance: { ${performance}estimation: { reference: { path: ${CBPE_MULTICLASS_REFERENCE} }, ${estimation} } }\n`,
    ).models[0];
  const calibration = await loadAny(multiclass('scores: { a: score_a, b: score_b, c: score_c }'));
  assert.ok(isMulticlass(calibration));
  assert.deepEqual(calibration.classes, ['a', 'b', 'c']);
  assert.ok(calibration.maps.every((map) => map.rows === 6000));
  await assert.rejects(
    loadAny(multiclass('scores: { a: score_a, b: p_b }')),
    /models\.m\.performance\.estimation\.scores\.b: .* has no score column "p_b"/,
  );
  await assert.rejects(
    loadAny(multiclass('scores: { a: score_a, b: score_b }', 'positive_class: a, ')),
    /models\.m\.performance\.estimation\.scores: for a multiclass model/,
  );
});
