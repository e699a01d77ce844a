// Regression metrics from running sums, matching sklearn's root_mean_squared_error, mean_absolute_error
// and mean_absolute_percentage_error (a ratio, not percent; |y| floored at machine epsilon so y = 0
// gives a huge but finite term, as sklearn does).

/** float64 machine epsilon, sklearn's MAPE floor for |y_true|. */
export const MAPE_EPSILON = 2.220446049250313e-16;

export interface RegressionSums {
  n: number;
  absError: number;
  squaredError: number;
  absPercentError: number;
}

export interface RegressionMetrics {
  rmse: number;
  mae: number;
  mape: number;
}

/** RMSE = sqrt(Σe²/n), MAE = Σ|e|/n, MAPE = Σ(|e|/max(|y|, eps))/n; NaN when n = 0. */
export function regressionMetrics(sums: RegressionSums): RegressionMetrics {
  const { n } = sums;
  if (!(n > 0)) return { rmse: NaN, mae: NaN, mape: NaN };
  return { rmse: Math.sqrt(sums.squaredError / n), mae: sums.absError / n, mape: sums.absPercentError / n };
}

/** One record's MAPE term |yTrue - yPred| / max(|yTrue|, eps), to add to absPercentError. */
export function absPercentError(yTrue: number, yPred: number): number {
  return Math.abs(yTrue - yPred) / Math.max(Math.abs(yTrue), MAPE_EPSILON);
}
