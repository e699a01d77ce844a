// Everything the exporter remembers about one model: the window rings and the cumulative counters.
import { isMissing } from '../profile/classify.ts';
import { binIndex } from '../stats/index.ts';
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
  type FeatureSlot,
  type ModelLayout,
} from './layout.ts';
import type { InferenceRecord } from './record.ts';
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
}

export type IngestOutcome = 'counted' | 'late';

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
  private readonly longestMs: number;
  private readonly futureToleranceMs: number;

  // Cumulative counters since start (exported as *_total, so replicas sum and restarts reset).
  recordsTotal = 0;
  lateTotal = 0;
  futureTotal = 0;
  unknownFeaturesTotal = 0;
  /** Per feature (and prediction) name: observations per PSI bin since start. */
  readonly binObservations = new Map<string, Float64Array>();
  /** Key `${feature}\t${reason}` → schema violations since start. */
  readonly violations = new Map<string, number>();
  lastRecordMs = NaN;
  modelVersion = 'unknown';

  constructor(
    readonly name: string,
    readonly profile: Profile,
    options: ModelStateOptions,
  ) {
    this.layout = layoutFor(profile);
    this.windows = options.windowsMs.map((ms) => ({ label: formatDuration(ms), ms }));
    this.rings = this.windows.map((w) => new SliceRing(w.ms, options.slices, this.layout.width, this.layout.extrema));
    this.ringSlots = new Int32Array(this.rings.length);
    this.ringCounts = this.rings.map((ring) => ring.counts);
    this.ringBases = new Int32Array(this.rings.length);
    this.longestMs = Math.max(...options.windowsMs);
    this.futureToleranceMs = options.futureToleranceMs;
    for (const slot of this.slots()) this.binObservations.set(slot.name, new Float64Array(slot.binCount));
  }

  /** The narrowest time slice of this model's windows: a database source groups rows by it. */
  get finestSliceMs(): number {
    return Math.min(...this.rings.map((ring) => ring.sliceMs));
  }

  /** The window rings, one per window in `windows`' order: snapshots read and restore them. */
  get windowRings(): readonly SliceRing[] {
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
    let ts = record.timestampMs ?? now;
    if (ts > now + this.futureToleranceMs) this.futureTotal++;
    // Future timestamps go to the current slice: a future slot would evict live data.
    if (ts > now) ts = now;
    if (ts <= now - this.longestMs) {
      this.lateTotal++;
      return 'late';
    }
    this.recordsTotal++;
    if (!(ts <= this.lastRecordMs)) this.lastRecordMs = ts;
    if (record.modelVersion !== undefined) this.modelVersion = record.modelVersion;

    const slots = this.ringSlots;
    for (let i = 0; i < this.rings.length; i++) {
      slots[i] = this.rings[i].slotFor(ts, now);
      this.ringBases[i] = slots[i] >= 0 ? slots[i] * this.layout.width : -1;
    }
    this.add(RECORDS);
    let known = 0;
    const features = record.features;
    for (const slot of this.layout.features) {
      const value = features[slot.name];
      if (value !== undefined) known++;
      this.observe(slot, value);
    }
    if (this.layout.prediction) this.observe(this.layout.prediction, record.prediction);
    if (known < this.layout.features.length || hasMoreKeys(features, known)) {
      const unknown = Object.keys(features).length - known;
      if (unknown > 0) this.unknownFeaturesTotal += unknown;
    }
    return 'counted';
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
    for (let i = 0; i < this.rings.length; i++) {
      this.ringSlots[i] = this.rings[i].slotFor(ts, now);
      this.ringBases[i] = this.ringSlots[i] >= 0 ? this.ringSlots[i] * this.layout.width : -1;
    }
    this.recordsTotal += records;
    if (!(ts <= this.lastRecordMs)) this.lastRecordMs = ts;
    this.add(RECORDS, records);
    for (const slot of this.slots()) {
      const aggregate = aggregates.get(slot.name);
      if (!aggregate) continue;
      this.add(slot.offset + PRESENT, aggregate.present);
      this.add(slot.offset + MISSING, aggregate.missing);
      this.add(slot.offset + VIOLATIONS, aggregate.violations ?? 0);
      this.add(slot.offset + UNUSUAL, aggregate.unusual);
      const observed = this.binObservations.get(slot.name)!;
      for (let b = 0; b < slot.binCount; b++) {
        const count = aggregate.bins[b] ?? 0;
        if (count === 0) continue;
        this.add(slot.binsOffset + b, count);
        observed[b] += count;
      }
      if (slot.type !== 'numeric') continue;
      for (let b = 0; b < slot.fineCount; b++)
        if (aggregate.fine?.[b]) this.add(slot.fineOffset + b, aggregate.fine[b]);
      this.add(slot.offset + FINITE, aggregate.finite ?? 0);
      if (slot.fineSumsOffset >= 0 && aggregate.fineCentredSums) {
        for (let b = 0; b < slot.fineCount; b++) this.add(slot.fineSumsOffset + b, aggregate.fineCentredSums[b]);
        this.add(slot.fineSumsOffset + slot.fineCount, aggregate.finite ?? 0);
      }
      this.add(slot.offset + SUM, aggregate.centredSum ?? 0);
      this.add(slot.offset + SUM_SQUARES, aggregate.centredSumSquares ?? 0);
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
    return this.rings.map((ring, i) => ({ window: this.windows[i], ...ring.total(now) }));
  }

  /** Adds `amount` at `offset` in the current slot of every ring that holds the record. */
  private add(offset: number, amount = 1): void {
    for (let i = 0; i < this.ringCounts.length; i++) {
      if (this.ringBases[i] >= 0) this.ringCounts[i][this.ringBases[i] + offset] += amount;
    }
  }

  private observe(slot: FeatureSlot, value: unknown): void {
    if (isMissing(value)) {
      this.add(slot.offset + MISSING);
      return;
    }
    if (slot.type === 'numeric') {
      if (typeof value !== 'number') return this.violation(slot, 'expected_number');
      const bin = binIndex(value, slot.edges);
      const fine = binIndex(value, slot.fineEdges);
      this.add(slot.offset + PRESENT);
      this.add(slot.binsOffset + bin);
      this.add(slot.fineOffset + fine);
      if (value < slot.profile.min || value > slot.profile.max) this.add(slot.offset + UNUSUAL);
      if (Number.isFinite(value)) {
        // Sums are taken around the reference mean so that the variance keeps its precision.
        const centred = value - slot.centre;
        this.add(slot.offset + FINITE);
        this.add(slot.offset + SUM, centred);
        this.add(slot.offset + SUM_SQUARES, centred * centred);
        if (slot.fineSumsOffset >= 0) {
          this.add(slot.fineSumsOffset + fine, centred);
          this.add(slot.fineSumsOffset + slot.fineCount);
        }
        for (let i = 0; i < this.rings.length; i++) {
          if (this.ringSlots[i] >= 0) this.rings[i].extend(this.ringSlots[i], slot.extremaIndex, value);
        }
      }
      this.binObservations.get(slot.name)![bin]++;
      return;
    }
    if (typeof value !== 'string') return this.violation(slot, 'expected_string');
    const bin = slot.binOf(value);
    this.add(slot.offset + PRESENT);
    this.add(slot.binsOffset + bin);
    if (!slot.isKnown(value)) this.add(slot.offset + UNUSUAL);
    this.binObservations.get(slot.name)![bin]++;
  }

  private violation(slot: FeatureSlot, reason: string): void {
    this.add(slot.offset + MISSING);
    this.add(slot.offset + VIOLATIONS);
    const key = `${slot.name}\t${reason}`;
    this.violations.set(key, (this.violations.get(key) ?? 0) + 1);
  }
}

/** Whether `features` has more than `known` keys, without building the key list. */
function hasMoreKeys(features: Record<string, unknown>, known: number): boolean {
  let count = 0;
  for (const _key in features) if (++count > known) return true;
  return false;
}
