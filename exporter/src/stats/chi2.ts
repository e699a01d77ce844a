// Chi-squared homogeneity test on the 2 x K table [ref; cur], as scipy.stats.chi2_contingency
// with its defaults (Pearson statistic, Yates' correction when dof == 1), after dropping the bins
// that are empty on both sides (scipy would reject their zero expected frequencies).
import { chi2Sf } from './gamma.ts';

export interface Chi2Result {
  statistic: number;
  pvalue: number;
  dof: number;
}

/** undefined when fewer than 2 bins are non-empty or a side has no values. */
export function chi2Homogeneity(refCounts: ArrayLike<number>, curCounts: ArrayLike<number>): Chi2Result | undefined {
  if (refCounts.length !== curCounts.length) {
    throw new RangeError(`bin count mismatch: ${refCounts.length} vs ${curCounts.length}`);
  }
  const ref: number[] = [];
  const cur: number[] = [];
  for (let i = 0; i < refCounts.length; i++) {
    if (refCounts[i] === 0 && curCounts[i] === 0) continue;
    ref.push(refCounts[i]);
    cur.push(curCounts[i]);
  }
  const k = ref.length;
  const refTotal = ref.reduce((s, v) => s + v, 0);
  const curTotal = cur.reduce((s, v) => s + v, 0);
  if (k < 2 || refTotal === 0 || curTotal === 0) return undefined;
  const total = refTotal + curTotal;
  const dof = k - 1;
  let statistic = 0;
  for (let i = 0; i < 2; i++) {
    const row = i === 0 ? ref : cur;
    const rowTotal = i === 0 ? refTotal : curTotal;
    for (let j = 0; j < k; j++) {
      const expected = (rowTotal * (ref[j] + cur[j])) / total;
      let observed = row[j];
      if (dof === 1) {
        // Yates: move each cell towards its expectation by at most 0.5 (scipy gh-13875).
        const diff = expected - observed;
        observed += Math.sign(diff) * Math.min(0.5, Math.abs(diff));
      }
      statistic += (observed - expected) ** 2 / expected;
    }
  }
  return { statistic, pvalue: chi2Sf(statistic, dof), dof };
}
