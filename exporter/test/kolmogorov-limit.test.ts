// The limiting Kolmogorov distribution (the exporter's fine-CDF KS p-value) against
// scipy.special.kolmogorov, from fixtures/make_drift_fixture.py.
import { test } from 'node:test';
import { kolmogorovSf } from '../src/stats/kolmogorov-limit.ts';
import { assertClose } from '../../testkit/index.ts';
import { readFileSync } from 'node:fs';
import { FIXTURES } from './helpers/golden.ts';

const { kolmogorov_sf: grid } = JSON.parse(readFileSync(`${FIXTURES}drift-golden.json`, 'utf8')) as {
  kolmogorov_sf: [number, number][];
};

test('kolmogorovSf equals scipy.special.kolmogorov on both sides of the series cut-over', () => {
  for (const [x, expected] of grid) assertClose(kolmogorovSf(x), expected, `kolmogorov(${x})`, 1e-12);
});
