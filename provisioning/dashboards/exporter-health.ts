// mlmon / Exporter health: the exporters themselves (targets, sources, probes, ingest,
// rejections, scrape cost), any number of instances at once.
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as statetimeline from '@grafana/grafana-foundation-sdk/statetimeline';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { TARGET } from './config.ts';
import {
  annotations,
  boolMapping,
  dashboard,
  datasourceVariable,
  instanceVariable,
  jobVariable,
  namespaceVariable,
  organize,
  panel,
  type PanelSpec,
} from './common.ts';

const series = (spec: PanelSpec) => panel(new timeseries.PanelBuilder(), spec);
const byInstance = (expr: string, legend = '{{instance}}') => ({ expr, legend });

export default dashboard({
  uid: 'mlmon-exporter-health',
  title: 'mlmon / Exporter health',
  description:
    'The mlmon exporters themselves: targets, sources, probes, ingest, rejections, scrape cost, memory and CPU.',
  variables: [datasourceVariable(), jobVariable(), namespaceVariable(), instanceVariable(true)],
  annotations: annotations(''),
  content: [
    panel(new stat.PanelBuilder(), {
      title: 'Exporters up',
      description: 'Exporter targets Prometheus scraped successfully at the last scrape.',
      unit: 'none',
      size: [6, 4],
      queries: [`sum(up{${TARGET}})`],
    }),
    panel(new stat.PanelBuilder(), {
      title: 'Ready',
      description: 'Whether every selected exporter has loaded its references and serves statistics (the worst one).',
      unit: 'bool',
      size: [6, 4],
      queries: [`min(mlmon_ready{${TARGET}})`],
    }).mappings(boolMapping(['not ready', 'red'], ['ready', 'green'])),
    panel(new stat.PanelBuilder(), {
      title: 'Config reload',
      description:
        'Whether the last config load or reload (SIGHUP, POST /-/reload) succeeded on every selected exporter; after a failed one the old config keeps running.',
      unit: 'bool',
      size: [6, 4],
      queries: [`min(mlmon_config_last_reload_successful{${TARGET}})`],
    }).mappings(boolMapping(['failed', 'red'], ['ok', 'green'])),
    panel(new table.PanelBuilder(), {
      title: 'Versions',
      description: 'Version, revision and Node.js version of each exporter.',
      unit: 'none',
      size: [6, 4],
      queries: [{ expr: `mlmon_build_info{${TARGET}}`, mode: 'table' }],
    }).withTransformation(organize(['Time', 'Value', '__name__'])),
    panel(new statetimeline.PanelBuilder(), {
      title: 'Sources up',
      description: 'Whether each pull source (file, Prometheus, PostgreSQL, probe) answered at its last read.',
      unit: 'bool',
      size: [12, 6],
      queries: [byInstance(`mlmon_source_up{${TARGET}}`, '{{instance}} {{source}}')],
    }),
    series({
      title: 'Source errors',
      description: 'Failed source reads per second, by source and reason.',
      unit: 'cps',
      size: [12, 6],
      queries: [
        byInstance(
          `sum by (instance, source, reason) (rate(mlmon_source_errors_total{${TARGET}}[$__rate_interval]))`,
          '{{instance}} {{source}} {{reason}}',
        ),
      ],
    }),
    series({
      title: 'Source read duration',
      description: 'How long the last read of each source took.',
      unit: 's',
      size: [12, 6],
      queries: [byInstance(`mlmon_source_read_duration_seconds{${TARGET}}`, '{{instance}} {{source}}')],
    }),
    series({
      title: 'Last success age',
      description: 'Time since each source was last read successfully.',
      unit: 's',
      size: [12, 6],
      queries: [
        byInstance(`time() - mlmon_source_last_success_timestamp_seconds{${TARGET}}`, '{{instance}} {{source}}'),
      ],
    }),
    series({
      title: 'Probe success',
      description: 'Whether the last synthetic prediction request of each probe succeeded (1) or not (0).',
      unit: 'bool',
      size: [12, 6],
      queries: [byInstance(`mlmon_probe_success{${TARGET}}`, '{{instance}} {{source}}')],
    }),
    series({
      title: 'Probe duration',
      description: 'Round-trip time of the last synthetic prediction request of each probe.',
      unit: 's',
      size: [12, 6],
      queries: [byInstance(`mlmon_probe_duration_seconds{${TARGET}}`, '{{instance}} {{source}}')],
    }),
    series({
      title: 'Ingest requests by code',
      description: 'Requests per second to the ingest endpoints, by HTTP status (401: no token, 429: rate limited).',
      unit: 'reqps',
      size: [12, 6],
      queries: [
        byInstance(
          `sum by (instance, code) (rate(mlmon_ingest_requests_total{${TARGET}}[$__rate_interval]))`,
          '{{instance}} {{code}}',
        ),
      ],
    }),
    series({
      title: 'Records rejected by reason',
      description: 'Records per second refused at ingest, by reason (unknown model, bad field, too large...).',
      unit: 'reqps',
      size: [12, 6],
      queries: [
        byInstance(
          `sum by (instance, reason) (rate(mlmon_records_rejected_total{${TARGET}}[$__rate_interval]))`,
          '{{instance}} {{reason}}',
        ),
      ],
    }),
    series({
      title: 'Records counted, late, future',
      description:
        'Records per second counted into the windows, and those dropped for a timestamp too old or too far ahead.',
      unit: 'reqps',
      size: [12, 6],
      queries: [
        byInstance(
          `sum by (instance, model) (rate(mlmon_records_total{${TARGET}}[$__rate_interval]))`,
          '{{instance}} {{model}} counted',
        ),
        byInstance(
          `sum by (instance, model) (rate(mlmon_records_late_total{${TARGET}}[$__rate_interval]))`,
          '{{instance}} {{model}} late',
        ),
        byInstance(
          `sum by (instance, model) (rate(mlmon_records_future_total{${TARGET}}[$__rate_interval]))`,
          '{{instance}} {{model}} future',
        ),
      ],
    }),
    series({
      title: 'Unknown feature values',
      description: 'Feature values per second the model config does not name (ignored).',
      unit: 'cps',
      size: [12, 6],
      queries: [
        byInstance(
          `sum by (instance, model) (rate(mlmon_unknown_features_total{${TARGET}}[$__rate_interval]))`,
          '{{instance}} {{model}}',
        ),
      ],
    }),
    series({
      title: 'Scrape duration',
      description: 'How long Prometheus took to scrape each exporter; near the scrape timeout means lost samples.',
      unit: 's',
      size: [12, 6],
      queries: [byInstance(`scrape_duration_seconds{${TARGET}}`)],
    }),
    series({
      title: 'Series per scrape (cardinality budget)',
      description: 'Samples in each scrape of each exporter: grows with models x features x bins x windows.',
      unit: 'short',
      size: [12, 6],
      queries: [byInstance(`scrape_samples_scraped{${TARGET}}`)],
    }),
    series({
      title: 'Exporter memory',
      description:
        'Resident memory of each exporter process and the V8 heap in use (bounded by features x bins x slices, not traffic).',
      unit: 'bytes',
      size: [12, 6],
      queries: [
        byInstance(`process_resident_memory_bytes{${TARGET}}`, '{{instance}} resident'),
        byInstance(`nodejs_heap_size_used_bytes{${TARGET}}`, '{{instance}} heap used'),
      ],
    }),
    series({
      title: 'Exporter CPU',
      description: 'CPU each exporter process uses (100 % = one core busy).',
      unit: 'percentunit',
      size: [12, 6],
      queries: [byInstance(`rate(process_cpu_seconds_total{${TARGET}}[$__rate_interval])`)],
    }),
    panel(new table.PanelBuilder(), {
      title: 'References in force',
      description: 'The reference profile (content hash) each exporter uses for each model.',
      unit: 'none',
      size: [24, 6],
      queries: [
        { expr: `mlmon_reference_info{${TARGET}}`, mode: 'table' },
        { expr: `mlmon_model_info{${TARGET}}`, mode: 'table' },
      ],
    })
      .withTransformation({ id: 'merge', options: {} })
      .withTransformation(organize(['Time', 'Value', '__name__'])),
  ],
});
