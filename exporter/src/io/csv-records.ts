// Complete CSV records out of a growing file's new bytes, for tailing: a quoted field may hold
// newlines, so a record ends at the last newline outside quotes, not at the last newline. The bytes
// up to there go to csv-parse; the rest waits for the next read.
import { parse as parseCsv } from 'csv-parse/sync';

/** A record still open after this many bytes is given up on, so one stray quote cannot stall a file. */
export const MAX_PENDING_RECORD_BYTES = 1024 * 1024;

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

/**
 * Bytes up to and including the last newline that ends a record (or the `maxRecords`-th),
 * scanning from a record start.
 */
export function completeRecordsEnd(bytes: Uint8Array, maxRecords = Infinity): number {
  let end = 0;
  let records = 0;
  let quoted = false;
  let fieldStart = true;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (quoted) {
      if (b !== QUOTE) continue;
      if (bytes[i + 1] === QUOTE)
        i++; // "" is a quote inside the field
      else quoted = false;
    } else if (b === QUOTE && fieldStart) {
      quoted = true;
      fieldStart = false;
    } else if (b === LF) {
      end = i + 1;
      fieldStart = true;
      if (++records >= maxRecords) break;
    } else {
      fieldStart = b === COMMA || b === CR;
    }
  }
  return end;
}

/** The header of a CSV file from its first bytes, and the bytes it takes; undefined until complete. */
export function parseHeader(bytes: Buffer): { header: string[]; end: number } | undefined {
  const end = completeRecordsEnd(bytes, 1);
  if (end === 0) return undefined;
  const [header] = parseCsv(bytes.subarray(0, end), { bom: true, relax_quotes: true }) as string[][];
  return header ? { header, end } : undefined;
}

export interface CsvRecords {
  records: string[][];
  /** Bytes consumed; the rest is an incomplete record. */
  consumed: number;
  /** Records that could not be parsed and were skipped. */
  errors: number;
}

/** Parses the complete records in `bytes`; a pending record over the limit is dropped as an error. */
export function parseCompleteRecords(bytes: Buffer): CsvRecords {
  let consumed = completeRecordsEnd(bytes);
  let errors = 0;
  if (consumed === 0 && bytes.length > MAX_PENDING_RECORD_BYTES) {
    // An unclosed quote: skip to the first newline and carry on from there.
    consumed = bytes.indexOf(LF) + 1 || bytes.length;
    return { records: [], consumed, errors: 1 };
  }
  const records = parseCsv(bytes.subarray(0, consumed), {
    bom: true,
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_skip: () => {
      errors++;
    },
  }) as string[][];
  return { records, consumed, errors };
}
