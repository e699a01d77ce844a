// Captures the models' window state for a snapshot, synchronously: every ring is copied in the
// same turn of the event loop, so the snapshot is the state at one instant, whatever arrives while
// it is hashed and written.
import { createHash } from 'node:crypto';
import type { Exporter } from '../exporter.ts';
import type { ModelEntry } from '../model-entry.ts';
import { BUILD } from '../version.ts';
import type { SliceRing } from '../window/ring.ts';
import type { Source } from '../sources/source.ts';
import { machineEndianness, type ModelEntryHeader, type RingEntry, type SnapshotHeader } from './format.ts';

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
    if (entry.performance) {
      header.performance = {
        task: entry.performance.task,
        classes: [...entry.performance.classes.names],
        windows: ringEntries(entry.performance.windowRings),
      };
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

/** sha256 of the model's definition (config and ingest settings, as a reload compares them). */
export function definitionHash(entry: ModelEntry): string {
  let hash = definitionHashes.get(entry);
  if (hash === undefined) {
    hash = createHash('sha256')
      .update(entry.definition ?? '')
      .digest('hex')
      .slice(0, 16);
    definitionHashes.set(entry, hash);
  }
  return hash;
}
