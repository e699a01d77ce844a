// What a window keeps for label-free performance estimation: per time slice (by the prediction's
// time), per predicted class (positive, negative) and per interval of the calibration map, a few
// sums over the predictions in it. The estimate of the window is computed from these sums at
// scrape time (cbpe-estimate.ts); no row is kept.
//
// Memory: windows × slices × 2 × (calibration points + 1) × FIELDS × 8 bytes, e.g. 2 windows of 60
// slices and a 300-point map: 2 MB. The map has at most MAX_CALIBRATION_POINTS points.
import type { SliceRing } from '../window/ring.ts';
import type { WindowSpec } from '../window/model-windows.ts';
import { calibrate, intervalOf, type Calibration } from './cbpe-calibration.ts';
import { EstimationRings } from './estimation-rings.ts';

/** Sums per cell (predicted class × interval): all predictions, then those whose label arrived. */
export const N = 0; // predictions
export const SUM_P = 1; // Σ calibrated p
export const SUM_P2 = 2; // Σ p²
export const LABELLED = 3; // predictions whose label is known
export const POSITIVES = 4; // … of which the label is the positive class
export const LABELLED_SUM_P = 5;
export const LABELLED_SUM_P2 = 6;
export const FIELDS = 7;

export interface ScoredPrediction {
  /** The model's raw score of the positive class. */
  score: number;
  /** Whether the model predicted the positive class. */
  predictedPositive: boolean;
}

/** Totals' cells: 2 × intervals cells of FIELDS, positive predictions first. */
export class CbpeWindows extends EstimationRings {
  /** Intervals of the calibration map (points + 1). */
  readonly intervals: number;

  constructor(
    readonly calibration: Calibration,
    windows: readonly WindowSpec[],
    slices: number,
  ) {
    super(windows, slices, 2 * (calibration.x.length + 1) * FIELDS);
    this.intervals = calibration.x.length + 1;
  }

  /** A prediction at `ts`; with `positive` when its label came with it. */
  observe(prediction: ScoredPrediction, ts: number, now: number, positive?: boolean): void {
    const at = this.cellOf(prediction);
    if (at < 0) return;
    const p = calibrate(this.calibration, prediction.score);
    this.eachSlot(ts, now, (ring, slot) => {
      ring.add(slot, at + N, 1);
      ring.add(slot, at + SUM_P, p);
      ring.add(slot, at + SUM_P2, p * p);
      if (positive !== undefined) addLabel(ring, slot, at, p, positive);
    });
  }

  /** The label of a prediction made at `ts`: counted in the slice of the prediction, if still held. */
  observeLabel(prediction: ScoredPrediction, ts: number, now: number, positive: boolean): void {
    const at = this.cellOf(prediction);
    if (at < 0) return;
    const p = calibrate(this.calibration, prediction.score);
    this.eachSlot(ts, now, (ring, slot) => addLabel(ring, slot, at, p, positive));
  }

  private cellOf({ score, predictedPositive }: ScoredPrediction): number {
    if (!Number.isFinite(score)) return -1;
    const cell = (predictedPositive ? 0 : this.intervals) + intervalOf(this.calibration, score);
    return cell * FIELDS;
  }
}

function addLabel(ring: SliceRing, slot: number, at: number, p: number, positive: boolean): void {
  ring.add(slot, at + LABELLED, 1);
  if (positive) ring.add(slot, at + POSITIVES, 1);
  ring.add(slot, at + LABELLED_SUM_P, p);
  ring.add(slot, at + LABELLED_SUM_P2, p * p);
}
