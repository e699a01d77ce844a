// The conventions of the rule files, checked on their parsed YAML: every alert has a firing and a
// near-miss promtool case, every recording rule a promql_expr_test, and the annotations follow
// the rules (severity, summary, templated description, runbook section).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { readGroups } from '../scripts/prometheusrule.ts';
import { RULES_DIR } from '../../testkit/index.ts';
import { SEGMENTED_FAMILIES } from '../../exporter/src/metrics/segment-labels.ts';

interface UnitTestFile {
  rule_files: string[];
  tests: {
    name: string;
    alert_rule_test?: { alertname: string; exp_alerts?: unknown[] }[];
    promql_expr_test?: { expr: string }[];
  }[];
}

const rules = readGroups().flatMap((g) => g.rules) as {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}[];
const alerts = rules.filter((r) => r.alert);
const records = rules.filter((r) => r.record);
const unitTests = readdirSync(join(RULES_DIR, 'test'))
  .filter((f) => f.endsWith('.test.yml'))
  .map((f) => parse(readFileSync(join(RULES_DIR, 'test', f), 'utf8')) as UnitTestFile);
const alertCases = unitTests.flatMap((f) => f.tests.flatMap((t) => t.alert_rule_test ?? []));
const exprTests = unitTests.flatMap((f) => f.tests.flatMap((t) => t.promql_expr_test ?? []));
const runbook = readFileSync(join(RULES_DIR, 'RUNBOOK.md'), 'utf8');

test('the rule set has the alerts the issue asks for', () => {
  const names = alerts.map((a) => a.alert!);
  for (const wanted of [
    'MlmonFeatureDriftWarning',
    'MlmonFeatureDriftCritical',
    'MlmonDatasetDrift',
    'MlmonPredictionDrift',
    'MlmonPredictionMeanShift',
    'MlmonAccuracyBelowSLO',
    'MlmonRmseAboveBaseline',
    'MlmonErrorBudgetBurnFast',
    'MlmonErrorBudgetBurnSlow',
    'MlmonModelHighErrorRate',
    'MlmonModelHighLatency',
    'MlmonLowPredictionVolume',
    'MlmonModelDown',
    'MlmonModelTargetAbsent',
    'MlmonStaleData',
    'MlmonMissingValuesHigh',
    'MlmonNewCategories',
    'MlmonSchemaViolations',
    'MlmonExporterSourceDown',
    'MlmonExporterDown',
  ]) {
    assert.ok(names.includes(wanted), `missing alert ${wanted}`);
  }
  assert.equal(new Set(names).size, names.length, 'alert names are unique');
});

test('every alert has a promtool case where it fires and a near-miss case where it does not', () => {
  const problems: string[] = [];
  for (const { alert } of alerts) {
    const cases = alertCases.filter((c) => c.alertname === alert);
    if (!cases.some((c) => (c.exp_alerts ?? []).length > 0)) problems.push(`${alert}: no case where it fires`);
    if (!cases.some((c) => (c.exp_alerts ?? []).length === 0)) problems.push(`${alert}: no near-miss case`);
  }
  const known = new Set(alerts.map((a) => a.alert));
  for (const c of alertCases) if (!known.has(c.alertname)) problems.push(`test of unknown alert ${c.alertname}`);
  assert.deepEqual(problems, []);
});

test('every firing case checks the labels and annotations', () => {
  for (const c of alertCases) {
    for (const exp of (c.exp_alerts ?? []) as {
      exp_labels?: Record<string, string>;
      exp_annotations?: Record<string, string>;
    }[]) {
      assert.ok(exp.exp_labels?.severity, `${c.alertname}: exp_labels without severity`);
      assert.deepEqual(
        Object.keys(exp.exp_annotations ?? {}).sort(),
        ['description', 'runbook_url', 'summary'],
        c.alertname,
      );
    }
  }
});

test('every recording rule has a promql_expr_test', () => {
  const tested = new Set(exprTests.map((t) => t.expr.trim()));
  const missing = records.map((r) => r.record!).filter((name) => !tested.has(name));
  assert.deepEqual(missing, []);
});

test('recording rules follow level:metric:operations', () => {
  for (const { record } of records) assert.match(record!, /^[a-z_]+:[a-z0-9_]+:[a-z0-9_]+$/, record);
});

test('alerts: severity, a fixed capitalised summary ending with a period, a templated description', () => {
  for (const a of alerts) {
    assert.ok(['critical', 'warning', 'info'].includes(a.labels?.severity ?? ''), `${a.alert}: severity`);
    const { summary = '', description = '', runbook_url = '' } = a.annotations ?? {};
    assert.match(summary, /^[A-Z].*\.$/, `${a.alert}: summary "${summary}"`);
    assert.ok(!summary.includes('{{'), `${a.alert}: summary must not be templated`);
    assert.ok(description.includes('{{'), `${a.alert}: description must be templated`);
    assert.ok(runbook_url.startsWith('https://'), `${a.alert}: runbook_url`);
  }
  const severities = new Set(alerts.map((a) => a.labels!.severity));
  assert.deepEqual([...severities].sort(), ['critical', 'info', 'warning']);
});

test('every runbook_url points at a RUNBOOK.md section that says what to check and what to do', () => {
  const sections = new Map<string, string>();
  for (const part of runbook.split(/^## /m).slice(1)) {
    const [heading, ...body] = part.split('\n');
    sections.set(
      heading
        .trim()
        .toLowerCase()
        .replace(/[^a-z0-9 -]/g, '')
        .replace(/ /g, '-'),
      body.join('\n'),
    );
  }
  for (const a of alerts) {
    const url = a.annotations!.runbook_url;
    assert.ok(url.includes('/rules/RUNBOOK.md#'), `${a.alert}: ${url}`);
    const anchor = url.split('#')[1];
    assert.equal(anchor, a.alert!.toLowerCase(), `${a.alert}: anchor is the alert name`);
    const body = sections.get(anchor);
    assert.ok(body, `${a.alert}: RUNBOOK.md has no section "## ${a.alert}"`);
    assert.match(body!, /What to check/, `${a.alert}: runbook says what to check`);
    assert.match(body!, /What to do/, `${a.alert}: runbook says what to do`);
  }
  assert.equal(sections.size, alerts.length, 'one runbook section per alert, no stale ones');
});

test('drift alerts never fire on insufficient data and wait long enough not to flap', () => {
  const warning = alerts.find((a) => a.alert === 'MlmonFeatureDriftWarning')!;
  assert.match(warning.expr, /insufficient_data/);
  for (const name of [
    'MlmonFeatureDriftWarning',
    'MlmonFeatureDriftCritical',
    'MlmonDatasetDrift',
    'MlmonPredictionDrift',
    'MlmonModelDriftScore',
  ]) {
    const rule = alerts.find((a) => a.alert === name)!;
    const minutes = Number(
      /^(\d+)m$/.exec(rule.for ?? '')?.[1] ?? Number(/^(\d+)h$/.exec(rule.for ?? '')?.[1] ?? 0) * 60,
    );
    assert.ok(minutes >= 30, `${name}: for ${rule.for}`);
  }
});

// A model with segments writes these families once per segment too (exporter/METRICS.md): an
// alert on them fires per segment, so it must say which, and a join between two of them must
// keep one segment's series (or the whole model's) apart from the others'.
const SEGMENT_NAMED = '{{ if $labels.segment }} in segment {{ $labels.segment }}={{ $labels.segment_value }}{{ end }}';

test('alerts on per-segment series name the segment, and their joins match on it', () => {
  let checked = 0;
  for (const a of alerts) {
    if (![...SEGMENTED_FAMILIES].some((f) => new RegExp(`\\b${f}\\b`).test(a.expr))) continue;
    checked++;
    for (const [, labels] of a.expr.matchAll(/\bon \(([^)]*)\)/g)) {
      const on = labels!.split(',').map((l) => l.trim());
      if (on.includes('window'))
        assert.ok(on.includes('segment') && on.includes('segment_value'), `${a.alert}: on (${labels})`);
    }
    // segment="" keeps an alert to the whole model (documented per alert in README.md).
    if (!/segment=""/.test(a.expr)) {
      assert.ok(a.annotations!.description!.includes(SEGMENT_NAMED), `${a.alert}: description names the segment`);
    }
  }
  assert.ok(checked >= 10, `${checked} alerts on per-segment series`);
});
