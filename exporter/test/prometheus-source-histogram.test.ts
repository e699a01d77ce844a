// Unit tests of the prometheus source's bucket handling: cumulative, upper-inclusive `le` buckets
// to bins, checked against scipy's fixtures (stats-golden.json): ks_2samp on raw samples and
// PSI / Jensen-Shannon on bin counts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseConfig } from '../src/config/load.ts';
import {
  alignHistograms,
  cumulativeFromBuckets,
  cumulativeFromVector,
  HistogramError,
  histogramStatistics,
  parseLe,
  type Cumulative,
} from '../src/sources/prometheus/prometheus-histogram.ts';
import { histogramQuery } from '../src/sources/prometheus/prometheus.ts';
import { assertClose } from '../../testkit/index.ts';
import { FIXTURES } from './helpers/golden.ts';

const golden = JSON.parse(readFileSync(`${FIXTURES}stats-golden.json`, 'utf8')) as {
  ks2samp: { name: string; a: number[]; b: number[]; statistic: number; pvalue: number }[];
  psiJs: { ref: number[]; cur: number[]; psi: number | string; js: number | string }[];
};

/** Cumulative counts #{x ≤ le} of raw values, as a Prometheus histogram with these `le` would hold. */
function cumulativeOf(values: number[], les: number[]): Cumulative {
  return new Map([...les, Infinity].map((le) => [le, values.filter((x) => x <= le).length]));
}

test('le spellings: "+Inf", integers and floats of the same bound are one bucket', () => {
  assert.equal(parseLe('+Inf'), Infinity);
  assert.equal(parseLe('1'), 1);
  assert.equal(parseLe('1.0'), 1);
  assert.equal(parseLe('2.5e-1'), 0.25);
  assert.ok(Number.isNaN(parseLe('')));
  const cumulative = cumulativeFromVector([
    { metric: { le: '1' }, value: [0, '3'] },
    { metric: { le: '1.0' }, value: [0, '2'] },
    { metric: { le: '+Inf' }, value: [0, '9'] },
  ]);
  assert.deepEqual(
    [...cumulative],
    [
      [1, 5],
      [Infinity, 9],
    ],
  );
  assert.throws(() => cumulativeFromVector([{ metric: {}, value: [0, '1'] }]), HistogramError);
});

test('buckets are upper-inclusive: a value equal to le is counted in that bucket, unlike numpy.digitize', () => {
  // Values on the bounds: Prometheus puts 1 in (0.5, 1]; mlmon's own bins would put it in [1, 2).
  const aligned = alignHistograms(cumulativeOf([0.5, 1, 1, 2], [0.5, 1, 2]), cumulativeOf([1, 2, 2, 3], [0.5, 1, 2]));
  assert.deepEqual(aligned.upperBounds, [0.5, 1, 2, Infinity]);
  assert.deepEqual([...aligned.ref], [1, 2, 1, 0]);
  assert.deepEqual([...aligned.cur], [0, 1, 2, 1]);
});

test('with a bucket at every distinct value, KS D and p-value equal scipy ks_2samp on the raw samples', () => {
  let checked = 0;
  for (const c of golden.ks2samp) {
    if (c.a.length + c.b.length > 2000) continue;
    const les = [...new Set([...c.a, ...c.b])].sort((x, y) => x - y);
    const stats = histogramStatistics(alignHistograms(cumulativeOf(c.a, les), cumulativeOf(c.b, les)));
    assertClose(stats.ksStatistic, c.statistic, `${c.name} D`, 1e-12);
    assertClose(stats.ksPValue, c.pvalue, `${c.name} p`, 1e-9);
    assert.equal(stats.referenceSamples, c.a.length);
    assert.equal(stats.samples, c.b.length);
    checked++;
  }
  assert.ok(checked >= 3, `${checked} cases`);
});

test('with coarser buckets, D is a lower bound of the raw D within the error bound', () => {
  for (const c of golden.ks2samp) {
    if (c.a.length + c.b.length > 2000) continue;
    const sorted = [...c.a, ...c.b].sort((x, y) => x - y);
    const les = [0.1, 0.3, 0.5, 0.7, 0.9].map((q) => sorted[Math.floor(q * (sorted.length - 1))]);
    const stats = histogramStatistics(alignHistograms(cumulativeOf(c.a, les), cumulativeOf(c.b, les)));
    assert.ok(stats.ksStatistic <= c.statistic + 1e-12, `${c.name}: ${stats.ksStatistic} > ${c.statistic}`);
    assert.ok(c.statistic <= stats.ksStatistic + stats.ksErrorBound + 1e-12, `${c.name}: outside the bound`);
  }
});

test('PSI and Jensen-Shannon of bin counts given as cumulative buckets equal scipy', () => {
  let checked = 0;
  for (const c of golden.psiJs) {
    if (typeof c.psi !== 'number') continue;
    const toCumulative = (bins: number[]): Cumulative => {
      let running = 0;
      return new Map(bins.map((n, i) => [i === bins.length - 1 ? Infinity : i + 1, (running += n)]));
    };
    const stats = histogramStatistics(alignHistograms(toCumulative(c.ref), toCumulative(c.cur)));
    assertClose(stats.psi, c.psi, `PSI ${c.ref}/${c.cur}`, 1e-12);
    assertClose(stats.jensenShannon, c.js as number, `JS ${c.ref}/${c.cur}`, 1e-12);
    checked++;
  }
  assert.ok(checked >= 4);
});

test('different bucket layouts are compared on the le values they share', () => {
  const ref = cumulativeFromBuckets([
    { le: 0.25, count: 10 },
    { le: 0.5, count: 40 },
    { le: 0.75, count: 70 },
    { le: '+Inf', count: 100 },
  ]);
  const cur: Cumulative = new Map([
    [0.1, 5],
    [0.5, 20],
    [1, 90],
    [Infinity, 100],
  ]);
  const aligned = alignHistograms(ref, cur);
  assert.deepEqual(aligned.upperBounds, [0.5, Infinity]);
  assert.deepEqual([...aligned.ref], [40, 60]);
  assert.deepEqual([...aligned.cur], [20, 80]);
  assert.equal(histogramStatistics(aligned).ksStatistic, 0.2);
});

test('a decreasing cumulative sequence (extrapolation, resets) gives no negative bin; no +Inf is an error', () => {
  const aligned = alignHistograms(
    new Map([
      [1, 10],
      [Infinity, 20],
    ]),
    new Map([
      [1, 10.2],
      [2, 10.1],
      [Infinity, 19.9],
    ]),
  );
  assert.ok([...aligned.cur].every((n) => n >= 0));
  assert.throws(
    () => alignHistograms(new Map([[1, 1]]), new Map([[Infinity, 1]])),
    (err) => err instanceof HistogramError && err.reason === 'no_inf_bucket',
  );
});

test('empty sides and fractional counts: NaN statistics, rounded sample sizes for the p-value', () => {
  const empty = histogramStatistics(
    alignHistograms(
      new Map([[Infinity, 0]]),
      new Map([
        [1, 1],
        [Infinity, 2],
      ]),
    ),
  );
  assert.ok(Number.isNaN(empty.ksStatistic) && Number.isNaN(empty.psi) && Number.isNaN(empty.ksPValue));
  const fractional = histogramStatistics(
    alignHistograms(
      new Map([
        [1, 50.4],
        [Infinity, 100.2],
      ]),
      new Map([
        [1, 30.6],
        [Infinity, 99.8],
      ]),
    ),
  );
  assert.ok(fractional.ksPValue > 0 && fractional.ksPValue < 1);
  assert.ok(Number.isNaN(empty.chi2PValue));
});

test('the query and the config', () => {
  assert.equal(
    histogramQuery('model_score', '{job="m"}', '1h'),
    'sum by (le) (increase(model_score_bucket{job="m"}[1h]))',
  );
  assert.equal(
    histogramQuery('model_score', '{}', '1h', '7d'),
    'sum by (le) (increase(model_score_bucket{}[1h] offset 7d))',
  );
  const base = `sources:\n  - type: prometheus\n    name: p\n    model: m\n    url: http://127.0.0.1:9090\n`;
  const base2 = `${base}    metric: model_score\n`;
  const ok = parseConfig(`${base2}    reference: { offset: 7d }\n`);
  assert.equal(ok.sources[0].type, 'prometheus');
  assert.throws(
    () => parseConfig(`${base2}    reference: {}\n`),
    /sources\.0\.reference: set exactly one of buckets and offset/,
  );
  assert.throws(
    () => parseConfig(`${base2}    reference: { buckets: [{ le: 1, count: 1 }, { le: 2, count: 2 }] }\n`),
    /sources\.0\.reference\.buckets: the last bucket must be le: \+Inf/,
  );
  assert.throws(
    () => parseConfig(`${base2}    reference: { buckets: [{ le: 1, count: 5 }, { le: '+Inf', count: 2 }] }\n`),
    /counts must not decrease/,
  );
  assert.throws(() => parseConfig(`${base}    metric: 'bad name'\n    reference: { offset: 1h }\n`), /metric/);
});
