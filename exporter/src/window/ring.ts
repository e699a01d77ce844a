// A ring of time slices, each holding a fixed row of counters. A sliding window is the sum of the
// slices it covers, so memory is slices × width × 8 bytes whatever the traffic.
export class SliceRing {
  readonly sliceMs: number;
  /** Slot-major counters: slot s, counter i is at s × width + i. */
  readonly counts: Float64Array;
  private readonly minima: Float64Array;
  private readonly maxima: Float64Array;
  /** Absolute slice number held by each slot (floor(time / sliceMs)); -1 when empty. */
  private readonly sliceIds: Float64Array;

  constructor(
    readonly windowMs: number,
    readonly slices: number,
    /** Counters summed over slices. */
    readonly width: number,
    /** Values merged by min and max over slices (numeric features' extremes). */
    readonly extrema: number,
  ) {
    this.sliceMs = windowMs / slices;
    this.counts = new Float64Array(slices * width);
    this.minima = new Float64Array(slices * extrema).fill(Infinity);
    this.maxima = new Float64Array(slices * extrema).fill(-Infinity);
    this.sliceIds = new Float64Array(slices).fill(-1);
  }

  get bytes(): number {
    return this.counts.byteLength + this.minima.byteLength * 2 + this.sliceIds.byteLength;
  }

  /**
   * The slot for a record of time `ts` seen at `now`, cleared first if it held an older slice;
   * -1 when the record is older than this window.
   */
  slotFor(ts: number, now: number): number {
    const id = Math.floor(ts / this.sliceMs);
    if (id <= Math.floor(now / this.sliceMs) - this.slices) return -1;
    const slot = id % this.slices;
    const held = this.sliceIds[slot];
    if (held === id) return slot;
    if (held > id) return -1; // the slot already moved on to a newer slice
    this.counts.fill(0, slot * this.width, (slot + 1) * this.width);
    this.minima.fill(Infinity, slot * this.extrema, (slot + 1) * this.extrema);
    this.maxima.fill(-Infinity, slot * this.extrema, (slot + 1) * this.extrema);
    this.sliceIds[slot] = id;
    return slot;
  }

  add(slot: number, offset: number, amount: number): void {
    this.counts[slot * this.width + offset] += amount;
  }

  extend(slot: number, index: number, value: number): void {
    const at = slot * this.extrema + index;
    if (value < this.minima[at]) this.minima[at] = value;
    if (value > this.maxima[at]) this.maxima[at] = value;
  }

  /**
   * The ring's arrays as bytes, for a snapshot: counts, minima, maxima, then slice ids, each a
   * Float64Array in the machine's byte order. A copy, taken in one go (consistent at that instant).
   */
  serialize(): Uint8Array {
    const out = Buffer.allocUnsafeSlow(this.bytes); // every byte is written below
    this.serializeInto(out, 0);
    return out;
  }

  /** `serialize` into `out` at `at` (a streamed snapshot reuses one buffer); the end offset. */
  serializeInto(out: Uint8Array, at: number): number {
    for (const array of [this.counts, this.minima, this.maxima, this.sliceIds]) {
      out.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), at);
      at += array.byteLength;
    }
    return at;
  }

  /** Puts back what `serialize` gave, for a ring of the same shape; false (nothing changed) otherwise. */
  restore(bytes: Uint8Array): boolean {
    if (bytes.byteLength !== this.bytes) return false;
    let at = 0;
    for (const array of [this.counts, this.minima, this.maxima, this.sliceIds]) {
      new Uint8Array(array.buffer, array.byteOffset, array.byteLength).set(bytes.subarray(at, at + array.byteLength));
      at += array.byteLength;
    }
    return true;
  }

  /** What a snapshot checks before restoring: rings of another shape are never restored. */
  get shape(): RingShape {
    return { windowMs: this.windowMs, slices: this.slices, width: this.width, extrema: this.extrema };
  }

  /** Sums the slices that start in [fromMs, toMs) and are still held. */
  sumRange(fromMs: number, toMs: number): { counts: Float64Array; minima: Float64Array; maxima: Float64Array } {
    return this.sumSlices(Math.ceil(fromMs / this.sliceMs), Math.ceil(toMs / this.sliceMs) - 1);
  }

  /** Sums the slices inside the window ending at `now`. */
  total(now: number): { counts: Float64Array; minima: Float64Array; maxima: Float64Array } {
    const current = Math.floor(now / this.sliceMs);
    return this.sumSlices(current - this.slices + 1, current);
  }

  /** Sums the held slices with ids in [first, last]. */
  private sumSlices(first: number, last: number) {
    const counts = new Float64Array(this.width);
    const minima = new Float64Array(this.extrema).fill(Infinity);
    const maxima = new Float64Array(this.extrema).fill(-Infinity);
    for (let slot = 0; slot < this.slices; slot++) {
      const id = this.sliceIds[slot];
      if (id < 0 || id < first || id > last) continue;
      const base = slot * this.width;
      for (let i = 0; i < this.width; i++) counts[i] += this.counts[base + i];
      const eBase = slot * this.extrema;
      for (let i = 0; i < this.extrema; i++) {
        if (this.minima[eBase + i] < minima[i]) minima[i] = this.minima[eBase + i];
        if (this.maxima[eBase + i] > maxima[i]) maxima[i] = this.maxima[eBase + i];
      }
    }
    return { counts, minima, maxima };
  }
}

export interface RingShape {
  windowMs: number;
  slices: number;
  width: number;
  extrema: number;
}
