// Counts the postgres source's rows into per-slice aggregates. PostgreSQL streams the rows of a
// read in COPY's binary format (postgres-sql.ts: the timestamp, each numeric feature as float8,
// each categorical one as text), and this folds them, chunk by chunk, into one accumulator per
// time slice: cell counts (postgres-cells.ts: a cell fixes the PSI bin, fine bin and out-of-range
// flag; a category's cell is its 1-based position in the profile's list, as array_position gives
// it), and for numeric features the sums of the centred value and its square, min, max and the
// centred sum per fine bin. Nothing per row is kept.
//
// Why in Node: grouping by (slice, cell) in the database costs one hash-table update per row and
// feature, several times a plain scan; streaming the values costs one send call per value and a
// tight loop here (see the postgres section of sources/README.md).
//
// Memory: one accumulator per slice that has rows, each one Float64Array of the features' cells
// (+ fine bins and 4 sums per numeric feature), about a ring slot's width. Slices are clamped to
// [oldest, newest]: every slice wholly older than the longest window is counted as one (its rows
// are late anyway) and every slice that starts past `now + horizon` as one (their rows are in the
// future: the window puts them at now), so there are at most
// (longest window + horizon) / slice + 3 accumulators, whatever the rows' timestamps.
import { numericCell, type Cells } from './postgres-cells.ts';
import type { FeatureAggregate } from '../../window/model-windows.ts';
import type { FeatureSlot } from '../../window/layout.ts';

export interface SliceAggregate {
  /** Time of the slice's newest record (epoch ms). */
  ts: number;
  records: number;
  features: Map<string, FeatureAggregate>;
}

export interface CountedSlot {
  slot: FeatureSlot;
  cells: Cells;
}

/** COPY's binary signature, then a flags word and the header extension's length. */
const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const HEADER = SIGNATURE.length + 8;
/** Microseconds from 1970-01-01 to PostgreSQL's epoch, 2000-01-01. */
const PG_EPOCH_US = 946_684_800_000_000;
const TWO_32 = 4_294_967_296;

// An accumulator: records, newest timestamp (µs since 1970), then each slot's block.
const RECORDS = 0;
const NEWEST = 1;
const HEAD = 2;
// A numeric block: its cells' counts, then these, then the centred sums per fine bin (when kept).
const SUM = 0;
const SUM_SQUARES = 1;
const MIN = 2;
const MAX = 3;
const NUMERIC_TAIL = 4;

interface Block {
  slot: FeatureSlot;
  cells: Cells;
  numeric: boolean;
  /** Where the cell counts start in the accumulator. */
  offset: number;
  /** Numeric: where the sums start (after the cells), and the fine-bin sums (-1: not kept). */
  sums: number;
  fineSums: number;
  centre: number;
  /** Categorical: the listed categories' UTF-8 bytes and cells by byte length, and NULL's cell. */
  byLength: Category[][];
  nullText: number;
  /** Each listed category's cell by its UTF-8 bytes read as Latin-1 (when many share a length). */
  positions: Map<string, number>;
}

interface Category {
  bytes: Buffer;
  cell: number;
}

/** Up to this many categories of one byte length are compared byte by byte; more, looked up by text. */
const COMPARED = 8;

/** The cell of the category whose UTF-8 bytes are data[at, at + length): exact byte equality, as the database's. */
function categoryCell(block: Block, data: Buffer, at: number, length: number): number {
  const candidates = block.byLength[length];
  if (candidates === undefined) return block.cells.nullCell;
  if (candidates.length > COMPARED) {
    // The bytes as a one-byte string: no decoding.
    return block.positions.get(data.toString('latin1', at, at + length)) ?? block.cells.nullCell;
  }
  next: for (const { bytes, cell } of candidates) {
    for (let i = 0; i < length; i++) if (data[at + i] !== bytes[i]) continue next;
    return cell;
  }
  return block.cells.nullCell;
}

export class SliceCounter {
  private readonly blocks: Block[];
  private readonly width: number;
  private readonly sliceUs: number;
  private readonly oldest: number;
  private readonly newest: number;
  private readonly accumulators: (Float64Array | undefined)[] = [];
  private carry: Buffer | undefined;
  /** The accumulator of the last row's slice, and the µs it covers. */
  private current: Float64Array = new Float64Array(0);
  private currentFrom = 0;
  private currentTo = 0;
  private headerRead = false;
  private trailerRead = false;

  constructor(slots: CountedSlot[], sliceMs: number, longestMs: number, nowMs: number, horizonMs: number) {
    let offset = HEAD;
    this.blocks = slots.map(({ slot, cells }) => {
      const numeric = slot.type === 'numeric';
      const block: Block = {
        slot,
        cells,
        numeric,
        offset,
        sums: -1,
        fineSums: -1,
        centre: 0,
        byLength: [],
        nullText: -1,
        positions: new Map(),
      };
      // As array_position(categories, value) would: 1-based, the first match, NULL the NULL element.
      cells.categories.forEach((category, i) => {
        if (category === null) {
          if (block.nullText < 0) block.nullText = i + 1;
          return;
        }
        const bytes = Buffer.from(category, 'utf8');
        const key = bytes.toString('latin1');
        if (block.positions.has(key)) return;
        block.positions.set(key, i + 1);
        (block.byLength[bytes.length] ??= []).push({ bytes, cell: i + 1 });
      });
      offset += cells.bin.length;
      if (slot.type === 'numeric') {
        block.sums = offset;
        block.centre = slot.centre;
        offset += NUMERIC_TAIL;
        if (slot.fineSumsOffset >= 0) {
          block.fineSums = offset;
          offset += slot.fineCount;
        }
      }
      return block;
    });
    this.width = offset;
    this.sliceUs = sliceMs * 1000;
    // Slices below `oldest` end before now − longest: wholly late. Slices from `newest` on start
    // after now + horizon.
    this.oldest = Math.floor((nowMs - longestMs) / sliceMs) - 1;
    this.newest = Math.floor((nowMs + horizonMs) / sliceMs) + 1;
  }

  /** Counts the complete rows of the next chunk of the COPY stream; a partial row waits for the next. */
  write(chunk: Buffer): void {
    const data = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = undefined;
    let p = 0;
    if (!this.headerRead) {
      if (data.length < HEADER) {
        this.carry = data;
        return;
      }
      if (!data.subarray(0, SIGNATURE.length).equals(SIGNATURE)) throw new Error('not a binary COPY stream');
      const extension = data.readUInt32BE(SIGNATURE.length + 4);
      if (data.length < HEADER + extension) {
        this.carry = data;
        return;
      }
      p = HEADER + extension;
      this.headerRead = true;
    }
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    const end = data.length;
    while (p < end && !this.trailerRead) {
      // A row cut by the chunk's end waits for the next chunk.
      if (!this.complete(view, p, end)) break;
      p = this.row(data, view, p);
    }
    if (p < end && !this.trailerRead) this.carry = Buffer.from(data.subarray(p));
  }

  /** The aggregates, oldest slice first. Throws if the stream ended early. */
  finish(): SliceAggregate[] {
    if (!this.trailerRead) throw new Error('the COPY stream ended before its last row');
    const slices: SliceAggregate[] = [];
    for (const acc of this.accumulators) if (acc) slices.push(this.fold(acc));
    return slices;
  }

  /** Whether the row at p lies wholly before `end`. */
  private complete(view: DataView, p: number, end: number): boolean {
    if (end - p < 2) return false;
    const fields = view.getInt16(p);
    let q = p + 2;
    if (fields < 0) return true;
    for (let f = 0; f < fields; f++) {
      if (end - q < 4) return false;
      const length = view.getInt32(q);
      q += 4 + Math.max(length, 0);
      if (q > end) return false;
    }
    return true;
  }

  /** Counts the row at p; returns where the next one starts. */
  private row(data: Buffer, view: DataView, p: number): number {
    const fields = view.getInt16(p);
    if (fields === -1) {
      this.trailerRead = true;
      return p + 2;
    }
    if (fields !== this.blocks.length + 1) throw new Error(`a COPY row of ${fields} fields`);
    let q = p + 2;
    if (view.getInt32(q) !== 8) throw new Error('a COPY row without its timestamp');
    const us = view.getInt32(q + 4) * TWO_32 + view.getUint32(q + 8) + PG_EPOCH_US;
    q += 12;
    // Rows mostly come in time order: the previous row's slice first.
    if (!(us >= this.currentFrom && us < this.currentTo)) this.enter(us);
    const acc = this.current;
    acc[RECORDS]++;
    if (us > acc[NEWEST]) acc[NEWEST] = us;
    for (const block of this.blocks) {
      const length = view.getInt32(q);
      q += 4;
      const cells = block.cells;
      if (!block.numeric) {
        const cell = length === -1 ? block.nullText : categoryCell(block, data, q, length);
        acc[block.offset + cell]++;
        if (length > 0) q += length;
        continue;
      }
      if (length === -1) {
        acc[block.offset + cells.nullCell]++;
        continue;
      }
      if (length !== 8) throw new Error(`feature ${block.slot.name}: a number of ${length} bytes`);
      const x = view.getFloat64(q);
      q += 8;
      const cell = numericCell(cells, x);
      acc[block.offset + cell]++;
      if (cells.finite[cell] === 0) continue;
      // ±Infinity and NaN have their own cells: only finite values enter the sums.
      const v = x - block.centre;
      const sums = block.sums;
      acc[sums + SUM] += v;
      acc[sums + SUM_SQUARES] += v * v;
      if (x < acc[sums + MIN]) acc[sums + MIN] = x;
      if (x > acc[sums + MAX]) acc[sums + MAX] = x;
      if (block.fineSums >= 0) acc[block.fineSums + cells.fine[cell]] += v;
    }
    return q;
  }

  /** Makes the slice of `us` current, with the time span it covers (unbounded for the merged ends). */
  private enter(us: number): void {
    const sliceUs = this.sliceUs;
    let slice = Math.floor(us / sliceUs);
    if (slice * sliceUs > us) slice--; // a quotient rounded up to the next integer
    if (slice < this.oldest) slice = this.oldest;
    else if (slice > this.newest) slice = this.newest;
    this.currentFrom = slice === this.oldest ? -Infinity : slice * sliceUs;
    this.currentTo = slice === this.newest ? Infinity : (slice + 1) * sliceUs;
    const index = slice - this.oldest;
    this.current = this.accumulators[index] ??= this.accumulator();
  }

  private accumulator(): Float64Array {
    const acc = new Float64Array(this.width);
    acc[NEWEST] = -Infinity;
    for (const block of this.blocks) {
      if (!block.numeric) continue;
      acc[block.sums + MIN] = Infinity;
      acc[block.sums + MAX] = -Infinity;
    }
    return acc;
  }

  /** One slice's aggregate, in the shape records posted over HTTP give. */
  private fold(acc: Float64Array): SliceAggregate {
    const features = new Map<string, FeatureAggregate>();
    for (const { slot, cells, offset, sums, fineSums } of this.blocks) {
      const aggregate: FeatureAggregate = { present: 0, missing: 0, unusual: 0, bins: new Float64Array(slot.binCount) };
      const bins = aggregate.bins as Float64Array;
      const fine = slot.type === 'numeric' ? new Float64Array(slot.fineCount) : undefined;
      let finite = 0;
      for (let cell = 0; cell < cells.bin.length; cell++) {
        const n = acc[offset + cell];
        if (n === 0) continue;
        const bin = cells.bin[cell];
        if (bin < 0) {
          aggregate.missing += n;
          continue;
        }
        aggregate.present += n;
        bins[bin] += n;
        if (cells.unusual[cell]) aggregate.unusual += n;
        if (!fine) continue;
        fine[cells.fine[cell]] += n;
        if (cells.finite[cell]) finite += n;
      }
      if (slot.type === 'numeric') {
        aggregate.fine = fine;
        aggregate.finite = finite;
        aggregate.centredSum = acc[sums + SUM];
        aggregate.centredSumSquares = acc[sums + SUM_SQUARES];
        if (finite > 0) {
          aggregate.min = acc[sums + MIN];
          aggregate.max = acc[sums + MAX];
        }
        if (fineSums >= 0) aggregate.fineCentredSums = acc.slice(fineSums, fineSums + slot.fineCount);
      }
      features.set(slot.name, aggregate);
    }
    // As PostgreSQL's date_part('epoch', ts) * 1000: seconds first, then milliseconds.
    return { ts: (acc[NEWEST] / 1e6) * 1000, records: acc[RECORDS], features };
  }
}
