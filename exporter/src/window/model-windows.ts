// Everything the exporter remembers about one model: the window rings and the cumulative counters.
import { isMissing } from '../profile/classify.ts';
import { BinLookup } from '../stats/bin-lookup.ts';
import type { Profile } from '../profile/types.ts';
import { formatDuration } from '../util/duration.ts';
import {
  FINITE,
  layoutFor,
  MISSING,
  PRESENT,
  RECORDS,
  SUM,
  SUM_SQUARES,
  UNUSUAL,
  VIOLATIONS,
  type CategoricalSlot,
  type FeatureSlot,
  type ModelLayout,
  type NumericSlot,
} from './layout.ts';
import { observeNumberColumn, type ColumnTarget } from './observe-column.ts';
import type { InferenceRecord } from './record.ts';
import { CATEGORY, FlatRecordShape, NUMBER } from '../records/flat-record.ts';
import { SliceRing } from './ring.ts';

export interface WindowSpec {
  label: string;
  ms: number;
}

export interface WindowTotals {
  window: WindowSpec;
  counts: Float64Array;
  minima: Float64Array;
  maxima: Float64Array;
}

export interface ModelStateOptions {
  windowsMs: readonly number[];
  slices: number;
  futureToleranceMs: number;
  /** A rolling reference's history (reference/rolling-reference.ts): its length and slice. */
  history?: { ms: number; sliceMs: number };
}

export type IngestOutcome = 'counted' | 'late';

/** Numbers a feature's column holds before they are counted (ModelWindows.observeColumn). */
const COLUMN_RECORDS = 64;

/** One feature's counts over a group of records, as a database computes them. */
export interface FeatureAggregate {
  /** Non-missing values; `missing` includes `violations`. */
  present: number;
  missing: number;
  violations?: number;
  /** Numeric: outside the reference [min, max]. Categorical: not among the reference categories. */
  unusual: number;
  /** PSI bin counts (categorical: the profile's `top` then __other__). */
  bins: ArrayLike<number>;
  /** Numeric only. */
  fine?: ArrayLike<number>;
  /** Sum of (value − centre) over each fine bin's finite values; without it the window's bin sums are not used. */
  fineCentredSums?: ArrayLike<number>;
  finite?: number;
  centredSum?: number;
  centredSumSquares?: number;
  min?: number;
  max?: number;
}

export class ModelWindows {
  readonly layout: ModelLayout;
  readonly windows: WindowSpec[];
  private readonly rings: SliceRing[];
  /** The slot of the record being ingested in each ring (-1: outside that window); reused. */
  private readonly ringSlots: Int32Array;
  /** For the hot path: each ring's counters and the start of the record's slot in them. */
  private readonly ringCounts: Float64Array[];
  private readonly ringBases: Int32Array;
  /**
   * The records' whole-number counters (records, presence, bins, flags) and extremes since the
   * last flush, once for all windows: each window's ring gets them added at a flush (before
   * anything reads the rings, or when a record falls in another slice), not record by record.
   * Whole numbers add up the same in any order, so the rings hold what per-record adds would give.
   * The sums of values are written to every ring record by record, as before: floating-point
   * additions must keep their order for the values to stay the same.
   */
  private readonly pending: Float64Array;
  private readonly pendingMinima: Float64Array;
  private readonly pendingMaxima: Float64Array;
  /** The ring slots (-1: none) and slice numbers the pending counts belong to, by ring. */
  private readonly pendingSlots: Int32Array;
  private readonly pendingSliceIds: Float64Array;
  private pendingRecords = 0;
  private target?: ColumnTarget;
  private readonly longestMs: number;
  /**
   * The numbers of flat records (ingestFlat) not yet counted, by feature: feature i's are
   * columnValues[i × COLUMN_RECORDS …], columnLengths[i] of them. They belong to pending records
   * and are counted before the pending counts are flushed or anything else is counted.
   */
  private columnValues = new Float64Array(0);
  /** Whether a column may hold numbers: records of the other paths look at no column. */
  private columnsWaiting = false;
  private readonly columnLengths: Int32Array;
  /** Each feature's part of columnValues. */
  private columnViews: Float64Array[] = [];
  private readonly futureToleranceMs: number;

  // Cumulative counters since start (exported as *_total, so replicas sum and restarts reset).
  recordsTotal = 0;
  lateTotal = 0;
  futureTotal = 0;
  unknownFeaturesTotal = 0;
  /** Per feature (and prediction) name: observations per PSI bin since start. */
  get binObservations(): ReadonlyMap<string, Float64Array> {
    this.observeColumns();
    return this.observedByName;
  }
  private readonly observedByName = new Map<string, Float64Array>();
  /** Key `${feature}\t${reason}` → schema violations since start. */
  readonly violations = new Map<string, number>();
  lastRecordMs = NaN;
  modelVersion = 'unknown';
  /** Bumped whenever the windows' counts change: what was computed from them stays valid until then. */
  changes = 0;
  /** The features' slots then the prediction's, and their bin observations, by the same index. */
  private readonly observedSlots: FeatureSlot[];
  private readonly observedBins: Float64Array[];
  /** Reads a record's features by name and observes each (compiled once: see compileFeatureReader). */
  private readonly readFeatures: FeatureReader;
  private readonly observeAt = (index: number, value: unknown): void =>
    this.observe(index, this.observedSlots[index], value);
  /**
   * What the hot path reads of each observed slot, by index, in arrays of one element type (the
   * slot objects differ in shape between numeric and categorical: reading them is slower).
   */
  private readonly hot: {
    numeric: Uint8Array;
    offset: Int32Array;
    binsOffset: Int32Array;
    fineOffset: Int32Array;
    /** Per fine bin sums of the centred values, then their count (-1: not kept). */
    fineSumsOffset: Int32Array;
    fineCount: Int32Array;
    extremaIndex: Int32Array;
    min: Float64Array;
    max: Float64Array;
    centre: Float64Array;
    /** PSI and fine bins of a number, by table (BinLookup: binIndex's bins). */
    bins: BinLookup[];
    fineBins: BinLookup[];
  };

  constructor(
    readonly name: string,
    readonly profile: Profile,
    options: ModelStateOptions,
  ) {
    this.layout = layoutFor(profile);
    this.windows = options.windowsMs.map((ms) => ({ label: formatDuration(ms), ms }));
    this.rings = this.windows.map((w) => new SliceRing(w.ms, options.slices, this.layout.width, this.layout.extrema));
    // The history ring is counted into like the windows' (after them), and is no window itself.
    if (options.history) {
      const { ms, sliceMs } = options.history;
      this.rings.push(new SliceRing(ms, Math.round(ms / sliceMs), this.layout.width, this.layout.extrema));
    }
    this.ringSlots = new Int32Array(this.rings.length);
    this.ringCounts = this.rings.map((ring) => ring.counts);
    this.ringBases = new Int32Array(this.rings.length);
    this.pending = new Float64Array(this.layout.width);
    this.pendingMinima = new Float64Array(this.layout.extrema).fill(Infinity);
    this.pendingMaxima = new Float64Array(this.layout.extrema).fill(-Infinity);
    this.pendingSlots = new Int32Array(this.rings.length);
    this.pendingSliceIds = new Float64Array(this.rings.length);
    this.longestMs = Math.max(...options.windowsMs);
    this.futureToleranceMs = options.futureToleranceMs;
    for (const slot of this.slots()) this.observedByName.set(slot.name, new Float64Array(slot.binCount));
    this.observedSlots = this.slots();
    this.observedBins = this.observedSlots.map((slot) => this.observedByName.get(slot.name)!);
    this.columnLengths = new Int32Array(this.layout.features.length);
    this.readFeatures = compileFeatureReader(this.layout.features.map((slot) => slot.name));
    const numeric = (slot: FeatureSlot): NumericSlot | undefined => (slot.type === 'numeric' ? slot : undefined);
    const slots = this.observedSlots;
    this.hot = {
      numeric: Uint8Array.from(slots, (slot) => (slot.type === 'numeric' ? 1 : 0)),
      offset: Int32Array.from(slots, (slot) => slot.offset),
      binsOffset: Int32Array.from(slots, (slot) => slot.binsOffset),
      fineOffset: Int32Array.from(slots, (slot) => numeric(slot)?.fineOffset ?? 0),
      fineSumsOffset: Int32Array.from(slots, (slot) => numeric(slot)?.fineSumsOffset ?? -1),
      fineCount: Int32Array.from(slots, (slot) => numeric(slot)?.fineCount ?? 0),
      extremaIndex: Int32Array.from(slots, (slot) => numeric(slot)?.extremaIndex ?? 0),
      min: Float64Array.from(slots, (slot) => numeric(slot)?.profile.min ?? NaN),
      max: Float64Array.from(slots, (slot) => numeric(slot)?.profile.max ?? NaN),
      centre: Float64Array.from(slots, (slot) => numeric(slot)?.centre ?? 0),
      bins: slots.map((slot) => new BinLookup(numeric(slot)?.edges ?? [])),
      fineBins: slots.map((slot) => new BinLookup(numeric(slot)?.fineEdges ?? [])),
    };
  }

  /** The narrowest time slice of this model's windows: a database source groups rows by it. */
  get finestSliceMs(): number {
    return Math.min(...this.windowRings.map((ring) => ring.sliceMs));
  }

  /** The window rings, one per window in `windows`' order. */
  get windowRings(): readonly SliceRing[] {
    this.flush();
    return this.rings.slice(0, this.windows.length);
  }

  /** The rolling reference's history ring, when the model has one. */
  get historyRing(): SliceRing | undefined {
    this.flush();
    return this.rings[this.windows.length];
  }

  /** Every ring a snapshot saves and restores: the windows', then the history's. */
  get snapshotRings(): readonly SliceRing[] {
    this.flush();
    return this.rings;
  }

  /** Bytes held by the window rings: features × bins × slices × windows × 8. */
  get windowBytes(): number {
    return this.rings.reduce((sum, ring) => sum + ring.bytes, 0);
  }

  slots(): FeatureSlot[] {
    return this.layout.prediction ? [...this.layout.features, this.layout.prediction] : this.layout.features;
  }

  ingest(record: InferenceRecord, now: number): IngestOutcome {
    this.observeColumns();
    if (!this.startRecord(record.timestampMs, now, record.modelVersion)) return 'late';
    const features = record.features;
    const known = this.readFeatures(features, this.observeAt);
    if (this.layout.prediction) this.observeAt(this.layout.features.length, record.prediction);
    if (known < this.layout.features.length || hasMoreKeys(features, known)) {
      const unknown = Object.keys(features).length - known;
      if (unknown > 0) this.unknownFeaturesTotal += unknown;
    }
    return 'counted';
  }

  /** The model's features as the records route's fast path reads them (records/flat-record.ts), made on first use. */
  get flatShape(): FlatRecordShape {
    if (!this.shape) {
      this.shape = new FlatRecordShape(this.layout.features);
      // Made with the fast path's first record: a model fed otherwise never holds it.
      const values = new Float64Array(this.layout.features.length * COLUMN_RECORDS);
      this.columnValues = values;
      this.columnViews = this.layout.features.map((_, i) =>
        values.subarray(i * COLUMN_RECORDS, (i + 1) * COLUMN_RECORDS),
      );
    }
    return this.shape;
  }
  private shape: FlatRecordShape | undefined;

  /**
   * `ingest` of the record the fast path has just read into `flatShape` (and its prediction): the
   * same counts as `ingest` of that record (it has no unknown feature), with no record object.
   */
  ingestFlat(
    timestampMs: number | undefined,
    now: number,
    modelVersion: string | undefined,
    prediction: number | string | undefined,
  ): IngestOutcome {
    if (!this.startRecord(timestampMs, now, modelVersion)) return 'late';
    const { kinds, values, bins, known } = this.shape!;
    const hot = this.hot;
    for (let i = 0; i < kinds.length; i++) {
      const kind = kinds[i];
      if (kind === NUMBER) {
        // Numbers wait in their feature's column (observeColumn), counted a column at a time.
        if (this.columnLengths[i] === COLUMN_RECORDS) this.observeColumn(i);
        this.columnValues[i * COLUMN_RECORDS + this.columnLengths[i]++] = values[i];
        this.columnsWaiting = true;
      } else if (kind === CATEGORY) this.observeCategory(i, bins[i], known[i] === 1);
      else this.add(hot.offset[i] + MISSING);
    }
    // The prediction's own counters: counted at once, as `ingest` does after the features.
    if (this.layout.prediction) this.observe(kinds.length, this.layout.prediction, prediction);
    return 'counted';
  }

  /**
   * `ingest` for a reader that has columns, not record objects (Parquet): `valueAt(i)` gives the
   * value of observed slot i (the layout's features in order, then the prediction; undefined when
   * absent) and `unknownFeatures` the record's features that are not the model's.
   */
  ingestValues(
    timestampMs: number | undefined,
    now: number,
    modelVersion: string | undefined,
    valueAt: (index: number) => unknown,
    unknownFeatures: number,
  ): IngestOutcome {
    this.observeColumns();
    if (!this.startRecord(timestampMs, now, modelVersion)) return 'late';
    const slots = this.observedSlots;
    for (let i = 0; i < slots.length; i++) this.observe(i, slots[i], valueAt(i));
    this.unknownFeaturesTotal += unknownFeatures;
    return 'counted';
  }

  /**
   * `count` records of one time counted at once, as `count` calls of startRecord would count them,
   * for a columnar reader that then observes their values column by column (observe-column.ts,
   * through `columnTarget`); false when they are too old for every window.
   */
  startRecords(timestampMs: number | undefined, now: number, modelVersion: string | undefined, count: number): boolean {
    if (count <= 0) return true;
    this.observeColumns();
    const future = this.futureTotal;
    const counted = this.startRecord(timestampMs, now, modelVersion);
    const more = count - 1;
    this.futureTotal += (this.futureTotal - future) * more;
    if (!counted) {
      this.lateTotal += more;
      return false;
    }
    // The same time: the same slots, no flush in between.
    this.recordsTotal += more;
    this.pending[RECORDS] += more;
    this.pendingRecords += more;
    this.changes += more;
    return true;
  }

  /**
   * What startRecord does with a record's time, for a columnar reader that sorts its rows into runs
   * of one slice first: beyond `futureToleranceMs` ahead of now a record is counted as future (then
   * placed at now); `longestMs` or more in the past it is late. `sliceMs`: every ring's slice, by ring.
   */
  get timeLimits(): { futureToleranceMs: number; longestMs: number; sliceMs: readonly number[] } {
    return {
      futureToleranceMs: this.futureToleranceMs,
      longestMs: this.longestMs,
      sliceMs: this.rings.map((ring) => ring.sliceMs),
    };
  }

  /** What observe-column.ts counts a column of values into (the records started by startRecords). */
  get columnTarget(): ColumnTarget {
    this.target ??= {
      slots: this.observedSlots,
      pending: this.pending,
      pendingMinima: this.pendingMinima,
      pendingMaxima: this.pendingMaxima,
      ringCounts: this.ringCounts,
      ringBases: this.ringBases,
      observedBins: this.observedBins,
      violations: this.violations,
      bins: this.hot.bins,
      fineBins: this.hot.fineBins,
    };
    return this.target;
  }

  /** Places a record in each ring's slot and counts it; false when it is too old for every window. */
  private startRecord(timestampMs: number | undefined, now: number, modelVersion: string | undefined): boolean {
    let ts = timestampMs ?? now;
    if (ts > now + this.futureToleranceMs) this.futureTotal++;
    // Future timestamps go to the current slice: a future slot would evict live data.
    if (ts > now) ts = now;
    if (ts <= now - this.longestMs) {
      this.lateTotal++;
      return false;
    }
    this.recordsTotal++;
    if (!(ts <= this.lastRecordMs)) this.lastRecordMs = ts;
    if (modelVersion !== undefined) this.modelVersion = modelVersion;

    this.placeRecord(ts, now);
    this.pending[RECORDS]++;
    this.changes++;
    return true;
  }

  /**
   * Adds counts aggregated elsewhere (by a database) for `records` records of time `ts`, feature by
   * feature: the same counters `ingest` keeps, without the rows. Numeric sums must be centred on
   * the slot's `centre` (the reference mean).
   */
  addAggregate(
    ts: number,
    now: number,
    records: number,
    aggregates: ReadonlyMap<string, FeatureAggregate>,
  ): IngestOutcome {
    if (ts > now) ts = now;
    if (ts <= now - this.longestMs) {
      this.lateTotal += records;
      return 'late';
    }
    this.changes++;
    this.flush();
    for (let i = 0; i < this.rings.length; i++) {
      this.ringSlots[i] = this.rings[i].slotFor(ts, now);
      this.ringBases[i] = this.ringSlots[i] >= 0 ? this.ringSlots[i] * this.layout.width : -1;
    }
    this.recordsTotal += records;
    if (!(ts <= this.lastRecordMs)) this.lastRecordMs = ts;
    this.addToRings(RECORDS, records);
    for (const slot of this.slots()) {
      const aggregate = aggregates.get(slot.name);
      if (!aggregate) continue;
      this.addToRings(slot.offset + PRESENT, aggregate.present);
      this.addToRings(slot.offset + MISSING, aggregate.missing);
      this.addToRings(slot.offset + VIOLATIONS, aggregate.violations ?? 0);
      this.addToRings(slot.offset + UNUSUAL, aggregate.unusual);
      const observed = this.observedByName.get(slot.name)!;
      for (let b = 0; b < slot.binCount; b++) {
        const count = aggregate.bins[b] ?? 0;
        if (count === 0) continue;
        this.addToRings(slot.binsOffset + b, count);
        observed[b] += count;
      }
      if (slot.type !== 'numeric') continue;
      for (let b = 0; b < slot.fineCount; b++)
        if (aggregate.fine?.[b]) this.addToRings(slot.fineOffset + b, aggregate.fine[b]);
      this.addToRings(slot.offset + FINITE, aggregate.finite ?? 0);
      if (slot.fineSumsOffset >= 0 && aggregate.fineCentredSums) {
        for (let b = 0; b < slot.fineCount; b++) this.addToRings(slot.fineSumsOffset + b, aggregate.fineCentredSums[b]);
        this.addToRings(slot.fineSumsOffset + slot.fineCount, aggregate.finite ?? 0);
      }
      this.addToRings(slot.offset + SUM, aggregate.centredSum ?? 0);
      this.addToRings(slot.offset + SUM_SQUARES, aggregate.centredSumSquares ?? 0);
      for (let i = 0; i < this.rings.length; i++) {
        if (this.ringSlots[i] < 0) continue;
        if (aggregate.min !== undefined) this.rings[i].extend(this.ringSlots[i], slot.extremaIndex, aggregate.min);
        if (aggregate.max !== undefined) this.rings[i].extend(this.ringSlots[i], slot.extremaIndex, aggregate.max);
      }
    }
    return 'counted';
  }

  /** Window sums, for the collectors. */
  totals(now: number): WindowTotals[] {
    return this.windowRings.map((ring, i) => ({ window: this.windows[i], ...ring.total(now) }));
  }

  /**
   * Finds the record's slot in every ring (ringSlots, ringBases). The pending counts are flushed
   * first when the record falls in other slices than they do: a ring may clear a slot for a new slice.
   */
  private placeRecord(ts: number, now: number): void {
    const rings = this.rings;
    if (this.pendingRecords > 0) {
      for (let i = 0; i < rings.length; i++) {
        if (Math.floor(ts / rings[i].sliceMs) !== this.pendingSliceIds[i]) {
          this.flush();
          break;
        }
      }
    }
    for (let i = 0; i < rings.length; i++) {
      const slot = rings[i].slotFor(ts, now);
      // Same slices, but a window that took the pending records no longer takes this one (time moved on).
      if (this.pendingRecords > 0 && slot !== this.pendingSlots[i]) this.flush();
      this.ringSlots[i] = slot;
      this.ringBases[i] = slot >= 0 ? slot * this.layout.width : -1;
    }
    for (let i = 0; i < rings.length; i++) {
      this.pendingSlots[i] = this.ringSlots[i];
      this.pendingSliceIds[i] = Math.floor(ts / rings[i].sliceMs);
    }
    this.pendingRecords++;
  }

  /** Adds the pending counts and extremes to the slots they belong to, and starts afresh. */
  private flush(): void {
    if (this.pendingRecords === 0) return;
    this.observeColumns();
    const { pending, pendingMinima, pendingMaxima } = this;
    for (let i = 0; i < this.rings.length; i++) {
      const slot = this.pendingSlots[i];
      if (slot < 0) continue;
      const counts = this.ringCounts[i];
      const base = slot * this.layout.width;
      for (let j = 0; j < pending.length; j++) if (pending[j] !== 0) counts[base + j] += pending[j];
      for (let k = 0; k < pendingMinima.length; k++) {
        if (pendingMinima[k] !== Infinity) this.rings[i].extend(slot, k, pendingMinima[k]);
        if (pendingMaxima[k] !== -Infinity) this.rings[i].extend(slot, k, pendingMaxima[k]);
      }
    }
    pending.fill(0);
    pendingMinima.fill(Infinity);
    pendingMaxima.fill(-Infinity);
    this.pendingRecords = 0;
  }

  /** Adds 1 to a whole-number counter of the record being ingested (pending until the flush). */
  private add(offset: number): void {
    this.pending[offset]++;
  }

  /** Adds `amount` at `offset` in the current slot of every ring that holds the record. */
  private addToRings(offset: number, amount: number): void {
    for (let i = 0; i < this.ringCounts.length; i++) {
      if (this.ringBases[i] >= 0) this.ringCounts[i][this.ringBases[i] + offset] += amount;
    }
  }

  /** Counts the numbers waiting in every feature's column. */
  private observeColumns(): void {
    if (!this.columnsWaiting) return;
    this.columnsWaiting = false;
    for (let i = 0; i < this.columnLengths.length; i++) if (this.columnLengths[i] > 0) this.observeColumn(i);
  }

  /**
   * Counts the numbers waiting in feature `index`'s column, in their order, as observeNumber would
   * one by one (observe-column.ts): the feature's tables and counters stay in the cache. They belong
   * to the pending records, whose slots the rings' bases still are (every other way in, and every
   * move to another slot, counts them first).
   */
  private observeColumn(index: number): void {
    const length = this.columnLengths[index];
    this.columnLengths[index] = 0;
    observeNumberColumn(this.columnTarget, index, this.columnViews[index], length);
  }

  private observe(index: number, slot: FeatureSlot, value: unknown): void {
    const hot = this.hot;
    if (isMissing(value)) {
      this.add(hot.offset[index] + MISSING);
      return;
    }
    if (hot.numeric[index] === 1) {
      if (typeof value !== 'number') return this.violation(slot, 'expected_number');
      this.observeNumber(index, value);
      return;
    }
    if (typeof value !== 'string') return this.violation(slot, 'expected_string');
    const categorical = slot as CategoricalSlot;
    this.observeCategory(index, categorical.binOf(value), categorical.isKnown(value));
  }

  /** A category's counters: its bin, and whether the reference saw it. */
  private observeCategory(index: number, bin: number, known: boolean): void {
    const hot = this.hot;
    this.add(hot.offset[index] + PRESENT);
    this.add(hot.binsOffset[index] + bin);
    if (!known) this.add(hot.offset[index] + UNUSUAL);
    this.observedBins[index][bin]++;
  }

  /** A number's counters, written ring by ring: bins, range flag and finite sums found once. */
  private observeNumber(index: number, value: number): void {
    const hot = this.hot;
    const offset = hot.offset[index];
    const psiBin = hot.bins[index].index(value);
    const bin = hot.binsOffset[index] + psiBin;
    const fineBin = hot.fineBins[index].index(value);
    const fine = hot.fineOffset[index] + fineBin;
    const fineSums = hot.fineSumsOffset[index];
    const unusual = value < hot.min[index] || value > hot.max[index];
    const finite = Number.isFinite(value);
    // Sums are taken around the reference mean so that the variance keeps its precision.
    const centred = value - hot.centre[index];
    const pending = this.pending;
    pending[offset + PRESENT]++;
    pending[bin]++;
    pending[fine]++;
    if (unusual) pending[offset + UNUSUAL]++;
    if (!finite) {
      this.observedBins[index][psiBin]++;
      return;
    }
    pending[offset + FINITE]++;
    if (fineSums >= 0) pending[fineSums + hot.fineCount[index]]++;
    const extrema = hot.extremaIndex[index];
    if (value < this.pendingMinima[extrema]) this.pendingMinima[extrema] = value;
    if (value > this.pendingMaxima[extrema]) this.pendingMaxima[extrema] = value;
    for (let i = 0; i < this.ringCounts.length; i++) {
      const base = this.ringBases[i];
      if (base < 0) continue;
      const counts = this.ringCounts[i];
      counts[base + offset + SUM] += centred;
      counts[base + offset + SUM_SQUARES] += centred * centred;
      if (fineSums >= 0) counts[base + fineSums + fineBin] += centred;
    }
    this.observedBins[index][psiBin]++;
  }

  private violation(slot: FeatureSlot, reason: string): void {
    this.add(slot.offset + MISSING);
    this.add(slot.offset + VIOLATIONS);
    const key = `${slot.name}\t${reason}`;
    this.violations.set(key, (this.violations.get(key) ?? 0) + 1);
  }
}

type FeatureReader = (features: Record<string, unknown>, observe: (index: number, value: unknown) => void) => number;

/**
 * A function reading the named features of a record, in order, with one property read per name
 * written out in its code: each read site then sees one name and, record after record, one object
 * shape (V8 keeps it monomorphic), where a loop over the names is one site for every name. It calls
 * `observe(index, value)` for each and returns how many were present. Names are JSON string literals.
 */
function compileFeatureReader(names: readonly string[]): FeatureReader {
  const reads = names.map((name, i) => `v = f[${JSON.stringify(name)}]; if (v !== undefined) k++; o(${i}, v);`);
  return new Function('f', 'o', `let v, k = 0;\n${reads.join('\n')}\nreturn k;`) as FeatureReader;
}

/** Whether `features` has more than `known` keys, without building the key list. */
function hasMoreKeys(features: Record<string, unknown>, known: number): boolean {
  let count = 0;
  for (const _key in features) if (++count > known) return true;
  return false;
}
