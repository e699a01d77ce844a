// Live data for the browser test: the exporter's demo (drift after 1 s) scraped every second by a
// real Prometheus (Debian's, started by the shared test kit), queried as Grafana would.
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ready, spawnExporter, startPrometheus, tempDir, type RunningPrometheus } from '../../testkit/index.ts';
import { PLUGIN_DIR } from './host/harness';

export interface Matrix {
  metric: Record<string, string>;
  values: Array<[number, string]>;
}

export interface LiveStack {
  prometheus: RunningPrometheus;
  exporterUrl: string;
  queryRange(expr: string, start: number, end: number, step?: number): Promise<Matrix[]>;
  stop(): Promise<void>;
}

export async function startLiveStack(): Promise<LiveStack> {
  const dir = tempDir('panel');
  const config = join(dir, 'mlmon.yml');
  writeFileSync(config, 'demo:\n  enabled: true\n  drift_after: 1s\n  records_per_second: 2000\n');
  // MLMON_EXPORTER_ROOT: run the exporter of another checkout (e.g. while this one is mid-edit).
  const root = process.env.MLMON_EXPORTER_ROOT ?? resolve(PLUGIN_DIR, '..');
  const exporter = await spawnExporter([`--config.file=${config}`], {
    cwd: root,
    bin: join(root, 'exporter/scripts/dev-mlmon-exporter.mjs'),
    removeOnStop: [dir],
  });
  const exporterUrl = exporter.url;
  const stopExporter = () => exporter.stop();
  await ready(exporter, 'exporter /-/healthy', `${exporterUrl}/-/healthy`);
  const prometheus = await startPrometheus({ jobs: [{ name: 'mlmon', targets: [`127.0.0.1:${exporter.port}`] }] });
  return {
    prometheus,
    exporterUrl,
    async queryRange(expr, start, end, step = 1) {
      const q = new URLSearchParams({ query: expr, start: String(start), end: String(end), step: String(step) });
      const body = (await (await fetch(`${prometheus.url}/api/v1/query_range?${q}`)).json()) as {
        status: string;
        data: { result: Matrix[] };
        error?: string;
      };
      if (body.status !== 'success') throw new Error(`query_range ${expr}: ${body.error}`);
      return body.data.result;
    },
    async stop() {
      await prometheus.stop();
      await stopExporter();
    },
  };
}

/** The queries a dashboard gives the panel (refId A, B, C, D). */
export const PANEL_QUERIES = (model: string, window: string) => [
  `{__name__=~"mlmon_feature_(psi|ks_statistic|ks_pvalue|wasserstein|wasserstein_normalized|jensen_shannon_distance|missing_ratio|samples|status)", model="${model}", window="${window}"}`,
  `mlmon_feature_info{model="${model}"}`,
  `mlmon_feature_reference_bin_ratio{model="${model}"}`,
  `mlmon_feature_bin_ratio{model="${model}", window="${window}"}`,
];
