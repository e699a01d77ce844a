// Live data for the browser test: the exporter's demo (drift after 1 s) scraped every second by a
// real Prometheus (Debian's, started by the exporter's test helper), queried as Grafana would.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort, startPrometheus, waitFor, type RunningPrometheus } from '../../exporter/test/helpers/processes.ts';
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
  const dir = mkdtempSync(join(tmpdir(), 'mlmon-panel-'));
  const config = join(dir, 'mlmon.yml');
  writeFileSync(config, 'demo:\n  enabled: true\n  drift_after: 1s\n  records_per_second: 2000\n');
  const port = await freePort();
  // MLMON_EXPORTER_ROOT: run the exporter of another checkout (e.g. while this one is mid-edit).
  const root = process.env.MLMON_EXPORTER_ROOT ?? resolve(PLUGIN_DIR, '..');
  const exporter: ChildProcess = spawn(
    process.execPath,
    ['exporter/bin/mlmon-exporter.mjs', `--config.file=${config}`, `--web.listen-address=127.0.0.1:${port}`],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  exporter.stdout!.on('data', (c: Buffer) => (log += c.toString()));
  exporter.stderr!.on('data', (c: Buffer) => (log += c.toString()));
  const exporterUrl = `http://127.0.0.1:${port}`;
  const stopExporter = async () => {
    if (exporter.exitCode === null) {
      const exited = new Promise((r) => exporter.once('exit', r));
      exporter.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (exporter.exitCode === null) exporter.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor('exporter /-/healthy', async () => ((await fetch(`${exporterUrl}/-/healthy`)).ok ? true : undefined));
  } catch (err) {
    await stopExporter();
    throw new Error(`${(err as Error).message}\nexporter output:\n${log}`);
  }
  const prometheus = await startPrometheus([`127.0.0.1:${port}`]);
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
