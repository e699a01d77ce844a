// The real mlmon-exporter process for the snapshot, crash and storage-fault tests: started with a
// storage path and a short snapshot interval, killed however the test likes.
import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scrapeText, seriesValue, spawnExporter } from '../../../testkit/index.ts';

export const REFERENCE = fileURLToPath(new URL('../fixtures/reference.csv', import.meta.url));

export interface ExporterProcess {
  child: ChildProcess;
  url: string;
  output(): string;
  /** Resolves with the exit code (null after a signal) and the signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** A config with one model `m` (numeric x, categorical color, numeric prediction level) in `dir`. */
export function writeConfig(dir: string, reference = REFERENCE, extra = ''): string {
  const path = join(dir, 'mlmon.yml');
  writeFileSync(
    path,
    `models:
  - name: m
    reference: { path: ${reference} }
    features: [{ name: x }, { name: color }]
    prediction: { name: level }
    windows: [1h]
${extra}`,
  );
  return path;
}

export async function startExporterProcess(
  configFile: string,
  storagePath: string,
  flags: string[] = [],
): Promise<ExporterProcess> {
  const exporter = await spawnExporter([`--config.file=${configFile}`, `--storage.path=${storagePath}`, ...flags]);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    if (exporter.exited()) resolve({ code: exporter.child.exitCode, signal: exporter.child.signalCode });
    else exporter.child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  return { child: exporter.child, url: exporter.url, output: exporter.output, exited };
}

/** The value of one sample of /metrics, e.g. `mlmon_snapshot_failures_total{reason="no_space"}`. */
export async function metricValue(url: string, series: string): Promise<number | undefined> {
  return seriesValue(await scrapeText(url), series);
}

export const WINDOW_RECORDS = 'mlmon_model_window_records{model="m",window="1h"}';

/** `count` records for model m. */
export function records(count: number, seed = 0): object[] {
  return Array.from({ length: count }, (_, i) => ({
    model: 'm',
    features: { x: ((seed + i) % 97) / 97, color: ['red', 'green', 'blue'][i % 3] },
    prediction: (i % 3) + 1,
  }));
}
