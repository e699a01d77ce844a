// The real mlmon-exporter process for the snapshot, crash and storage-fault tests: started with a
// storage path and a short snapshot interval, killed however the test likes.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, waitFor } from './processes.ts';

export const EXPORTER = fileURLToPath(new URL('../../bin/mlmon-exporter.mjs', import.meta.url));
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
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      EXPORTER,
      `--config.file=${configFile}`,
      `--web.listen-address=127.0.0.1:${port}`,
      `--storage.path=${storagePath}`,
      ...flags,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  try {
    await waitFor('the exporter to listen', async () => {
      if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}: ${output}`);
      return output.includes('metrics at') ? true : undefined;
    });
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return { child, url: `http://127.0.0.1:${port}`, output: () => output, exited };
}

/** The value of one sample of /metrics, e.g. `mlmon_snapshot_failures_total{reason="no_space"}`. */
export async function metricValue(url: string, series: string): Promise<number | undefined> {
  const text = await (await fetch(`${url}/metrics`)).text();
  for (const line of text.split('\n')) {
    if (line.startsWith(`${series} `)) return Number(line.slice(series.length + 1));
  }
  return undefined;
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
