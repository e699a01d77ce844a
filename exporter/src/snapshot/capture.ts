// Captures the models' window state for a snapshot, synchronously: every ring is copied in the
// same turn of the event loop, so the snapshot is the state at one instant, whatever arrives while
// it is hashed and written.
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

export function captureSnapshot(
  models: Exporter['models'],
  now = Date.now(),
  sources: readonly Source[] = [],
): CapturedSnapshot {
  const chunks: Uint8Array[] = [];
  let offset = 0;
  const ringEntries = (rings: readonly SliceRing[]): RingEntry[] =>
    rings.map((ring) => {
      const bytes = ring.serialize();
      chunks.push(bytes);
      const entry = { ...ring.shape, offset, length: bytes.byteLength };
      offset += bytes.byteLength;
      return entry;
    });
  const entries: ModelEntryHeader[] = [];
  for (const [name, entry] of models) {
    const state = entry.windows;
    const header: ModelEntryHeader = {
      name,
      referenceHash: state.profile.hash,
      definitionHash: definitionHash(entry),
      lastRecordMs: Number.isFinite(state.lastRecordMs) ? state.lastRecordMs : null,
      modelVersion: state.modelVersion,
      windows: ringEntries(state.snapshotRings),
    };
    const performanceOf = (performance: PerformanceWindows): PerformanceHeader => ({
      task: performance.task,
      classes: [...performance.classes.names],
      windows: ringEntries(performance.windowRings),
    });
    if (entry.performance) header.performance = performanceOf(entry.performance);
    if (entry.estimation) {
      header.estimation = {
        calibrationHash: calibrationHash(entry.estimation.calibration),
        windows: ringEntries(entry.estimation.windows.snapshotRings),
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
          windows: ringEntries(segment.windows.snapshotRings),
          performance: segment.performance && performanceOf(segment.performance),
          estimation: segment.estimation && ringEntries(segment.estimation.windows.snapshotRings),
        })),
      }));
    }
    entries.push(header);
  }
  const checkpoints: SnapshotHeader['sources'] = {};
  for (const source of sources) {
    if (source.checkpoint && source.model !== undefined) {
      checkpoints[source.name] = { model: source.model, checkpoint: source.checkpoint() };
    }
  }
  return {
    header: {
      createdMs: now,
      endianness: machineEndianness(),
      exporterVersion: BUILD.version,
      models: entries,
      sources: checkpoints,
    },
    chunks,
    payloadBytes: offset,
  };
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
