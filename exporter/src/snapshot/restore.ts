// Reads the snapshot at start and puts back the window state of each model whose reference and
// definition are unchanged. Whatever is wrong with the file (missing, truncated, corrupt, written
// by another format version or for another reference) is reported and the model starts empty:
// a snapshot never stops the exporter from starting.
import { join } from 'node:path';
import type { Exporter } from '../exporter.ts';
import type { ModelEntry } from '../model-entry.ts';
import type { PerformanceWindows } from '../performance/performance-windows.ts';
import type { Segment } from '../segments/segment-entry.ts';
import type { ModelWindows } from '../window/model-windows.ts';
import type { SliceRing } from '../window/ring.ts';
import { calibrationHash, definitionHash, legacyDefinitionHash, segmentRings } from './capture.ts';
import {
  decodeSnapshot,
  SNAPSHOT_VERSION,
  SnapshotError,
  type ModelEntryHeader,
  type PerformanceHeader,
  type RestoreFailure,
  type RingEntry,
  type SegmentHeader,
  type SnapshotHeader,
} from './format.ts';
import { openSnapshotFile, type OpenSnapshot, type PayloadBytes } from './read-file.ts';

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
  let file: OpenSnapshot;
  try {
    file = openSnapshotFile(path, maxSnapshotBytes(models));
  } catch (err) {
    if (err instanceof SnapshotError) return { restored: [], failures: [{ reason: err.reason, message: err.message }] };
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { restored: [], failures: [] };
    return { restored: [], failures: [{ reason: 'io', message: `${path}: ${(err as Error).message}` }] };
  }
  try {
    return restoreDecoded(file, models, now);
  } catch (err) {
    if (err instanceof SnapshotError) return { restored: [], failures: [{ reason: err.reason, message: err.message }] };
    return { restored: [], failures: [{ reason: 'io', message: `${path}: ${(err as Error).message}` }] };
  } finally {
    file.close();
  }
}

/**
 * The largest snapshot read: twice the configured models' rings, plus 64 MiB for the header and
 * models since removed. A larger file cannot be one of ours and is not read into memory.
 */
export function maxSnapshotBytes(models: Exporter['models']): number {
  let rings = 0;
  for (const entry of models.values()) {
    for (const ring of entry.windows.snapshotRings) rings += ring.bytes;
    for (const ring of entry.performance?.windowRings ?? []) rings += ring.bytes;
    for (const ring of entry.estimation?.windows.snapshotRings ?? []) rings += ring.bytes;
    for (const column of entry.segments) for (const ring of segmentRings(column)) rings += ring.bytes;
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
  return restoreDecoded(decoded, models, now);
}

/** Restores from a checked header and its payload (a whole file's, or read ring by ring). */
function restoreDecoded(
  { header, payload, version }: { header: SnapshotHeader; payload: PayloadBytes; version: number },
  models: Exporter['models'],
  now: number,
): RestoreReport {
  const report: RestoreReport = { restored: [], ageMs: now - header.createdMs, failures: [] };
  for (const saved of header.models) {
    const entry = models.get(saved.name);
    if (!entry) continue; // a model no longer configured
    const fail = (reason: RestoreFailure, message: string) =>
      report.failures.push({ reason, model: saved.name, message });
    const unchanged =
      saved.referenceHash === entry.windows.profile.hash &&
      matchRings(entry.windows.windowRings, saved.windows, payload);
    if (version < 2 && !unchanged) {
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
    const definition = version < 3 ? legacyDefinitionHash(entry) : definitionHash(entry);
    if (saved.definitionHash !== definition) {
      fail('definition', "the model's config or the ingest settings changed");
      continue;
    }
    const windows = matchRings(entry.windows.snapshotRings, saved.windows, payload);
    if (!windows) {
      fail('layout', 'the window rings have another shape');
      continue;
    }
    for (const [ring, bytes] of windows) ring.restore(bytes());
    restoreFreshness(entry.windows, saved);
    report.restored.push(saved.name);

    if (entry.performance && saved.performance && !restorePerformance(entry.performance, saved.performance, payload)) {
      fail('layout', 'the performance rings have another shape or other classes');
    }
    if (version < 3) {
      const missing = [entry.estimation && 'estimation sums', entry.segments.length > 0 && 'segments'].filter(Boolean);
      if (missing.length > 0) {
        fail('version', `snapshot format ${version} did not keep the ${missing.join(' or the ')}`);
      }
      continue;
    }
    const sameMap = restoreEstimation(entry, saved, payload, fail);
    restoreSegments(entry, saved, payload, sameMap, fail);
  }
  // A source resumes from the snapshot only with its model's windows: the two go together.
  report.sources = {};
  for (const [name, saved] of Object.entries(header.sources ?? {})) {
    if (report.restored.includes(saved.model)) report.sources[name] = saved.checkpoint;
  }
  return report;
}

type Fail = (reason: RestoreFailure, message: string) => void;

/** The newest record's time and the model version, unless the live state already has newer. */
function restoreFreshness(state: ModelWindows, saved: { lastRecordMs: number | null; modelVersion: string }): void {
  state.changes++;
  if (saved.lastRecordMs !== null && !(saved.lastRecordMs <= state.lastRecordMs)) {
    state.lastRecordMs = saved.lastRecordMs;
  }
  if (state.modelVersion === 'unknown') state.modelVersion = saved.modelVersion;
}

/** Performance rings and the classes seen, when the task, the rings and the known classes agree. */
function restorePerformance(performance: PerformanceWindows, saved: PerformanceHeader, payload: PayloadBytes): boolean {
  const names = performance.classes.names;
  const rings = matchRings(performance.windowRings, saved.windows, payload);
  const compatible =
    rings &&
    saved.task === performance.task &&
    saved.classes.length <= performance.classes.max &&
    names.every((name, i) => saved.classes[i] === name);
  if (!compatible) return false;
  for (const name of saved.classes.slice(names.length)) performance.classes.indexOf(name);
  for (const [ring, bytes] of rings) ring.restore(bytes());
  return true;
}

/**
 * The estimation's sums, only onto the calibration map they were summed on; whether the map is
 * that one (the segments' sums go with it).
 */
function restoreEstimation(entry: ModelEntry, saved: ModelEntryHeader, payload: PayloadBytes, fail: Fail): boolean {
  if (!entry.estimation || !saved.estimation) return false;
  const hash = calibrationHash(entry.estimation.calibration);
  if (saved.estimation.calibrationHash !== hash) {
    fail(
      'calibration',
      `the estimation sums were counted on calibration map ${saved.estimation.calibrationHash}, the map now is ${hash} (the labelled reference changed); they start empty`,
    );
    return false;
  }
  const rings = matchRings(entry.estimation.windows.snapshotRings, saved.estimation.windows, payload);
  if (!rings) fail('layout', 'the estimation rings have another shape');
  else for (const [ring, bytes] of rings) ring.restore(bytes());
  return true;
}

/**
 * Each segment column whose values and their reference profiles are those saved, whole or not at
 * all: a segment's counts belong to its value's own bins.
 */
function restoreSegments(
  entry: ModelEntry,
  saved: ModelEntryHeader,
  payload: PayloadBytes,
  /** Whether the estimation sums were counted on the calibration map in force. */
  sameMap: boolean,
  fail: Fail,
): void {
  for (const column of entry.segments) {
    const values = column.segments.map((segment) => segment.value);
    const savedColumn = saved.segments?.find((c) => c.column === column.column);
    if (!savedColumn) {
      fail('segments', `segment column ${column.column} was not segmented when the snapshot was written`);
      continue;
    }
    const sameValues =
      savedColumn.values.length === values.length && values.every((value, i) => savedColumn.values[i] === value);
    const sameProfiles = column.segments.every(
      (segment, i) => savedColumn.profileHashes[i] === segment.windows.profile.hash,
    );
    if (!sameValues || !sameProfiles) {
      const what = sameValues
        ? 'their reference profiles changed'
        : `values [${savedColumn.values.join(', ')}], now [${values.join(', ')}]`;
      fail('segments', `segment column ${column.column}: ${what}; its segments start empty`);
      continue;
    }
    const plans = column.segments.map((segment, i) => planSegment(segment, savedColumn.segments[i], payload, sameMap));
    if (plans.some((plan) => plan === undefined)) {
      fail('layout', `segment column ${column.column}: the segments' rings have another shape`);
      continue;
    }
    column.segments.forEach((segment, i) => {
      for (const [ring, bytes] of plans[i]!) ring.restore(bytes());
      restoreFreshness(segment.windows, savedColumn.segments[i]);
      const performance = savedColumn.segments[i].performance;
      if (segment.performance && performance && !restorePerformance(segment.performance, performance, payload)) {
        fail(
          'layout',
          `segment ${column.column}=${segment.value}: the performance rings have another shape or other classes`,
        );
      }
    });
  }
}

/**
 * A segment's window rings, and its estimation rings when summed on the same map, with their saved
 * bytes; undefined unless all match.
 */
function planSegment(
  segment: Segment,
  saved: SegmentHeader | undefined,
  payload: PayloadBytes,
  sameMap: boolean,
): RingBytes[] | undefined {
  if (!saved || saved.value !== segment.value) return undefined;
  const windows = matchRings(segment.windows.snapshotRings, saved.windows, payload);
  const estimation =
    segment.estimation && sameMap
      ? matchRings(segment.estimation.windows.snapshotRings, saved.estimation ?? [], payload)
      : [];
  if (!windows || !estimation) return undefined;
  return [...windows, ...estimation];
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

/** A ring and how to read its saved bytes (read when restored: one ring's bytes at a time). */
type RingBytes = [SliceRing, () => Uint8Array];

/** Each ring with its saved bytes, or undefined unless every ring has a saved twin of its shape. */
function matchRings(
  rings: readonly SliceRing[],
  saved: readonly RingEntry[],
  payload: PayloadBytes,
): RingBytes[] | undefined {
  if (!Array.isArray(saved) || saved.length !== rings.length) return undefined;
  const pairs: RingBytes[] = [];
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
    pairs.push([rings[i], () => payload.subarray(entry.offset, entry.offset + entry.length)]);
  }
  return pairs;
}

/** One line for what was restored (info) and one per failure (warn: the exporter goes on, emptier), at start. */
export function logRestore(
  report: RestoreReport,
  path: string,
  { info, warn }: { info: (line: string) => void; warn: (line: string) => void } = {
    info: (line) => console.info(line),
    warn: (line) => console.warn(line),
  },
): void {
  if (report.restored.length > 0) {
    const age = report.ageMs !== undefined ? `, ${Math.round(report.ageMs / 1000)} s old` : '';
    info(`mlmon-exporter: windows restored from ${path}${age}: ${report.restored.join(', ')}`);
  }
  for (const failure of report.failures) {
    const model = failure.model ? `model ${failure.model}: ` : '';
    warn(
      `mlmon-exporter: snapshot ${path} not restored (${failure.reason}): ${model}${failure.message}; starting empty`,
    );
  }
}
