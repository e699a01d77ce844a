// Replays generated traffic through models built from a config (calibration simulated in line,
// as a backfill does) and reads each model's drift flags at the end of every window, from the
// families /metrics would show then.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '../../src/config/load.ts';
import { Exporter } from '../../src/exporter.ts';
import { modelFamiliesAt } from '../../src/backfill/backfill.ts';
import { buildModels } from '../../src/startup.ts';

export interface TimedRow {
  ts: number;
  features: Record<string, number | string>;
}

/** A reference CSV with a `ts` column (epoch milliseconds) beside the features. */
export function writeTimedCsv(dir: string, name: string, rows: readonly TimedRow[]): string {
  const columns = Object.keys(rows[0].features);
  const lines = [['ts', ...columns].join(',')];
  for (const row of rows) lines.push([row.ts, ...columns.map((c) => row.features[c])].join(','));
  const path = join(dir, name);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

export async function modelsOf(configText: string): Promise<Exporter> {
  const state = new Exporter();
  for (const [name, entry] of await buildModels(parseConfig(configText), undefined, null))
    state.models.set(name, entry);
  return state;
}

/**
 * Feeds `rows` (in time order) to every model and returns, per model, the drift flags of `feature`
 * in `window` at each multiple of `windowMs` after the first full window.
 */
export function driftFlagsAtWindowEnds(
  state: Exporter,
  rows: readonly TimedRow[],
  windowMs: number,
  window: string,
  feature: string,
): Map<string, boolean[]> {
  const flags = new Map<string, boolean[]>([...state.models.keys()].map((name) => [name, []]));
  const first = Math.ceil(rows[0].ts / windowMs) * windowMs + windowMs;
  let next = first;
  const read = (at: number) => {
    const text = modelFamiliesAt(state, at);
    for (const [name, list] of flags) {
      const match = new RegExp(
        `^mlmon_feature_drift_detected\\{model="${name}",feature="${feature}",window="${window}"\\} (\\d)$`,
        'm',
      ).exec(text);
      if (match) list.push(match[1] === '1');
    }
  };
  for (const row of rows) {
    while (row.ts >= next) {
      read(next - 1);
      next += windowMs;
    }
    for (const [model, entry] of state.models)
      entry.record({ model, features: row.features, timestampMs: row.ts }, row.ts);
  }
  return flags;
}

export function share(flags: readonly boolean[]): number {
  return flags.filter(Boolean).length / flags.length;
}
