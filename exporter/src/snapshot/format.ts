// The snapshot file format, version 3: a fixed 64-byte preamble, a JSON header, a binary payload.
//
//   offset  size  field
//        0     8  magic "MLMONSNP"
//        8     4  format version, uint32 LE (3)
//       12     4  header length in bytes, uint32 LE
//       16     8  payload length in bytes, uint64 LE
//       24    32  sha256 of header ‖ payload
//       56     8  reserved, zero
//       64     …  header: UTF-8 JSON (SnapshotHeader), maybe followed by spaces (the room a
//                  streamed write keeps for it, stream.ts; JSON.parse skips them)
//              …  payload: the rings' Float64Arrays as bytes, at the offsets the header names
//
// The checksum covers everything after the preamble, so a flipped bit anywhere in the header or
// the payload is found; lengths in the preamble tell a truncated file from a corrupt one.
//
// Versions: 2 did not keep the label-free estimation's sums nor the segments' windows; its bytes
// are laid out as 3's (3 only adds header fields and rings after them), so it is read like 3 and
// those parts start empty, with reason `version`. 1 was written before reference profiles gained tail edges and per-bin sums of the fine
// CDF (which widen a numeric feature's rings). Its bytes are laid out as 2's, so it is still read:
// a model whose reference profile and ring shapes are unchanged restores as from version 2, any
// other is refused with reason `version` and says why (restore.ts).
//
// Since 3 the model's definition hash leaves out `segments` and `segment_values`: a changed segment
// config empties the segments (reason `segments`), not the whole model.
import { createHash } from 'node:crypto';
import { endianness } from 'node:os';
import type { RingShape } from '../window/ring.ts';
import { headerProblem } from './header-schema.ts';

export const SNAPSHOT_MAGIC = 'MLMONSNP';
export const SNAPSHOT_VERSION = 3;
/** Format versions this exporter reads. */
export const READABLE_VERSIONS: readonly number[] = [1, 2, 3];
export const PREAMBLE_BYTES = 64;

/** Why a snapshot was not restored (bounded: the `reason` label of the restore failures). */
export type RestoreFailure =
  'truncated' | 'corrupt' | 'version' | 'foreign' | 'definition' | 'layout' | 'calibration' | 'segments' | 'io';
export const RESTORE_FAILURES: readonly RestoreFailure[] = [
  'truncated',
  'corrupt',
  'version',
  'foreign',
  'definition',
  'layout',
  'calibration',
  'segments',
  'io',
];

/** One ring's place in the payload. */
export interface RingEntry extends RingShape {
  offset: number;
  length: number;
}

export interface PerformanceHeader {
  task: string;
  classes: string[];
  windows: RingEntry[];
}

/** One segment value's state: its windows, realised performance and estimation sums. */
export interface SegmentHeader {
  value: string;
  lastRecordMs: number | null;
  modelVersion: string;
  windows: RingEntry[];
  performance?: PerformanceHeader;
  estimation?: RingEntry[];
}

/** A segment column: restored only when its values and their reference profiles are unchanged. */
export interface SegmentColumnHeader {
  column: string;
  values: string[];
  /** `hash` of each value's reference profile, in `values`' order. */
  profileHashes: string[];
  segments: SegmentHeader[];
}

export interface ModelEntryHeader {
  name: string;
  /** `profile.hash` of the reference in force: another reference makes the snapshot foreign. */
  referenceHash: string;
  /** sha256 of the model's definition (its config and the ingest settings). */
  definitionHash: string;
  /** Newest record counted (ms), null before any. */
  lastRecordMs: number | null;
  modelVersion: string;
  windows: RingEntry[];
  performance?: PerformanceHeader;
  /** Since 3: the label-free estimation's sums, valid only with the calibration map they were summed on. */
  estimation?: { calibrationHash: string; windows: RingEntry[] };
  /** Since 3. */
  segments?: SegmentColumnHeader[];
}

export interface SnapshotHeader {
  /** When the state was captured (ms since the epoch). */
  createdMs: number;
  /** Byte order of the payload's Float64Arrays. */
  endianness: 'LE' | 'BE';
  exporterVersion: string;
  models: ModelEntryHeader[];
  /** Durable sources' checkpoints by source name, taken with the windows (see Source.checkpoint). */
  sources?: Record<string, { model: string; checkpoint: unknown }>;
}

export class SnapshotError extends Error {
  constructor(
    readonly reason: RestoreFailure,
    message: string,
  ) {
    super(message);
  }
}

export function headerBytes(header: SnapshotHeader): Buffer {
  return Buffer.from(JSON.stringify(header), 'utf8');
}

/** The fixed preamble of a file whose header and payload are `header` and `payloadLength` bytes. */
export function encodePreamble(header: Buffer, payloadLength: number, digest: Buffer): Buffer {
  const preamble = Buffer.alloc(PREAMBLE_BYTES);
  preamble.write(SNAPSHOT_MAGIC, 0, 'latin1');
  preamble.writeUInt32LE(SNAPSHOT_VERSION, 8);
  preamble.writeUInt32LE(header.byteLength, 12);
  preamble.writeBigUInt64LE(BigInt(payloadLength), 16);
  digest.copy(preamble, 24);
  return preamble;
}

export function machineEndianness(): 'LE' | 'BE' {
  return endianness();
}

/** What the preamble says of the rest of the file. */
export interface Preamble {
  version: number;
  headerLength: number;
  payloadLength: number;
  /** The sha256 of header ‖ payload it names. */
  digest: Buffer;
}

/**
 * Checks a file's preamble (`head`: its first PREAMBLE_BYTES bytes, fewer in a shorter file)
 * against the file's size, or a SnapshotError saying why not.
 */
export function checkPreamble(head: Buffer, fileBytes: number): Preamble {
  if (fileBytes < PREAMBLE_BYTES) {
    if (fileBytes === 0 || SNAPSHOT_MAGIC.startsWith(head.subarray(0, 8).toString('latin1'))) {
      throw new SnapshotError('truncated', `${fileBytes} bytes, shorter than the ${PREAMBLE_BYTES}-byte preamble`);
    }
    throw new SnapshotError('corrupt', 'not an mlmon snapshot (bad magic)');
  }
  if (head.subarray(0, 8).toString('latin1') !== SNAPSHOT_MAGIC) {
    throw new SnapshotError('corrupt', 'not an mlmon snapshot (bad magic)');
  }
  const version = head.readUInt32LE(8);
  if (!READABLE_VERSIONS.includes(version)) {
    throw new SnapshotError(
      'version',
      `format version ${version}; this exporter reads versions ${READABLE_VERSIONS.join(' and ')}`,
    );
  }
  const headerLength = head.readUInt32LE(12);
  const payloadLength = Number(head.readBigUInt64LE(16));
  const expected = PREAMBLE_BYTES + headerLength + payloadLength;
  if (fileBytes < expected) {
    throw new SnapshotError('truncated', `${fileBytes} bytes of ${expected}`);
  }
  if (fileBytes > expected) {
    throw new SnapshotError('corrupt', `${fileBytes - expected} bytes after the payload`);
  }
  return { version, headerLength, payloadLength, digest: head.subarray(24, 56) };
}

/** The header's bytes as a checked SnapshotHeader, or a SnapshotError saying why not. */
export function parseHeader(bytes: Buffer): SnapshotHeader {
  let header: SnapshotHeader;
  try {
    header = JSON.parse(bytes.toString('utf8')) as SnapshotHeader;
  } catch (err) {
    throw new SnapshotError('corrupt', `header: ${(err as Error).message}`);
  }
  const problem = headerProblem(header);
  if (problem) throw new SnapshotError('corrupt', `header: ${problem}`);
  if (header.endianness !== machineEndianness()) {
    throw new SnapshotError('version', `written ${header.endianness}, this machine is ${machineEndianness()}`);
  }
  return header;
}

/** Checks a whole file's bytes: the header and the payload, or a SnapshotError saying why not. */
export function decodeSnapshot(file: Buffer): { header: SnapshotHeader; payload: Buffer; version: number } {
  const { version, headerLength, digest } = checkPreamble(file, file.byteLength);
  const body = file.subarray(PREAMBLE_BYTES);
  if (!createHash('sha256').update(body).digest().equals(digest)) {
    throw new SnapshotError('corrupt', 'sha256 checksum mismatch');
  }
  return { header: parseHeader(body.subarray(0, headerLength)), payload: body.subarray(headerLength), version };
}
