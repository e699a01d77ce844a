// Population mean and std (numpy.mean, numpy.std with ddof=0) in two passes with compensated
// sums, so large offsets do not swamp the variance. The caller filters out missing values.

export interface Moments {
  mean: number;
  std: number;
}

/** NaN for both when values is empty. */
export function meanAndStd(values: ArrayLike<number>): Moments {
  const n = values.length;
  if (n === 0) return { mean: NaN, std: NaN };
  const mean = neumaierSum(values, (v) => v) / n;
  const variance = neumaierSum(values, (v) => (v - mean) ** 2) / n;
  return { mean, std: Math.sqrt(variance) };
}

function neumaierSum(values: ArrayLike<number>, f: (v: number) => number): number {
  let sum = 0;
  let comp = 0;
  for (let i = 0; i < values.length; i++) {
    const x = f(values[i]);
    const t = sum + x;
    comp += Math.abs(sum) >= Math.abs(x) ? sum - t + x : x - t + sum;
    sum = t;
  }
  return sum + comp;
}
