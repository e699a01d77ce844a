// The current side of a comparison, as counts. Built from a window's totals or from a data file.
export interface NumericCurrent {
  type: 'numeric';
  present: number;
  missing: number;
  violations: number;
  outOfRange: number;
  finite: number;
  /** Sum and sum of squares of (value − reference mean) over finite values. */
  centredSum: number;
  centredSumSquares: number;
  min: number;
  max: number;
  bins: ArrayLike<number>;
  fine: ArrayLike<number>;
  /** Sum of the finite values of each fine bin, when kept (see wassersteinFromBinSums). */
  fineSums?: ArrayLike<number>;
}

export interface CategoricalCurrent {
  type: 'categorical';
  present: number;
  missing: number;
  violations: number;
  newCategories: number;
  bins: ArrayLike<number>;
}

export type FeatureCurrent = NumericCurrent | CategoricalCurrent;

/** Raw samples, when both sides have them: KS and Wasserstein are then exact. */
export interface ExactSamples {
  reference: Float64Array;
  current: Float64Array;
}
