// Predictions waiting for their delayed label, by record id. Bounded by count (oldest evicted) and
// by age (older than max_delay evicted); both evictions are counted as expired.
export interface PendingPrediction {
  prediction: number | string;
  scores?: Record<string, number>;
  timestampMs: number;
}

export class JoinBuffer {
  private readonly pending = new Map<string, PendingPrediction>();
  expired = 0;

  constructor(
    readonly capacity: number,
    readonly maxDelayMs: number,
  ) {}

  get size(): number {
    return this.pending.size;
  }

  add(id: string, prediction: PendingPrediction, now: number): void {
    this.pending.delete(id); // a repeated id replaces the older prediction and moves to the back
    this.pending.set(id, prediction);
    this.evict(now);
  }

  /** The prediction for `id`, removed from the buffer; undefined when unknown or evicted. */
  take(id: string, now: number): PendingPrediction | undefined {
    this.evict(now);
    const found = this.pending.get(id);
    if (found) this.pending.delete(id);
    return found;
  }

  private evict(now: number): void {
    // Map iteration follows insertion order, so the oldest predictions come first.
    for (const [id, entry] of this.pending) {
      if (this.pending.size <= this.capacity && entry.timestampMs > now - this.maxDelayMs) break;
      this.pending.delete(id);
      this.expired++;
    }
  }
}
