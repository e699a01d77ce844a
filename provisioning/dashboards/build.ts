#!/usr/bin/env node
// Writes the provisioned dashboards from the typed definitions beside this file, one module per
// dashboard: grafana/dashboards/mlmon/<name>.json, and the same JSON as a ConfigMap for Grafana's
// dashboard sidecar in deploy/kubernetes/grafana-dashboards.yaml.
// `npm run dashboards` (node --import tsx provisioning/dashboards/build.ts); a test checks the
// committed files are what this writes.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import exporterHealth from './exporter-health.ts';
import featureDrift from './feature-drift.ts';
import modelOverview from './model-overview.ts';
import modelPerformance from './model-performance.ts';

export const DASHBOARDS: Record<string, Dashboard> = {
  'model-overview': modelOverview,
  'feature-drift': featureDrift,
  'model-performance': modelPerformance,
  'exporter-health': exporterHealth,
};

export const OUT = new URL('../grafana/dashboards/mlmon/', import.meta.url);

/** The file's text, formatted by the repo's prettier config (as `npm run format` leaves it). */
export async function render(dashboardJson: Dashboard): Promise<string> {
  const options = (await prettier.resolveConfig(fileURLToPath(OUT))) ?? {};
  return prettier.format(JSON.stringify(dashboardJson), { ...options, parser: 'json' });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const [name, json] of Object.entries(DASHBOARDS))
    writeFileSync(new URL(`${name}.json`, OUT), await render(json));
  console.log(`wrote ${Object.keys(DASHBOARDS).length} dashboards`);
}
