// Calibrated drift thresholds on stationary data: reference and windows drawn from one
// distribution, so every alarm is a false alarm and their share must match the configured budget.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CalibratedThresholds } from '../src/calibration/calibrated-thresholds.ts';
import { perFeatureRate } from '../src/calibration/family-correction.ts';
import { binomial } from '../src/calibration/multinomial.ts';
import { buildFeatureProfile, DEFAULT_SETTINGS } from '../src/profile/build.ts';
import type { FeatureProfile } from '../src/profile/types.ts';
import { compareFeature } from '../src/report/compare.ts';
import { currentFromValues } from '../src/report/current-from-values.ts';
import { driftOptions } from '../src/report/drift-options.ts';
import { Random } from '../src/util/random.ts';

const CATEGORIES = [
  ['a', 0.55],
  ['b', 0.25],
  ['c', 0.12],
  ['d', 0.05],
  ['e', 0.03],
] as const;

/** One numeric feature (standard normal) and one skewed categorical feature, with their generators. */
function features(random: Random, referenceSize: number) {
  const draw: Record<'x' | 'y' | 'c', () => number | string> = {
    x: () => random.normal(),
    y: () => random.normal(5, 2),
    c: () => random.pick(CATEGORIES),
  };
  const sample = (name: keyof typeof draw, n: number) => Array.from({ length: n }, () => draw[name]());
  const profiles: Record<keyof typeof draw, FeatureProfile> = {
    x: buildFeatureProfile(sample('x', referenceSize), 'numeric', DEFAULT_SETTINGS),
    y: buildFeatureProfile(sample('y', referenceSize), 'numeric', DEFAULT_SETTINGS),
    c: buildFeatureProfile(sample('c', referenceSize), 'categorical', DEFAULT_SETTINGS),
  };
  return { sample, profiles };
}

/** Windows of varied sizes (so several size buckets and the rescaling within them are exercised). */
const WINDOW_SIZES = [1000, 1300, 2500];

function falseAlarms(statistic: 'psi' | 'jensen_shannon', rate: number, windows: number, correction: 'none' | 'sidak') {
  const random = new Random(20261202);
  const { sample, profiles } = features(random, 20_000);
  const names = Object.keys(profiles) as (keyof typeof profiles)[];
  const base = driftOptions(statistic, undefined, 500);
  const thresholds = new CalibratedThresholds({
    statistic,
    falseAlarmRate: rate,
    correction,
    features: names.length,
    minSamples: base.minSamples,
  });
  let featureAlarms = 0;
  let windowAlarms = 0;
  for (let w = 0; w < windows; w++) {
    const n = WINDOW_SIZES[w % WINDOW_SIZES.length];
    let any = false;
    for (const name of names) {
      const profile = profiles[name];
      const current = currentFromValues(profile, sample(name, n));
      const options = thresholds.options(base, profile, current.present, { count: profile.count });
      assert.ok(typeof options === 'object' && options.threshold !== base.threshold);
      if (compareFeature(profile, current, options).drifted) {
        featureAlarms++;
        any = true;
      }
    }
    if (any) windowAlarms++;
  }
  return { featureRate: featureAlarms / (windows * names.length), windowRate: windowAlarms / windows };
}

function assertWithinHalf(observed: number, configured: number, what: string) {
  assert.ok(
    observed >= configured * 0.5 && observed <= configured * 1.5,
    `${what}: observed ${observed} is not within ±50 % of ${configured}`,
  );
}

for (const statistic of ['psi', 'jensen_shannon'] as const) {
  for (const rate of [0.01, 0.05]) {
    test(`${statistic}, false_alarm_rate ${rate}, no correction: each feature-window alarms at that rate`, (t) => {
      // 1500 windows × 3 features: the rate's standard error is ≤ 15 % of 0.01.
      const { featureRate } = falseAlarms(statistic, rate, 1500, 'none');
      t.diagnostic(`observed ${featureRate}`);
      assertWithinHalf(featureRate, rate, 'feature-window false-alarm rate');
    });
  }
}

test('psi, false_alarm_rate 0.05 with Šidák over 3 features: a window of the model alarms at that rate', (t) => {
  const { featureRate, windowRate } = falseAlarms('psi', 0.05, 1500, 'sidak');
  t.diagnostic(`observed ${windowRate} per model-window, ${featureRate} per feature-window`);
  assertWithinHalf(windowRate, 0.05, 'model-window false-alarm rate');
  assert.ok(featureRate < 0.05 / 2, `feature-window rate ${featureRate} is well below the model's budget`);
});

test('a fixed PSI threshold of 0.2 knows nothing of the window size; the calibrated one shrinks as n grows', () => {
  const random = new Random(1);
  const { profiles } = features(random, 20_000);
  const thresholds = new CalibratedThresholds({
    statistic: 'psi',
    falseAlarmRate: 0.01,
    correction: 'none',
    features: 1,
    minSamples: 100,
  });
  const inForce = { count: profiles.x.count };
  const small = thresholds.threshold(profiles.x, 200, inForce) as number;
  const large = thresholds.threshold(profiles.x, 50_000, inForce) as number;
  assert.ok(small > 4 * large, `threshold at n=200 (${small}) vs n=50000 (${large})`);
  assert.equal(thresholds.threshold(profiles.x, 99, inForce), 'none', 'below min_samples: no threshold');
});

test('Šidák and Bonferroni per-feature rates', () => {
  assert.ok(Math.abs(perFeatureRate(0.01, 200, 'sidak') - (1 - 0.99 ** (1 / 200))) < 1e-15);
  assert.equal(perFeatureRate(0.01, 200, 'bonferroni'), 0.01 / 200);
  assert.equal(perFeatureRate(0.01, 200, 'none'), 0.01);
});

test('the binomial draw has the binomial mean and variance in both of its regimes', () => {
  const random = new Random(3);
  for (const [n, p] of [
    [40, 0.1],
    [100_000, 0.3],
  ] as const) {
    const draws = Array.from({ length: 20_000 }, () => binomial(random, n, p));
    const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
    const variance = draws.reduce((a, b) => a + (b - mean) ** 2, 0) / draws.length;
    const sd = Math.sqrt(n * p * (1 - p));
    assert.ok(Math.abs(mean - n * p) < (4 * sd) / Math.sqrt(draws.length), `mean ${mean} for n=${n} p=${p}`);
    assert.ok(Math.abs(variance / (n * p * (1 - p)) - 1) < 0.05, `variance ${variance} for n=${n} p=${p}`);
  }
});
