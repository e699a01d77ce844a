// The compose stack and most installations run Prometheus 3; the tests here run Debian's 2.42.
// What changed in 3.0 that could make a rule or a panel behave differently there is checked on
// the expressions themselves (provisioning/README.md, "Prometheus 3", lists each change):
// - `le` and `quantile` label values are normalised to floats at scrape (le="1" becomes "1.0"),
//   so nothing may match on them;
// - range selectors are left-open (a sample exactly at the window's start is out), so every range
//   must hold at least two scrapes at the longest scrape interval shipped (the PodMonitor's 30s);
// - holt_winters was renamed, Alertmanager API v1 is gone;
// - a scrape whose Content-Type is missing or unknown fails, so /metrics must send a valid one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { PROVISIONING_DIR, ROOT } from '../../testkit/index.ts';
import { CONTENT_TYPE } from '../../exporter/src/metrics/exposition.ts';
import { annotationExpressions, dashboardExpressions, grafanaAlertExpressions, ruleExpressions } from './promql.ts';

const ALL = [...ruleExpressions(), ...dashboardExpressions(), ...annotationExpressions(), ...grafanaAlertExpressions()];
const SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
const seconds = (d: string) =>
  [...d.matchAll(/(\d+)([smhdw])/g)].reduce((sum, [, n, unit]) => sum + Number(n) * SECONDS[unit], 0);

/** The longest scrape interval the bundle ships: prometheus.yml and the PodMonitors. */
function longestScrapeInterval(): number {
  const prometheus = parse(readFileSync(join(PROVISIONING_DIR, 'prometheus/prometheus.yml'), 'utf8'));
  const intervals = [prometheus.global.scrape_interval];
  const monitors = readFileSync(join(ROOT, 'deploy/kubernetes/podmonitor.yaml'), 'utf8');
  intervals.push(...[...monitors.matchAll(/interval:\s*(\S+)/g)].map((m) => m[1]));
  return Math.max(...intervals.map(seconds));
}

test(`no expression matches on le or quantile label values (${ALL.length} expressions)`, () => {
  const offenders = ALL.filter((e) => /\b(le|quantile)\s*(=|!=|=~|!~)\s*"/.test(e.expr));
  assert.deepEqual(offenders, []);
});

test('every range selector holds at least two scrapes at the longest scrape interval, left-open', () => {
  const interval = longestScrapeInterval();
  assert.ok(interval >= 15, `${interval}s`);
  const short: string[] = [];
  let ranges = 0;
  for (const { where, expr } of ALL) {
    // Grafana's $__rate_interval is at least four scrape intervals by construction.
    for (const [, range] of expr.matchAll(/\[([0-9smhdw]+)(?::[0-9smhdw]*)?\]/g)) {
      ranges++;
      // Left-open: a window of exactly 2 intervals may hold only 2 samples, rate()'s minimum.
      if (seconds(range) < 2 * interval) short.push(`${where}: [${range}]`);
    }
  }
  assert.ok(ranges > 20, `${ranges} range selectors found`);
  assert.deepEqual(short, []);
});

test('nothing uses what Prometheus 3 removed: holt_winters, Alertmanager API v1', () => {
  assert.deepEqual(
    ALL.filter((e) => /\bholt_winters\s*\(/.test(e.expr)),
    [],
  );
  const prometheus = parse(readFileSync(join(PROVISIONING_DIR, 'prometheus/prometheus.yml'), 'utf8'));
  for (const am of prometheus.alerting.alertmanagers) assert.notEqual(am.api_version, 'v1');
});

test('the exporter and the demo model send a Content-Type Prometheus 3 scrapes without a fallback', () => {
  const valid = /^text\/plain; version=0\.0\.4(; charset=utf-8)?$/;
  assert.match(CONTENT_TYPE, valid);
  const demo = readFileSync(join(ROOT, 'examples/demo-model/server.mjs'), 'utf8');
  const sent = /req\.url === '\/metrics'\)[^\n]*'(text\/plain[^']*)'/.exec(demo);
  assert.ok(sent, 'the demo model sets a Content-Type on /metrics');
  assert.match(sent[1], valid);
});
