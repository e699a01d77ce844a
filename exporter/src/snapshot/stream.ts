// The scheduler's snapshot writer: the rings go to the file one at a time, each copied into one
// reused buffer, instead of copying the whole window state first (which doubled the windows'
// memory until the copy was written and collected). The file is format.ts's, its payload byte for
// byte what captureSnapshot lays out; it is written durably and atomically as before (a temporary
// file beside the target, fsync, rename, fsync of the folder).
//
//  1. Plan, in one turn: every model's rings and their payload offsets (from their shapes, nothing
//     copied), and a header as things stand, whose length plus slack is the room kept for the header.
//  2. The temporary file is created (io.writeFile: O_EXCL|O_NOFOLLOW) with a blank preamble.
//  3. Unit by unit, each copied in one turn of the event loop and written at its offset: one ring;
//     or every ring of a model a durable source feeds, with the source's checkpoint taken in the
//     same turn, so that the two are restored together (sources/source.ts).
//  4. A model's header entry (freshness, classes) is taken in the turn its last ring is copied.
//     The header, padded with spaces to the room (JSON allows trailing white space), is written
//     after the payload; one grown past the room starts the file again with more room.
//  5. sha256 of header ‖ payload, read back from the file in 1 MiB steps; then the preamble.
//
// Extra memory while a snapshot is written: the one buffer, as large as the largest unit (one ring;
// or all the rings of the largest model a durable source feeds), and a 1 MiB read buffer.
// Consistency: each ring is the state of one instant; two rings of a model (its 1h and 24h windows,
// say) may differ by the records counted between their copies, milliseconds apart, except in a
// model a durable source feeds, whose rings and checkpoint are all of one instant.
import { createHash } from 'node:crypto';
import { dirname } from 'node:path';
import type { Exporter } from '../exporter.ts';
import type { ModelEntry } from '../model-entry.ts';
import type { Source } from '../sources/source.ts';
import type { SliceRing } from '../window/ring.ts';
import { checkpointsOf, modelHeader, placeRings, ringsOf, snapshotHeader } from './capture.ts';
import { encodePreamble, headerBytes, PREAMBLE_BYTES, type ModelEntryHeader, type SnapshotHeader } from './format.ts';
import { SnapshotWriteError, writeFailureOf, type SnapshotFile, type SnapshotIo } from './write.ts';

export interface StreamedSnapshot {
  /** The file's size. */
  bytes: number;
  /** The largest copy of window state held at once (the reused buffer). */
  copyBytes: number;
}

interface PlannedModel {
  name: string;
  entry: ModelEntry;
  rings: SliceRing[];
  /** The durable sources feeding it: its rings are copied in one turn, with their checkpoints. */
  sources: Source[];
}

interface Plan {
  models: PlannedModel[];
  /** Where each ring lies in the payload. */
  offsets: Map<SliceRing, number>;
  payloadBytes: number;
  /** Bytes of the largest unit copied at once. */
  largestUnit: number;
  /** Length of the header as things stood at the plan. */
  headerEstimate: number;
}

/** Header bytes kept beyond the planned header's length: room for later checkpoints and freshness. */
const headerSlack = (length: number) => Math.max(4096, length >> 4);
const READ_STEP = 1 << 20;

/** Writes a snapshot of `models` to `target`, streamed; a SnapshotWriteError says why it could not. */
export async function writeStreamedSnapshot(
  target: string,
  models: Exporter['models'],
  sources: readonly Source[],
  io: SnapshotIo,
  /** The header's `createdMs`: read when the first ring is copied, the instant the capture begins. */
  clock: () => number = Date.now,
): Promise<StreamedSnapshot> {
  let room = 0;
  for (let attempt = 1; ; attempt++) {
    const plan = planSnapshot(models, sources, clock());
    room = Math.max(room, plan.headerEstimate + headerSlack(plan.headerEstimate));
    try {
      await writeDurably(target, io, (file) => streamInto(file, plan, room, clock));
      return { bytes: PREAMBLE_BYTES + room + plan.payloadBytes, copyBytes: plan.largestUnit };
    } catch (err) {
      if (err instanceof HeaderOutgrown && attempt < 3) {
        room = err.needed + headerSlack(err.needed);
        continue;
      }
      throw new SnapshotWriteError(writeFailureOf(err), (err as Error).message);
    }
  }
}

function planSnapshot(models: Exporter['models'], sources: readonly Source[], createdMs: number): Plan {
  const planned: PlannedModel[] = [];
  const offsets = new Map<SliceRing, number>();
  let payloadBytes = 0;
  let largestUnit = 0;
  for (const [name, entry] of models) {
    const rings = ringsOf(entry);
    const feeding = sources.filter((source) => source.checkpoint && source.model === name);
    const model: PlannedModel = { name, entry, rings, sources: feeding };
    let modelBytes = 0;
    for (const ring of rings) {
      offsets.set(ring, payloadBytes);
      payloadBytes += ring.bytes;
      modelBytes += ring.bytes;
      largestUnit = Math.max(largestUnit, ring.bytes);
    }
    if (feeding.length > 0) largestUnit = Math.max(largestUnit, modelBytes);
    planned.push(model);
  }
  const placed = placeRings(offsets);
  const estimate = snapshotHeader(
    createdMs,
    planned.map((model) => modelHeader(model.name, model.entry, placed)),
    checkpointsOf(sources),
  );
  return { models: planned, offsets, payloadBytes, largestUnit, headerEstimate: headerBytes(estimate).byteLength };
}

class HeaderOutgrown extends Error {
  constructor(readonly needed: number) {
    super(`the snapshot header grew to ${needed} bytes while it was written`);
  }
}

/** Steps 3-5 on the temporary file, `room` bytes kept for the header. */
async function streamInto(file: SnapshotFile, plan: Plan, room: number, clock: () => number): Promise<void> {
  const payloadAt = PREAMBLE_BYTES + room;
  const buffer = Buffer.allocUnsafeSlow(plan.largestUnit);
  const placed = placeRings(plan.offsets);
  const entries: ModelEntryHeader[] = [];
  let createdMs: number | undefined;
  const checkpoints: NonNullable<SnapshotHeader['sources']> = {};
  for (const model of plan.models) {
    const step = model.sources.length > 0 ? model.rings.length : 1;
    for (let first = 0; first < model.rings.length; first += step) {
      // One turn of the event loop from here to the write: what is copied is one instant's state.
      ringsOf(model.entry); // adds the counts still pending to the rings
      createdMs ??= clock();
      let end = 0;
      for (const ring of model.rings.slice(first, first + step)) end = ring.serializeInto(buffer, end);
      if (first + step >= model.rings.length) {
        entries.push(modelHeader(model.name, model.entry, placed));
        Object.assign(checkpoints, checkpointsOf(model.sources));
      }
      await writeAll(file, buffer.subarray(0, end), payloadAt + plan.offsets.get(model.rings[first])!);
    }
    if (model.rings.length === 0) entries.push(modelHeader(model.name, model.entry, placed));
  }
  const header = headerBytes(snapshotHeader(createdMs ?? clock(), entries, checkpoints));
  if (header.byteLength > room) throw new HeaderOutgrown(header.byteLength);
  const padded = Buffer.alloc(room, 0x20);
  header.copy(padded);
  await writeAll(file, padded, PREAMBLE_BYTES);

  const hash = createHash('sha256');
  const step = Buffer.allocUnsafe(Math.min(READ_STEP, room + plan.payloadBytes));
  const end = payloadAt + plan.payloadBytes;
  for (let at = PREAMBLE_BYTES; at < end;) {
    const { bytesRead } = await file.read(step, 0, Math.min(step.byteLength, end - at), at);
    if (bytesRead === 0) throw new Error(`the temporary snapshot ends at ${at} bytes of ${end}`);
    hash.update(step.subarray(0, bytesRead));
    at += bytesRead;
  }
  await writeAll(file, encodePreamble(padded, plan.payloadBytes, hash.digest()), 0);
}

async function writeAll(file: SnapshotFile, bytes: Uint8Array, position: number): Promise<void> {
  for (let done = 0; done < bytes.byteLength;) {
    const { bytesWritten } = await file.write(bytes, done, bytes.byteLength - done, position + done);
    done += bytesWritten;
  }
}

/**
 * Creates `${target}.tmp` with a blank preamble, fills it through `fill`, fsyncs it and
 * renames it over `target`; the temporary file is removed when any step fails.
 */
async function writeDurably(
  target: string,
  io: SnapshotIo,
  fill: (file: SnapshotFile) => Promise<void>,
): Promise<void> {
  const folder = dirname(target);
  const temporary = `${target}.tmp`;
  try {
    await io.makeDir(folder); // the folder may have been removed under the running exporter
    await io.writeFile(temporary, [Buffer.alloc(PREAMBLE_BYTES)]); // blank until all else is written
    const file = await io.open(temporary);
    try {
      await fill(file);
      await file.sync();
    } finally {
      await file.close();
    }
    await io.rename(temporary, target);
    await io.syncDir(folder);
  } catch (err) {
    await io.remove(temporary).catch(() => undefined);
    throw err;
  }
}
