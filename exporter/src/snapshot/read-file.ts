// Reading the snapshot at start without holding the file in memory: the checksum is computed over
// the file in 1 MiB steps, and each ring's bytes are read when it is restored, into one reused
// buffer. Reading the whole file at once held the window memory twice at start (+107 MiB for
// 10 models of 52 features), on top of the windows being restored.
import { closeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { openRegularFile, readAt } from '../util/safe-file.ts';
import { checkPreamble, parseHeader, PREAMBLE_BYTES, SnapshotError, type SnapshotHeader } from './format.ts';

/** A snapshot's payload, read piece by piece (a Buffer holding it all is one too). */
export interface PayloadBytes {
  readonly byteLength: number;
  /** Bytes [start, end) of the payload; from a file, valid until the next call (a reused buffer). */
  subarray(start: number, end: number): Uint8Array;
}

export interface OpenSnapshot {
  header: SnapshotHeader;
  version: number;
  payload: PayloadBytes;
  close(): void;
}

const HASH_STEP = 1 << 20;

/**
 * The snapshot at `path`, checked (preamble, checksum, header) as decodeSnapshot checks a whole
 * file: a SnapshotError says why not; an unsafe or unreadable file throws as openRegularFile does.
 */
export function openSnapshotFile(path: string, maxBytes: number): OpenSnapshot {
  const { fd, size } = openRegularFile(path, maxBytes);
  try {
    const head = Buffer.alloc(Math.min(PREAMBLE_BYTES, size));
    readExactly(fd, head, head.byteLength, 0);
    const { version, headerLength, payloadLength, digest } = checkPreamble(head, size);
    const hash = createHash('sha256');
    const step = Buffer.allocUnsafe(Math.min(HASH_STEP, size - PREAMBLE_BYTES));
    for (let at = PREAMBLE_BYTES; at < size; at += step.byteLength) {
      const length = Math.min(step.byteLength, size - at);
      readExactly(fd, step, length, at);
      hash.update(step.subarray(0, length));
    }
    if (!hash.digest().equals(digest)) throw new SnapshotError('corrupt', 'sha256 checksum mismatch');
    const headerBytes = Buffer.alloc(headerLength);
    readExactly(fd, headerBytes, headerLength, PREAMBLE_BYTES);
    const header = parseHeader(headerBytes);
    const payloadAt = PREAMBLE_BYTES + headerLength;
    let buffer = Buffer.alloc(0);
    const payload: PayloadBytes = {
      byteLength: payloadLength,
      subarray(start, end) {
        if (buffer.byteLength < end - start) buffer = Buffer.allocUnsafe(end - start);
        const out = buffer.subarray(0, end - start);
        readExactly(fd, out, out.byteLength, payloadAt + start);
        return out;
      },
    };
    return { header, version, payload, close: () => closeSync(fd) };
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}

/** The file changed under us (it is replaced by rename, never written in place): a short read. */
function readExactly(fd: number, out: Uint8Array, length: number, position: number): void {
  const read = readAt(fd, out, length, position);
  if (read < length) throw new SnapshotError('truncated', `the file ended at ${position + read} bytes`);
}
