// Multiclass CBPE's calibration, one-vs-rest as NannyML: per class, the isotonic map of
// (label == class) on that class's score over the labelled reference (cbpe-calibration.ts). A
// record's probabilities are its classes' calibrated scores normalised to sum to 1 (uniform when
// all are 0), as NannyML does; the record carries every class's score, so this is done per record
// at ingest and only sums of the normalised probabilities are kept (cbpe-multiclass-windows.ts).
import { calibrate, fitCalibration, intervalOf, sameCalibration, type Calibration } from './cbpe-calibration.ts';

/** Classes a multiclass estimation tracks: its state grows with their cube (cross sums for the band). */
export const MAX_ESTIMATION_CLASSES = 10;

export interface MulticlassCalibration {
  /** The classes, in the order of every per-class array. */
  readonly classes: readonly string[];
  /** Per class, the map of its score. */
  readonly maps: readonly Calibration[];
}

/** A binary model's map, or a multiclass model's maps. */
export type EstimationCalibration = Calibration | MulticlassCalibration;

export const isMulticlass = (c: EstimationCalibration | undefined): c is MulticlassCalibration =>
  c !== undefined && 'classes' in c;

/** Fits each class's map on `scores[c]` (the class's score per row) against `labels` (class names). */
export function fitMulticlassCalibration(
  classes: readonly string[],
  scores: readonly (readonly number[])[],
  labels: readonly string[],
): MulticlassCalibration {
  if (classes.length < 2 || classes.length > MAX_ESTIMATION_CLASSES) {
    throw new Error(`multiclass estimation needs 2 to ${MAX_ESTIMATION_CLASSES} classes, not ${classes.length}`);
  }
  const maps = classes.map((name, c) => {
    try {
      return fitCalibration(
        scores[c],
        labels.map((label) => (label === name ? 1 : 0)),
      );
    } catch (err) {
      throw new Error(`class ${name}: ${(err as Error).message}`);
    }
  });
  return { classes, maps };
}

export interface CalibratedRow {
  /** Normalised calibrated probability per class. */
  probabilities: Float64Array;
  /** Per class, the interval of its score in its map. */
  intervals: Int32Array;
}

/** A record's calibrated row; undefined when a class's score is missing or not finite. */
export function calibrateRow(
  calibration: MulticlassCalibration,
  scores: Record<string, number>,
): CalibratedRow | undefined {
  const k = calibration.classes.length;
  const probabilities = new Float64Array(k);
  const intervals = new Int32Array(k);
  let total = 0;
  for (let c = 0; c < k; c++) {
    const score = scores[calibration.classes[c]];
    if (typeof score !== 'number' || !Number.isFinite(score)) return undefined;
    intervals[c] = intervalOf(calibration.maps[c], score);
    probabilities[c] = calibrate(calibration.maps[c], score, intervals[c]);
    total += probabilities[c];
  }
  for (let c = 0; c < k; c++) probabilities[c] = total === 0 ? 1 / k : probabilities[c] / total;
  return { probabilities, intervals };
}

/** Whether two estimation calibrations are the same (a reload keeps a model's windows only then). */
export function sameEstimationCalibration(a: EstimationCalibration | undefined, b: EstimationCalibration | undefined) {
  if (isMulticlass(a) || isMulticlass(b)) {
    if (!isMulticlass(a) || !isMulticlass(b)) return false;
    return (
      a.classes.length === b.classes.length &&
      a.classes.every((name, c) => name === b.classes[c] && sameCalibration(a.maps[c], b.maps[c]))
    );
  }
  return sameCalibration(a, b);
}
