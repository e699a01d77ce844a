// The records route's fast path: an NDJSON line holding one flat record, read from the request's
// bytes against its model's compiled shape, with no string or object made per record. It reads
// only what it fully understands and would be accepted as is:
//   {"model": "<known model>", "features": {<known feature>: <number | category | null>, …},
//    "prediction": <number | text | null>?, "timestamp": <text or number>?, "id": "<text>"?,
//    "model_version": "<text>"?}
// with `model` before `features`, strings of printable ASCII without escapes, JSON whitespace
// anywhere, no key twice, every size within the limits. Anything else (another field, an unknown
// or repeated feature, a value of the wrong type, an escape, a nested value, a bad number, a
// timestamp that does not parse...) is refused, and the caller reads that line as before
// (JSON.parse and validateRecord), so that answers and counts stay exactly what they were.
import type { RecordLimits } from '../server/limits.ts';
import type { CategoricalSlot, FeatureSlot } from '../window/layout.ts';
import { asciiText, ByteTable, HASH_START, hashStep, sameAscii } from './byte-table.ts';
import { numberEnd, readJsonNumber } from './json-number.ts';
import { parseTimestamp } from './validate-record.ts';

/** What a feature held in the record just read (FlatRecordShape.kinds). */
export const ABSENT = 0;
export const NUMBER = 1;
export const NULL = 2;
export const CATEGORY = 3;

/** A model's features as the fast path reads them: a name table and, per categorical feature, its categories. */
export class FlatRecordShape {
  readonly names: ByteTable;
  /** Feature names, and whether each is written as it is in JSON (printable ASCII, no quote or backslash). */
  readonly nameTexts: string[];
  readonly predictable: Uint8Array;
  /** The feature expected after feature i (the one that followed it last), or first at i = features; -1: none yet. */
  readonly next: Int32Array;
  readonly numeric: Uint8Array;
  private readonly categories: (ByteTable | undefined)[];
  /** Per categorical feature: each table entry's bin and whether the reference saw it; then the bin of any other. */
  private readonly categoryBins: Int32Array[];
  private readonly categoryKnown: Uint8Array[];
  private readonly otherBin: Int32Array;

  // The record just read, by feature index: what it held, its number, its category's bin and
  // whether that category is known. Rewritten by every record: read them before the next.
  readonly kinds: Uint8Array;
  readonly values: Float64Array;
  readonly bins: Int32Array;
  readonly known: Uint8Array;

  constructor(features: readonly FeatureSlot[]) {
    const count = features.length;
    this.names = new ByteTable(features.map((slot) => slot.name));
    this.nameTexts = features.map((slot) => slot.name);
    this.predictable = Uint8Array.from(features, (slot) =>
      /^[\x20-\x21\x23-\x5b\x5d-\x7e]*$/.test(slot.name) ? 1 : 0,
    );
    this.next = new Int32Array(count + 1).fill(-1);
    this.numeric = Uint8Array.from(features, (slot) => (slot.type === 'numeric' ? 1 : 0));
    this.categories = [];
    this.categoryBins = [];
    this.categoryKnown = [];
    this.otherBin = new Int32Array(count);
    features.forEach((slot, i) => {
      if (slot.type !== 'categorical') {
        this.categoryBins.push(new Int32Array(0));
        this.categoryKnown.push(new Uint8Array(0));
        return this.categories.push(undefined);
      }
      const categorical = slot as CategoricalSlot;
      const texts = [...new Set([...categorical.profile.top, ...categorical.profile.categories.map(([c]) => c)])];
      this.categories.push(new ByteTable(texts));
      // The slot's own lookups decide: the fast path gives the same bins as the record path.
      this.categoryBins.push(Int32Array.from(texts, (text) => categorical.binOf(text)));
      this.categoryKnown.push(Uint8Array.from(texts, (text) => (categorical.isKnown(text) ? 1 : 0)));
      this.otherBin[i] = categorical.profile.top.length;
    });
    this.kinds = new Uint8Array(count);
    this.values = new Float64Array(count);
    this.bins = new Int32Array(count);
    this.known = new Uint8Array(count);
  }

  /** Notes category `bytes[start, end)` (hashed to `hash`) as feature `index`'s value. */
  setCategory(index: number, bytes: Uint8Array, start: number, end: number, hash: number): void {
    const entry = this.categories[index]!.find(bytes, start, end, hash);
    this.kinds[index] = CATEGORY;
    this.bins[index] = entry < 0 ? this.otherBin[index] : this.categoryBins[index][entry];
    this.known[index] = entry < 0 ? 0 : this.categoryKnown[index][entry];
  }
}

/** Finds the shape of the model named by `bytes[start, end)` (hash `hash`); undefined: read the record the usual way. */
export type ShapeOf = (bytes: Uint8Array, start: number, end: number, hash: number) => FlatRecordShape | undefined;

const QUOTE = 34;
const BACKSLASH = 92;
const COLON = 58;
const COMMA = 44;
const OPEN = 123;
const CLOSE = 125;

const enum Field {
  Model = 1,
  Features = 2,
  Timestamp = 4,
  Id = 8,
  ModelVersion = 16,
  Prediction = 32,
}

/** Reads flat records from bytes (see the top of this file); one record at a time, nothing kept between. */
export class FlatRecordScanner {
  private bytes: Uint8Array = new Uint8Array(0);
  private at = 0;
  private end = 0;
  // The last string read: its bytes [stringStart, stringEnd) and their hash.
  private stringStart = 0;
  private stringEnd = 0;
  private stringHash = 0;

  // The record read by the last successful `scan`.
  shape: FlatRecordShape | undefined;
  timestampMs: number | undefined;
  /** Where its model_version, id and prediction text are in the bytes (-1: none). */
  versionStart = -1;
  versionEnd = -1;
  idStart = -1;
  idEnd = -1;
  predictionStart = -1;
  predictionEnd = -1;
  /** Its prediction: NUMBER (predictionNumber), CATEGORY (text at predictionStart) or ABSENT (none, or null). */
  predictionKind = ABSENT;
  predictionNumber = 0;

  constructor(
    private readonly limits: RecordLimits,
    private readonly shapeOf: ShapeOf,
  ) {}

  /** Reads the record in `bytes[start, end)`; false when it is not one the fast path takes (nothing was kept). */
  scan(bytes: Uint8Array, start: number, end: number): boolean {
    this.bytes = bytes;
    this.at = start;
    this.end = end;
    this.shape = undefined;
    this.timestampMs = undefined;
    this.versionStart = -1;
    this.idStart = -1;
    this.predictionKind = ABSENT;
    this.skipSpace();
    if (!this.take(OPEN)) return false;
    let seen = 0;
    this.skipSpace();
    for (;;) {
      if (!this.string()) return false;
      const field = topField(bytes, this.stringStart, this.stringEnd - this.stringStart);
      if (field === 0 || (seen & field) !== 0) return false;
      seen |= field;
      this.skipSpace();
      if (!this.take(COLON)) return false;
      this.skipSpace();
      if (!this.fieldValue(field)) return false;
      this.skipSpace();
      if (this.take(COMMA)) {
        this.skipSpace();
        continue;
      }
      if (!this.take(CLOSE)) return false;
      break;
    }
    this.skipSpace();
    return this.at === end && (seen & (Field.Model | Field.Features)) === (Field.Model | Field.Features);
  }

  private fieldValue(field: Field): boolean {
    switch (field) {
      case Field.Model:
        if (!this.string()) return false;
        this.shape = this.shapeOf(this.bytes, this.stringStart, this.stringEnd, this.stringHash);
        return this.shape !== undefined;
      case Field.Features:
        return this.shape !== undefined && this.features(this.shape);
      case Field.Timestamp:
        return this.timestamp();
      case Field.Id:
        if (!this.string() || this.stringEnd - this.stringStart > this.limits.maxIdBytes) return false;
        this.idStart = this.stringStart;
        this.idEnd = this.stringEnd;
        return true;
      case Field.Prediction:
        return this.prediction();
      case Field.ModelVersion:
        if (!this.string() || this.stringEnd - this.stringStart > this.limits.maxModelVersionBytes) return false;
        this.versionStart = this.stringStart;
        this.versionEnd = this.stringEnd;
        return true;
    }
  }

  /** The features object: each known feature at most once, a value of its type or null. */
  private features(shape: FlatRecordShape): boolean {
    const { bytes, limits } = this;
    shape.kinds.fill(ABSENT);
    if (!this.take(OPEN)) return false;
    this.skipSpace();
    if (this.take(CLOSE)) return true;
    // Records of a stream mostly write their features in one order: the key expected after the
    // previous one (FlatRecordShape.next) is compared directly, without a hash.
    let previous = shape.kinds.length;
    for (let count = 1; ; count++) {
      if (count > limits.maxFeatures) return false;
      let index = shape.next[previous];
      if (index < 0 || !this.plainString(shape.nameTexts[index])) {
        if (!this.string()) return false;
        index = shape.names.find(bytes, this.stringStart, this.stringEnd, this.stringHash);
        if (index < 0) return false;
        if (shape.predictable[index] === 1) shape.next[previous] = index;
      }
      if (this.stringEnd - this.stringStart > limits.maxFeatureNameBytes || shape.kinds[index] !== ABSENT) return false;
      previous = index;
      this.skipSpace();
      if (!this.take(COLON)) return false;
      this.skipSpace();
      const c = bytes[this.at];
      if (c === QUOTE) {
        if (shape.numeric[index] === 1 || !this.string()) return false;
        if (this.stringEnd - this.stringStart > limits.maxValueBytes) return false;
        shape.setCategory(index, bytes, this.stringStart, this.stringEnd, this.stringHash);
      } else if (c === 110 /* n */) {
        if (!this.literalNull()) return false;
        shape.kinds[index] = NULL;
      } else {
        if (shape.numeric[index] !== 1) return false;
        const value = this.number();
        if (value !== value) return false;
        shape.kinds[index] = NUMBER;
        shape.values[index] = value;
      }
      this.skipSpace();
      if (this.take(CLOSE)) return true;
      if (!this.take(COMMA)) return false;
      this.skipSpace();
    }
  }

  /** A prediction as validateRecord takes it: a number, a string within the limit, or null (none). */
  private prediction(): boolean {
    const c = this.bytes[this.at];
    if (c === QUOTE) {
      if (!this.string() || this.stringEnd - this.stringStart > this.limits.maxValueBytes) return false;
      this.predictionKind = CATEGORY;
      this.predictionStart = this.stringStart;
      this.predictionEnd = this.stringEnd;
      return true;
    }
    if (c === 110 /* n */) return this.literalNull();
    const value = this.number();
    if (value !== value) return false;
    this.predictionKind = NUMBER;
    this.predictionNumber = value;
    return true;
  }

  /** A timestamp as validateRecord takes it (RFC 3339 text or epoch milliseconds); false if it would be refused. */
  private timestamp(): boolean {
    let ms: number | undefined;
    if (this.bytes[this.at] === QUOTE) {
      if (!this.string()) return false;
      ms = parseTimestamp(asciiText(this.bytes, this.stringStart, this.stringEnd));
    } else {
      const value = this.number();
      if (value !== value) return false;
      ms = parseTimestamp(value);
    }
    this.timestampMs = ms;
    return ms !== undefined;
  }

  /**
   * A string of printable ASCII without escapes, its bytes and hash noted; false for anything else
   * (an escape, a control character or a byte past ASCII: JSON.parse's reading is then needed).
   */
  private string(): boolean {
    const { bytes, end } = this;
    if (bytes[this.at] !== QUOTE) return false;
    const start = ++this.at;
    let hash = HASH_START;
    for (let at = start; at < end; at++) {
      const c = bytes[at];
      if (c === QUOTE) {
        this.stringStart = start;
        this.stringEnd = at;
        this.stringHash = hash;
        this.at = at + 1;
        return true;
      }
      if (c < 32 || c >= 127 || c === BACKSLASH) return false;
      hash = hashStep(hash, c);
    }
    return false;
  }

  /** Whether the string at the cursor is `text` (printable ASCII, no quote or backslash); then read as `string` would. */
  private plainString(text: string): boolean {
    const { bytes } = this;
    const start = this.at + 1;
    const end = start + text.length;
    if (bytes[this.at] !== QUOTE || end >= this.end || bytes[end] !== QUOTE) return false;
    if (!sameAscii(bytes, start, end, text)) return false;
    this.stringStart = start;
    this.stringEnd = end;
    this.at = end + 1;
    return true;
  }

  /** The number at the cursor (NaN: not a JSON number, up to the byte after it). */
  private number(): number {
    const value = readJsonNumber(this.bytes, this.at, this.end);
    if (value === value) this.at = numberEnd;
    return value;
  }

  private literalNull(): boolean {
    const { bytes, at } = this;
    if (at + 4 > this.end || bytes[at + 1] !== 117 || bytes[at + 2] !== 108 || bytes[at + 3] !== 108) return false;
    this.at = at + 4;
    return true;
  }

  private take(byte: number): boolean {
    if (this.at >= this.end || this.bytes[this.at] !== byte) return false;
    this.at++;
    return true;
  }

  /** JSON whitespace: space, tab, carriage return (a line holds no newline). */
  private skipSpace(): void {
    const { bytes, end } = this;
    let at = this.at;
    while (at < end) {
      const c = bytes[at];
      if (c !== 32 && c !== 9 && c !== 13) break;
      at++;
    }
    this.at = at;
  }
}

/** Which top-level field the key `bytes[start, start + length)` names; 0 for one the fast path does not take. */
function topField(bytes: Uint8Array, start: number, length: number): Field | 0 {
  const names = TOP_FIELDS[length];
  if (!names) return 0;
  for (const [name, field] of names) if (sameAscii(bytes, start, start + length, name)) return field;
  return 0;
}

const TOP_FIELDS: Record<number, [string, Field][]> = {
  2: [['id', Field.Id]],
  5: [['model', Field.Model]],
  8: [['features', Field.Features]],
  9: [['timestamp', Field.Timestamp]],
  10: [['prediction', Field.Prediction]],
  13: [['model_version', Field.ModelVersion]],
};
