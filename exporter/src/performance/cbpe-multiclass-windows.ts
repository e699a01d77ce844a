// What a window keeps for multiclass label-free estimation: per time slice (by the prediction's
// time) sums of the records' normalised calibrated probabilities (cbpe-multiclass-calibration.ts),
// for all predictions and again for those whose label arrived:
//   n[k]        predictions of class k
//   s[k][c]     Σ p_c over predictions of class k: the expected confusion matrix (exact accuracy,
//               one-vs-rest precision, recall, F1)
//   q[k][c][d]  Σ p_c p_d over predictions of class k (c ≤ d): the labels' covariance, for the band
//   roc[c][i]   per class c and interval i of its map: predictions and Σ p_c (estimated AUROC)
// and for labelled predictions only: the confusion matrix (truth K + 1 wide, the last column a label
// of no known class) and per roc cell the predictions labelled c (realised AUROC).
//
// Memory: windows × slices × (2 (K + K² + K³ + 2R) + K (K + 1) + R) × 8 bytes, K classes and R the
// maps' intervals summed (points + 1 per class); 3 classes of 80-point maps, 2 windows of 60
// slices: 1.2 MB. At most MAX_ESTIMATION_CLASSES classes of MAX_CALIBRATION_POINTS points.
import type { SliceRing } from '../window/ring.ts';
import type { WindowSpec } from '../window/model-windows.ts';
import { calibrateRow, type CalibratedRow, type MulticlassCalibration } from './cbpe-multiclass-calibration.ts';
import { EstimationRings } from './estimation-rings.ts';

export type Population = 'all' | 'labelled';

/** Offsets of the sums in a slice row. */
export class MulticlassLayout {
  readonly k: number;
  /** First roc cell of each class (cells are class-major, then interval). */
  readonly rocStart: Int32Array;
  readonly intervalsOf: Int32Array;
  readonly rocCells: number;
  private readonly populationWidth: number;
  readonly width: number;

  constructor(calibration: MulticlassCalibration) {
    const k = (this.k = calibration.classes.length);
    this.intervalsOf = Int32Array.from(calibration.maps, (map) => map.x.length + 1);
    this.rocStart = new Int32Array(k);
    let cells = 0;
    for (let c = 0; c < k; c++) {
      this.rocStart[c] = cells;
      cells += this.intervalsOf[c];
    }
    this.rocCells = cells;
    this.populationWidth = k + k * k + k * k * k + 2 * cells;
    this.width = 2 * this.populationWidth + k * (k + 1) + cells;
  }

  private base(population: Population): number {
    return population === 'all' ? 0 : this.populationWidth;
  }
  n(population: Population, k: number): number {
    return this.base(population) + k;
  }
  s(population: Population, k: number, c: number): number {
    return this.base(population) + this.k + k * this.k + c;
  }
  q(population: Population, k: number, c: number, d: number): number {
    return this.base(population) + this.k + this.k * this.k + (k * this.k + c) * this.k + d;
  }
  /** The roc cell's predictions; Σ p_c is the next offset. */
  roc(population: Population, c: number, interval: number): number {
    return this.base(population) + this.k + this.k * this.k + this.k ** 3 + 2 * (this.rocStart[c] + interval);
  }
  confusion(predicted: number, truth: number): number {
    return 2 * this.populationWidth + predicted * (this.k + 1) + truth;
  }
  rocPositives(c: number, interval: number): number {
    return 2 * this.populationWidth + this.k * (this.k + 1) + this.rocStart[c] + interval;
  }
}

export interface MulticlassPrediction {
  /** Index of the predicted class among the calibration's classes. */
  predicted: number;
  row: CalibratedRow;
}

/** Totals' cells are at the offsets `layout` gives. */
export class CbpeMulticlassWindows extends EstimationRings {
  readonly layout: MulticlassLayout;

  constructor(
    readonly calibration: MulticlassCalibration,
    windows: readonly WindowSpec[],
    slices: number,
  ) {
    const layout = new MulticlassLayout(calibration);
    super(windows, slices, layout.width);
    this.layout = layout;
  }

  /** A record's prediction and scores as calibrated sums' inputs; undefined for a class or score the map lacks. */
  prepare(prediction: string, scores: Record<string, number> | undefined): MulticlassPrediction | undefined {
    const predicted = this.calibration.classes.indexOf(prediction);
    if (predicted < 0 || !scores) return undefined;
    const row = calibrateRow(this.calibration, scores);
    return row && { predicted, row };
  }

  /** A prediction at `ts`; with its `truth` (class index, K for a class the map lacks) when known. */
  observe(prediction: MulticlassPrediction, ts: number, now: number, truth?: number): void {
    this.eachSlot(ts, now, (ring, slot) => {
      this.addSums(ring, slot, 'all', prediction);
      if (truth !== undefined) this.addLabel(ring, slot, prediction, truth);
    });
  }

  /** The label of a prediction made at `ts`: counted in the slice of the prediction, if still held. */
  observeLabel(prediction: MulticlassPrediction, ts: number, now: number, truth: number): void {
    this.eachSlot(ts, now, (ring, slot) => this.addLabel(ring, slot, prediction, truth));
  }

  private addLabel(ring: SliceRing, slot: number, prediction: MulticlassPrediction, truth: number): void {
    const { layout } = this;
    this.addSums(ring, slot, 'labelled', prediction);
    ring.add(slot, layout.confusion(prediction.predicted, truth), 1);
    if (truth < layout.k) ring.add(slot, layout.rocPositives(truth, prediction.row.intervals[truth]), 1);
  }

  private addSums(ring: SliceRing, slot: number, population: Population, { predicted, row }: MulticlassPrediction) {
    const { layout } = this;
    const p = row.probabilities;
    ring.add(slot, layout.n(population, predicted), 1);
    for (let c = 0; c < layout.k; c++) {
      ring.add(slot, layout.s(population, predicted, c), p[c]);
      for (let d = c; d < layout.k; d++) ring.add(slot, layout.q(population, predicted, c, d), p[c] * p[d]);
      const roc = layout.roc(population, c, row.intervals[c]);
      ring.add(slot, roc, 1);
      ring.add(slot, roc + 1, p[c]);
    }
  }
}
