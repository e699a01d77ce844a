// The metrics catalog is the one source of the families: the committed METRICS.md tables and the
// drift panel's statistic list are what it generates, and its names follow Prometheus' rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CATALOG, FAMILY_NAMES, type FamilySpec } from '../src/metrics/catalog.ts';
import { driftPanelJson, fillMetricsDoc } from '../src/metrics/catalog-docs.ts';
import { DRIFT_PANEL_STATISTICS, METRICS_DOC } from '../scripts/generate-metrics.ts';

const regenerate = 'run `node --import tsx exporter/scripts/generate-metrics.ts`';

test('the tables of METRICS.md are those the catalog generates', () => {
  const committed = readFileSync(METRICS_DOC, 'utf8');
  assert.equal(committed, fillMetricsDoc(committed), regenerate);
  const listed = [...committed.matchAll(/^\| `(mlmon_[a-z0-9_]+)` \|/gm)].map((m) => m[1]);
  assert.deepEqual(listed.sort(), [...FAMILY_NAMES].sort(), 'every family is in exactly one table');
});

test("the drift panel's statistic list is the one the catalog generates", () => {
  assert.equal(readFileSync(DRIFT_PANEL_STATISTICS, 'utf8'), driftPanelJson(), regenerate);
});

test('catalog names follow the Prometheus naming rules', () => {
  for (const name of FAMILY_NAMES) {
    const spec: FamilySpec = CATALOG[name];
    assert.match(name, /^mlmon_[a-z0-9_]+$/, name);
    assert.equal(name.endsWith('_total'), spec.type === 'counter', `${name}: _total exactly on counters`);
    if (spec.unit) assert.match(name, new RegExp(`_${spec.unit}(_total)?$`), `${name}: ends with its unit`);
    assert.ok(!spec.labels.includes('le') && new Set(spec.labels).size === spec.labels.length, name);
  }
});
