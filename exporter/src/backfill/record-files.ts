// The records of several JSONL files (one ingest record per line, as POST /api/v1/records takes),
// merged into one stream by timestamp. Each file is read as a stream and is expected to be in
// time order, as inference logs are: the merge then needs one pending record per file, so memory
// does not grow with the history's length. A record that is out of order within its file is fed
// when its turn comes, like a late arrival at a live exporter.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { validateRecord } from '../records/validate-record.ts';
import { isAggregateLine, validateAggregateLine, type AggregateLine } from './aggregate-lines.ts';
import type { InferenceRecord } from '../window/record.ts';

/** A record with its place, and a bad line, which is reported and skipped. */
export type FileItem = TimedRecord | { rejection: { where: string; field: string; reason: string } };
export interface TimedRecord {
  record: InferenceRecord & { timestampMs: number };
  where: string;
  /** A pre-aggregated line (aggregate-lines.ts): `record` then only carries its model and time. */
  aggregate?: AggregateLine;
}

/** Validated records of one file, each with `file:line`; blank lines are skipped. */
export async function* recordsOfFile(path: string, maxFeatures: number): AsyncGenerator<FileItem> {
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber++;
    if (line.trim() === '') continue;
    const where = `${path}:${lineNumber}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      yield { rejection: { where, field: '', reason: 'invalid_json' } };
      continue;
    }
    if (isAggregateLine(value)) {
      const aggregate = validateAggregateLine(value);
      if ('rejection' in aggregate) yield { rejection: { where, ...aggregate.rejection } };
      else {
        const { model, timestampMs } = aggregate.line;
        yield { record: { model, features: {}, timestampMs }, where, aggregate: aggregate.line };
      }
      continue;
    }
    const validation = validateRecord(value, maxFeatures);
    if ('rejection' in validation) {
      yield { rejection: { where, ...validation.rejection } };
    } else if (validation.record.timestampMs === undefined) {
      // A live exporter stamps such a record with its arrival; a replay has no arrival time.
      yield { rejection: { where, field: 'timestamp', reason: 'missing' } };
    } else {
      yield { record: validation.record as InferenceRecord & { timestampMs: number }, where };
    }
  }
}

/** Every file's items, the records merged by timestamp (ties: the earlier file first). */
export async function* mergedRecords(paths: readonly string[], maxFeatures: number): AsyncGenerator<FileItem> {
  const streams = paths.map((path) => recordsOfFile(path, maxFeatures));
  const heads: (TimedRecord | undefined)[] = [];
  const pull = async (i: number): Promise<FileItem[]> => {
    // Rejections pass straight through; the head of a file is its next good record.
    const rejections: FileItem[] = [];
    for (;;) {
      const next = await streams[i].next();
      if (next.done) {
        heads[i] = undefined;
        return rejections;
      }
      if ('rejection' in next.value) rejections.push(next.value);
      else {
        heads[i] = next.value;
        return rejections;
      }
    }
  };
  for (let i = 0; i < streams.length; i++) yield* await pull(i);
  for (;;) {
    let first = -1;
    for (let i = 0; i < heads.length; i++) {
      const head = heads[i];
      if (head && (first < 0 || head.record.timestampMs < heads[first]!.record.timestampMs)) first = i;
    }
    if (first < 0) return;
    yield heads[first]!;
    yield* await pull(first);
  }
}
