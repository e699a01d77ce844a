// Predictions waiting for their delayed label, by record id. Bounded by count (oldest evicted), by
// the bytes its entries hold (limits.join_buffer_bytes: ids are client-chosen strings) and by age
// (older than max_delay evicted); every eviction is counted as expired.
import type { SegmentParts } from './labels.ts';
export interface PendingPrediction {
  prediction: number | string;
  scores?: Record<string, number>;
  timestampMs: number;
  /** The record's segments (one per segment column), when the model is segmented. */
  segments?: readonly SegmentParts[];
}

/** What an entry costs in memory, roughly: its strings at 2 bytes a unit, plus the Map entry and objects. */
export const ENTRY_OVERHEAD_BYTES = 160;
export function entryBytes(id: string, prediction: PendingPrediction): number {
  let bytes = ENTRY_OVERHEAD_BYTES + 2 * id.length;
  if (typeof prediction.prediction === 'string') bytes += 2 * prediction.prediction.length;
  for (const key in prediction.scores) bytes += 2 * key.length + 48;
  if (prediction.segments) bytes += 16 + 8 * prediction.segments.length;
  return bytes;
}

export class JoinBuffer {
  private readonly pending = new Map<string, PendingPrediction & { bytes: number }>();
  expired = 0;
  /** The accounted bytes of the entries held now. */
  bytes = 0;

  constructor(
    readonly capacity: number,
    readonly maxDelayMs: number,
    readonly maxBytes = Infinity,
  ) {}

  get size(): number {
    return this.pending.size;
  }

  add(id: string, prediction: PendingPrediction, now: number): void {
    this.remove(id); // a repeated id replaces the older prediction and moves to the back
    const bytes = entryBytes(id, prediction);
    this.pending.set(id, { ...prediction, bytes });
    this.bytes += bytes;
    this.evict(now);
  }

  /** The prediction for `id`, removed from the buffer; undefined when unknown or evicted. */
  take(id: string, now: number): PendingPrediction | undefined {
    this.evict(now);
    return this.remove(id);
  }

  private remove(id: string): PendingPrediction | undefined {
    const found = this.pending.get(id);
    if (!found) return undefined;
    this.pending.delete(id);
    this.bytes -= found.bytes;
    return found;
  }

  private evict(now: number): void {
    // Map iteration follows insertion order, so the oldest predictions come first.
    for (const [id, entry] of this.pending) {
      const within = this.pending.size <= this.capacity && this.bytes <= this.maxBytes;
      if (within && entry.timestampMs > now - this.maxDelayMs) break;
      this.remove(id);
      this.expired++;
    }
  }
}
