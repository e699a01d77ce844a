import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  driftShare,
  featureStatus,
  isDatasetDrift,
  missingRatio,
  newCategoryRatio,
  outOfRangeRatio,
} from '../src/stats/index.ts';
import type { DriftStatistic } from '../src/stats/index.ts';

const opts = (statistic: DriftStatistic, threshold: number) => ({
  statistic,
  threshold,
  minSamples: 1000,
});

test('PSI status bands: <= 0.1 stable, (0.1, threshold] investigate, above drift', () => {
  const o = opts('psi', 0.2);
  assert.equal(featureStatus(0.05, 5000, o), 'stable');
  assert.equal(featureStatus(0.1, 5000, o), 'stable');
  assert.equal(featureStatus(0.15, 5000, o), 'investigate');
  assert.equal(featureStatus(0.2, 5000, o), 'investigate');
  assert.equal(featureStatus(0.21, 5000, o), 'drift');
});

test('JS and normalised Wasserstein: investigate above half the threshold', () => {
  for (const s of ['jensen_shannon', 'wasserstein_normalized'] as const) {
    const o = opts(s, 0.1);
    assert.equal(featureStatus(0.04, 5000, o), 'stable');
    assert.equal(featureStatus(0.06, 5000, o), 'investigate');
    assert.equal(featureStatus(0.11, 5000, o), 'drift');
  }
});

test('KS p-value: drift below the threshold, investigate below twice it', () => {
  const o = opts('ks_pvalue', 0.05);
  assert.equal(featureStatus(0.01, 5000, o), 'drift');
  assert.equal(featureStatus(0.07, 5000, o), 'investigate');
  assert.equal(featureStatus(0.1, 5000, o), 'stable');
  assert.equal(featureStatus(0.5, 5000, o), 'stable');
});

test('too few samples or no statistic is insufficient_data, never stable', () => {
  const o = opts('psi', 0.2);
  assert.equal(featureStatus(0.9, 999, o), 'insufficient_data');
  assert.equal(featureStatus(0.9, 0, o), 'insufficient_data');
  assert.equal(featureStatus(NaN, 5000, o), 'insufficient_data');
  assert.equal(featureStatus(undefined, 5000, o), 'insufficient_data');
  assert.equal(featureStatus(0.01, 1000, o), 'stable');
});

test('drift share counts only features with enough data', () => {
  assert.equal(driftShare(['drift', 'stable', 'investigate', 'insufficient_data']), 1 / 3);
  assert.ok(Number.isNaN(driftShare(['insufficient_data'])));
  assert.ok(Number.isNaN(driftShare([])));
  assert.equal(isDatasetDrift(0.3, 0.3), true);
  assert.equal(isDatasetDrift(0.29, 0.3), false);
  assert.equal(isDatasetDrift(NaN, 0.3), false);
});

test('ratios are NaN on an empty denominator', () => {
  assert.equal(missingRatio(3, 12), 0.25);
  assert.ok(Number.isNaN(missingRatio(0, 0)));
  assert.equal(outOfRangeRatio(1, 4), 0.25);
  assert.ok(Number.isNaN(outOfRangeRatio(0, 0)));
  assert.equal(newCategoryRatio(2, 8), 0.25);
  assert.ok(Number.isNaN(newCategoryRatio(0, 0)));
});
