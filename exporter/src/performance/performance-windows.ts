// Model performance from joined labels: per window, counts in time slices (a confusion matrix and
// score histograms for classification, error sums for regression), so that any metric of the
// window is computed from counts at scrape time; plus cumulative counters for PromQL ranges.
import { scoreBin } from '../stats/index.ts';
import { SliceRing } from '../window/ring.ts';
import type { WindowSpec } from '../window/model-windows.ts';
import { ClassIndex } from './class-index.ts';

export type Task = 'classification' | 'regression';

// A performance slice row (and a window's counts), by task:
//
//   offset              regression                    classification
//   EVALUATED (0)       evaluations                   evaluations
//   1                   ABS_ERROR    Σ |y − ŷ|         CORRECT  correct predictions
//   2                   SQUARED_ERROR Σ (y − ŷ)²       CONFUSION: k × k matrix, truth-major (layout.confusion)
//   3                   ABS_PERCENT_ERROR Σ |y − ŷ| / max(|y|, ε)
//   2 + k²              —                             score histograms (layout.histograms): binary, one
//                                                     pair (positive, negative labels) of BINARY_SCORE_BINS;
//                                                     multiclass, a pair per named class of MULTICLASS_SCORE_BINS
export const EVALUATED = 0;
export const CORRECT = 1;
const CONFUSION = 2;
export const ABS_ERROR = 1;
export const SQUARED_ERROR = 2;
export const ABS_PERCENT_ERROR = 3;
const REGRESSION_WIDTH = ABS_PERCENT_ERROR + 1;

/** Score histogram bins: 1001 for binary (exact for 3-decimal scores), 101 per class otherwise. */
export const BINARY_SCORE_BINS = 1001;
export const MULTICLASS_SCORE_BINS = 101;

/** Upper bounds (seconds) of the label delay histogram. */
export const LABEL_DELAY_BUCKETS = [1, 10, 60, 300, 900, 3600, 4 * 3600, 12 * 3600, 86400, 3 * 86400, 7 * 86400];

export interface Evaluation {
  prediction: number | string;
  label: number | string;
  scores?: Record<string, number>;
}

export interface PerformanceOptions {
  task: Task;
  classes: readonly string[];
  maxClasses: number;
  positiveClass?: string;
  windows: readonly WindowSpec[];
  slices: number;
}

export class PerformanceWindows {
  readonly task: Task;
  readonly classes: ClassIndex;
  readonly positiveClass?: string;
  readonly scoreBins: number;
  readonly width: number;
  private readonly rings: SliceRing[];

  // Cumulative counters (exported as *_total).
  evaluatedTotal = 0;
  correctTotal = 0;
  absoluteErrorTotal = 0;
  squaredErrorTotal = 0;
  /** Per bucket of LABEL_DELAY_BUCKETS, plus one above the last. */
  readonly delayBuckets = new Float64Array(LABEL_DELAY_BUCKETS.length + 1);
  delaySum = 0;
  delayCount = 0;

  constructor(readonly options: PerformanceOptions) {
    this.task = options.task;
    this.positiveClass = options.positiveClass;
    this.classes = new ClassIndex(
      options.positiveClass ? [options.positiveClass, ...options.classes] : options.classes,
      options.maxClasses,
    );
    this.scoreBins = options.positiveClass ? BINARY_SCORE_BINS : MULTICLASS_SCORE_BINS;
    this.width = this.task === 'regression' ? REGRESSION_WIDTH : this.classificationWidth();
    this.rings = options.windows.map((w) => new SliceRing(w.ms, options.slices, this.width, 0));
  }

  /** The window rings, one per window: snapshots read and restore them (with `classes.names`). */
  get windowRings(): readonly SliceRing[] {
    return this.rings;
  }

  /** Row layout of a classification slice. */
  get layout() {
    const k = this.classes.size;
    const confusion = CONFUSION;
    const histograms = confusion + k * k;
    return { k, confusion, histograms };
  }

  private classificationWidth(): number {
    const { k, histograms } = this.layout;
    // Binary: one pair of histograms (positive class score); multiclass: a pair per named class.
    const pairs = this.positiveClass ? 1 : k - 1;
    return histograms + pairs * 2 * this.scoreBins;
  }

  observe(evaluation: Evaluation, ts: number, now: number): void {
    const slots = this.rings.map((ring) => ring.slotFor(Math.min(ts, now), now));
    const add = (offset: number, amount = 1) =>
      this.rings.forEach((ring, i) => slots[i] >= 0 && ring.add(slots[i], offset, amount));
    if (this.task === 'regression') return this.observeRegression(evaluation, add);
    this.observeClassification(evaluation, add);
  }

  recordDelay(seconds: number): void {
    const bucket = LABEL_DELAY_BUCKETS.findIndex((upper) => seconds <= upper);
    this.delayBuckets[bucket >= 0 ? bucket : LABEL_DELAY_BUCKETS.length]++;
    this.delaySum += seconds;
    this.delayCount++;
  }

  totals(now: number): { window: WindowSpec; counts: Float64Array }[] {
    return this.rings.map((ring, i) => ({ window: this.options.windows[i], counts: ring.total(now).counts }));
  }

  private observeRegression(evaluation: Evaluation, add: (offset: number, amount?: number) => void): void {
    const y = Number(evaluation.label);
    const yHat = Number(evaluation.prediction);
    if (!Number.isFinite(y) || !Number.isFinite(yHat)) return;
    const error = Math.abs(y - yHat);
    add(EVALUATED);
    add(ABS_ERROR, error);
    add(SQUARED_ERROR, error * error);
    // As scikit-learn's mean_absolute_percentage_error: |y| floored at machine epsilon.
    add(ABS_PERCENT_ERROR, error / Math.max(Math.abs(y), Number.EPSILON));
    this.evaluatedTotal++;
    this.absoluteErrorTotal += error;
    this.squaredErrorTotal += error * error;
  }

  private observeClassification(evaluation: Evaluation, add: (offset: number, amount?: number) => void): void {
    const { k, confusion, histograms } = this.layout;
    const truth = this.classes.indexOf(String(evaluation.label));
    const predicted = this.classes.indexOf(String(evaluation.prediction));
    add(EVALUATED);
    if (truth === predicted && truth !== this.classes.max) add(CORRECT);
    add(confusion + truth * k + predicted);
    this.evaluatedTotal++;
    if (truth === predicted && truth !== this.classes.max) this.correctTotal++;
    const scores = evaluation.scores;
    if (!scores) return;
    if (this.positiveClass !== undefined) {
      const bin = scoreBin(scores[this.positiveClass], this.scoreBins);
      if (bin < 0) return;
      const isPositive = String(evaluation.label) === this.positiveClass;
      add(histograms + (isPositive ? 0 : this.scoreBins) + bin);
      return;
    }
    for (let c = 0; c < k - 1; c++) {
      const name = this.classes.nameOf(c);
      if (c >= this.classes.names.length || scores[name] === undefined) continue;
      const bin = scoreBin(scores[name], this.scoreBins);
      if (bin < 0) continue;
      const base = histograms + c * 2 * this.scoreBins;
      add(base + (truth === c ? 0 : this.scoreBins) + bin);
    }
  }
}
