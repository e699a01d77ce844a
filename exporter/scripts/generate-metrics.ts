// Writes what the metrics catalog (src/metrics/catalog.ts) generates: the tables of METRICS.md
// and the drift panel's statistic list. `node --import tsx exporter/scripts/generate-metrics.ts`;
// test/metrics-catalog.test.ts checks the committed files are what this writes.
import { readFileSync, writeFileSync } from 'node:fs';
import { driftPanelJson, fillMetricsDoc } from '../src/metrics/catalog-docs.ts';

export const METRICS_DOC = new URL('../METRICS.md', import.meta.url);
export const DRIFT_PANEL_STATISTICS = new URL(
  '../../grafana-plugin/src/data/drift-panel-statistics.json',
  import.meta.url,
);

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, '/'))) {
  writeFileSync(METRICS_DOC, fillMetricsDoc(readFileSync(METRICS_DOC, 'utf8')));
  writeFileSync(DRIFT_PANEL_STATISTICS, driftPanelJson());
}
