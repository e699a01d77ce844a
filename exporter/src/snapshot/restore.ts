// Reads the snapshot at start and puts back the window state of each model whose reference and
// definition are unchanged. Whatever is wrong with the file (missing, truncated, corrupt, written
// by another format version or for another reference) is reported and the model starts empty:
// a snapshot never stops the exporter from starting.
import { join } from 'node:path';
import type { Exporter } from '../exporter.ts';
import type { SliceRing } from '../window/ring.ts';
import { definitionHash } from './capture.ts';
import { decodeSnapshot, SNAPSHOT_VERSION, SnapshotError, type RestoreFailure, type RingEntry } from './format.ts';
import { readRegularFile } from '../util/safe-file.ts';

export const SNAPSHOT_FILE = 'window-state.snapshot';

export interface RestoreReport {
  /** The models whose windows were restored. */
  restored: string[];
  /** The file's age when read (ms), when it could be read. */
  ageMs?: number;
  failures: { reason: RestoreFailure; model?: string; message: string }[];
  /** Checkpoints of durable sources whose model's windows were restored. */
  sources?: Record<string, unknown>;
}

/** Restores from `<dir>/window-state.snapshot`; no file (a first start) is no failure. */
export function restoreFromStorage(dir: string, models: Exporter['models'], now = Date.now()): RestoreReport {
  const path = join(dir, SNAPSHOT_FILE);
  let file: Buffer;
  try {
    file = readRegularFile(path, maxSnapshotBytes(models));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { restored: [], failures: [] };
    return { restored: [], failures: [{ reason: 'io', message: `${path}: ${(err as Error).message}` }] };
  }
  return restoreSnapshot(file, models, now);
}

/**
 * The largest snapshot read: twice the configured models' rings, plus 64 MiB for the header and
 * models since removed. A larger file cannot be one of ours and is not read into memory.
 */
export function maxSnapshotBytes(models: Exporter['models']): number {
  let rings = 0;
  for (const entry of models.values()) {
    for (const ring of entry.windows.windowRings) rings += ring.bytes;
    for (const ring of entry.performance?.windowRings ?? []) rings += ring.bytes;
  }
  return 2 * rings + 64 * 1024 * 1024;
}

export function restoreSnapshot(file: Buffer, models: Exporter['models'], now = Date.now()): RestoreReport {
  let decoded;
  try {
    decoded = decodeSnapshot(file);
  } catch (err) {
    if (!(err instanceof SnapshotError)) throw err;
    return { restored: [], failures: [{ reason: err.reason, message: err.message }] };
  }
  const { header, payload, version } = decoded;
  const report: RestoreReport = { restored: [], ageMs: now - header.createdMs, failures: [] };
  for (const saved of header.models) {
    const entry = models.get(saved.name);
    if (!entry) continue; // a model no longer configured
    const fail = (reason: RestoreFailure, message: string) =>
      report.failures.push({ reason, model: saved.name, message });
    const unchanged =
      saved.referenceHash === entry.windows.profile.hash &&
      matchRings(entry.windows.windowRings, saved.windows, payload);
    if (version < SNAPSHOT_VERSION && !unchanged) {
      fail(
        'version',
        olderFormatMessage(version, header.exporterVersion, saved.referenceHash, entry.windows.profile.hash),
      );
      continue;
    }
    if (saved.referenceHash !== entry.windows.profile.hash) {
      fail(
        'foreign',
        `written for reference ${saved.referenceHash}, the reference now is ${entry.windows.profile.hash}`,
      );
      continue;
    }
    if (saved.definitionHash !== definitionHash(entry)) {
      fail('definition', "the model's config or the ingest settings changed");
      continue;
    }
    const windows = matchRings(entry.windows.windowRings, saved.windows, payload);
    if (!windows) {
      fail('layout', 'the window rings have another shape');
      continue;
    }
    for (const [ring, bytes] of windows) ring.restore(bytes);
    const state = entry.windows;
    state.changes++;
    if (saved.lastRecordMs !== null && !(saved.lastRecordMs <= state.lastRecordMs)) {
      state.lastRecordMs = saved.lastRecordMs;
    }
    if (state.modelVersion === 'unknown') state.modelVersion = saved.modelVersion;
    report.restored.push(saved.name);

    const performance = entry.performance;
    if (!performance || !saved.performance) continue;
    const names = performance.classes.names;
    const rings = matchRings(performance.windowRings, saved.performance.windows, payload);
    const compatible =
      rings &&
      saved.performance.task === performance.task &&
      saved.performance.classes.length <= performance.classes.max &&
      names.every((name, i) => saved.performance!.classes[i] === name);
    if (!compatible) {
      fail('layout', 'the performance rings have another shape or other classes');
      continue;
    }
    for (const name of saved.performance.classes.slice(names.length)) performance.classes.indexOf(name);
    for (const [ring, bytes] of rings) ring.restore(bytes);
  }
  // A source resumes from the snapshot only with its model's windows: the two go together.
  report.sources = {};
  for (const [name, saved] of Object.entries(header.sources ?? {})) {
    if (report.restored.includes(saved.model)) report.sources[name] = saved.checkpoint;
  }
  return report;
}

/**
 * Why a model's windows in an older snapshot cannot be carried over. Since version 2 a numeric
 * feature's fine CDF has tail edges and per-bin sums: a profile built from the same reference data
 * has other fine bins (another hash) and wider rings, and counts on the old bins cannot be moved
 * onto the new ones, so the windows start empty rather than mixing two layouts.
 */
function olderFormatMessage(version: number, exporterVersion: string, savedHash: string, hash: string): string {
  const why =
    savedHash === hash
      ? 'its rings have another shape'
      : `it was counted on reference profile ${savedHash}, the profile now is ${hash} (the reference changed, or was profiled by this version with tail edges and per-bin sums of the fine CDF)`;
  return `snapshot format ${version} (mlmon-exporter ${exporterVersion}), this exporter writes format ${SNAPSHOT_VERSION}: ${why}`;
}

/** Each ring with its saved bytes, or undefined unless every ring has a saved twin of its shape. */
function matchRings(
  rings: readonly SliceRing[],
  saved: readonly RingEntry[],
  payload: Buffer,
): [SliceRing, Uint8Array][] | undefined {
  if (!Array.isArray(saved) || saved.length !== rings.length) return undefined;
  const pairs: [SliceRing, Uint8Array][] = [];
  for (let i = 0; i < rings.length; i++) {
    const shape = rings[i].shape;
    const entry = saved[i];
    const same =
      entry.windowMs === shape.windowMs &&
      entry.slices === shape.slices &&
      entry.width === shape.width &&
      entry.extrema === shape.extrema &&
      entry.length === rings[i].bytes &&
      Number.isInteger(entry.offset) &&
      entry.offset >= 0 &&
      entry.offset + entry.length <= payload.byteLength;
    if (!same) return undefined;
    pairs.push([rings[i], payload.subarray(entry.offset, entry.offset + entry.length)]);
  }
  return pairs;
}

/** One line for what was restored and one per failure, at start. */
export function logRestore(report: RestoreReport, path: string, log = (line: string) => console.error(line)): void {
  if (report.restored.length > 0) {
    const age = report.ageMs !== undefined ? `, ${Math.round(report.ageMs / 1000)} s old` : '';
    log(`mlmon-exporter: windows restored from ${path}${age}: ${report.restored.join(', ')}`);
  }
  for (const failure of report.failures) {
    const model = failure.model ? `model ${failure.model}: ` : '';
    log(
      `mlmon-exporter: snapshot ${path} not restored (${failure.reason}): ${model}${failure.message}; starting empty`,
    );
  }
}
