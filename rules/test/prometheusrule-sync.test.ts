// deploy/kubernetes/prometheusrule.yaml is generated from the rule files; it must not drift.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { MANIFEST, readGroups, renderPrometheusRule } from '../scripts/prometheusrule.ts';

test('the committed PrometheusRule is exactly what the generator writes from the rule files', async () => {
  const committed = readFileSync(MANIFEST, 'utf8');
  assert.equal(committed, await renderPrometheusRule(), 'run: cd rules && npm run generate');
});

test('the PrometheusRule holds every group and rule of the rule files, with unique group names', () => {
  const manifest = parse(readFileSync(MANIFEST, 'utf8'));
  assert.equal(manifest.apiVersion, 'monitoring.coreos.com/v1');
  assert.equal(manifest.kind, 'PrometheusRule');
  assert.deepEqual(manifest.spec.groups, readGroups());
  const names = manifest.spec.groups.map((g: { name: string }) => g.name);
  assert.equal(new Set(names).size, names.length);
});
