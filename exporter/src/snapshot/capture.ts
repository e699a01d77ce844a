// What a snapshot holds of each model: its rings in payload order and its header entry (identity
// hashes, freshness, classes, where each ring lies); and the whole state captured in memory at once.
import { createHash } from 'node:crypto';
import type { Exporter } from '../exporter.ts';
import type { ModelEntry } from '../model-entry.ts';
import { isMulticlass, type EstimationCalibration } from '../performance/cbpe-multiclass-calibration.ts';
import type { PerformanceWindows } from '../performance/performance-windows.ts';
import type { SegmentColumn } from '../segments/segment-entry.ts';
import { BUILD } from '../version.ts';
import type { SliceRing } from '../window/ring.ts';
import type { Source } from '../sources/source.ts';
import {
  machineEndianness,
  type ModelEntryHeader,
  type PerformanceHeader,
  type RingEntry,
  type SegmentColumnHeader,
  type SnapshotHeader,
} from './format.ts';

export interface CapturedSnapshot {
  header: SnapshotHeader;
  /** The payload, in order: the rings' bytes at the offsets the header names. */
  chunks: Uint8Array[];
  payloadBytes: number;
}

/**
 * The whole state in memory at one instant: every ring copied in the same turn of the event loop.
 * The scheduler streams instead (stream.ts: one ring's copy at a time); this stays for callers that
 * want the bytes themselves, and the two write the same layout.
 */
export function captureSnapshot(
  models: Exporter['models'],
  now = Date.now(),
  sources: readonly Source[] = [],
): CapturedSnapshot {
  const chunks: Uint8Array[] = [];
  const offsets = new Map<SliceRing, number>();
  let offset = 0;
  for (const entry of models.values()) {
    for (const ring of ringsOf(entry)) {
      const bytes = ring.serialize();
      chunks.push(bytes);
      offsets.set(ring, offset);
      offset += bytes.byteLength;
    }
  }
  const placed = placeRings(offsets);
  const entries = [...models].map(([name, entry]) => modelHeader(name, entry, placed));
  return { header: snapshotHeader(now, entries, checkpointsOf(sources)), chunks, payloadBytes: offset };
}

/** Every ring of a model, in the order its header names them (and the payload holds them). */
export function ringsOf(entry: ModelEntry): SliceRing[] {
  return [
    ...entry.windows.snapshotRings, // the getter adds the counts still pending to the rings
    ...(entry.performance?.windowRings ?? []),
    ...(entry.estimation?.windows.snapshotRings ?? []),
    ...entry.segments.flatMap(segmentRings),
  ];
}

/** Ring entries of the header, from where each ring lies in the payload. */
export function placeRings(offsets: ReadonlyMap<SliceRing, number>): (rings: readonly SliceRing[]) => RingEntry[] {
  return (rings) =>
    rings.map((ring) => {
      const offset = offsets.get(ring);
      if (offset === undefined) throw new Error('snapshot: a ring that was not planned');
      return { ...ring.shape, offset, length: ring.bytes };
    });
}

/** A model's header: its identity, freshness and classes as they are now, its rings where `placed` says. */
export function modelHeader(
  name: string,
  entry: ModelEntry,
  placed: (rings: readonly SliceRing[]) => RingEntry[],
): ModelEntryHeader {
  const state = entry.windows;
  const header: ModelEntryHeader = {
    name,
    referenceHash: state.profile.hash,
    definitionHash: definitionHash(entry),
    lastRecordMs: Number.isFinite(state.lastRecordMs) ? state.lastRecordMs : null,
    modelVersion: state.modelVersion,
    windows: placed(state.snapshotRings),
  };
  const performanceOf = (performance: PerformanceWindows): PerformanceHeader => ({
    task: performance.task,
    classes: [...performance.classes.names],
    windows: placed(performance.windowRings),
  });
  if (entry.performance) header.performance = performanceOf(entry.performance);
  if (entry.estimation) {
    header.estimation = {
      calibrationHash: calibrationHash(entry.estimation.calibration),
      windows: placed(entry.estimation.windows.snapshotRings),
    };
  }
  if (entry.segments.length > 0) {
    header.segments = entry.segments.map((column): SegmentColumnHeader => ({
      column: column.column,
      values: column.segments.map((segment) => segment.value),
      profileHashes: column.segments.map((segment) => segment.windows.profile.hash),
      segments: column.segments.map((segment) => ({
        value: segment.value,
        lastRecordMs: Number.isFinite(segment.windows.lastRecordMs) ? segment.windows.lastRecordMs : null,
        modelVersion: segment.windows.modelVersion,
        windows: placed(segment.windows.snapshotRings),
        performance: segment.performance && performanceOf(segment.performance),
        estimation: segment.estimation && placed(segment.estimation.windows.snapshotRings),
      })),
    }));
  }
  return header;
}

/** The durable sources' checkpoints, as they stand now. */
export function checkpointsOf(sources: readonly Source[]): NonNullable<SnapshotHeader['sources']> {
  const checkpoints: NonNullable<SnapshotHeader['sources']> = {};
  for (const source of sources) {
    if (source.checkpoint && source.model !== undefined) {
      checkpoints[source.name] = { model: source.model, checkpoint: source.checkpoint() };
    }
  }
  return checkpoints;
}

export function snapshotHeader(
  createdMs: number,
  models: ModelEntryHeader[],
  sources: NonNullable<SnapshotHeader['sources']>,
): SnapshotHeader {
  return { createdMs, endianness: machineEndianness(), exporterVersion: BUILD.version, models, sources };
}

const definitionHashes = new WeakMap<ModelEntry, string>();
const legacyDefinitionHashes = new WeakMap<ModelEntry, string>();

/**
 * sha256 of the model's definition (config and ingest settings, as a reload compares them) without
 * its segment settings: the segments are checked on their own (values and reference profiles), so
 * a changed segment config empties the segments only.
 */
export function definitionHash(entry: ModelEntry): string {
  let hash = definitionHashes.get(entry);
  if (hash === undefined) {
    hash = shortHash(withoutSegments(entry.definition ?? ''));
    definitionHashes.set(entry, hash);
  }
  return hash;
}

/** The definition hash of formats 1 and 2: the whole definition, segment settings included. */
export function legacyDefinitionHash(entry: ModelEntry): string {
  let hash = legacyDefinitionHashes.get(entry);
  if (hash === undefined) {
    hash = shortHash(entry.definition ?? '');
    legacyDefinitionHashes.set(entry, hash);
  }
  return hash;
}

function withoutSegments(definition: string): string {
  if (definition === '') return definition;
  const parsed = JSON.parse(definition) as { model?: Record<string, unknown> };
  if (parsed.model) {
    delete parsed.model.segments;
    delete parsed.model.segment_values;
  }
  return JSON.stringify(parsed);
}

const calibrationHashes = new WeakMap<EstimationCalibration, string>();

/**
 * sha256 of a calibration map (multiclass: its classes and each class's map): estimation sums are
 * per interval of one map, meaningless on another.
 */
export function calibrationHash(calibration: EstimationCalibration): string {
  let hash = calibrationHashes.get(calibration);
  if (hash === undefined) {
    const digest = createHash('sha256');
    if (isMulticlass(calibration)) digest.update(JSON.stringify(calibration.classes));
    for (const map of isMulticlass(calibration) ? calibration.maps : [calibration]) {
      digest.update(String(map.rows));
      for (const array of [map.x, map.y, map.variance]) {
        digest.update(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
        digest.update('|');
      }
    }
    hash = digest.digest('hex').slice(0, 16);
    calibrationHashes.set(calibration, hash);
  }
  return hash;
}

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** Every ring of a segment column (for the snapshot's read bound). */
export function segmentRings(column: SegmentColumn): SliceRing[] {
  return column.segments.flatMap((segment) => [
    ...segment.windows.snapshotRings,
    ...(segment.performance?.windowRings ?? []),
    ...(segment.estimation?.windows.snapshotRings ?? []),
  ]);
}
