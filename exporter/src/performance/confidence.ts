// Confidence of the predictions (the predicted class's probability), as a cumulative histogram:
// a falling confidence is an early sign of drift that needs no labels.
export const CONFIDENCE_BUCKETS = [0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1];

export class ConfidenceHistogram {
  /** Per bucket of CONFIDENCE_BUCKETS, plus one above the last (never for valid probabilities). */
  readonly counts = new Float64Array(CONFIDENCE_BUCKETS.length + 1);
  sum = 0;

  observe(confidence: number): void {
    const bucket = CONFIDENCE_BUCKETS.findIndex((upper) => confidence <= upper);
    this.counts[bucket >= 0 ? bucket : CONFIDENCE_BUCKETS.length]++;
    this.sum += confidence;
  }
}
