// Mean and std shift in units of the reference population std. The std is floored at 0.001 (as
// for the normalised Wasserstein) so a constant reference feature gives a large finite shift
// instead of ±Infinity or NaN.
import { STD_FLOOR } from './normalized-wasserstein.ts';

/** (meanCur - meanRef) / max(refStd, 0.001). */
export function meanShift(meanCur: number, meanRef: number, refStd: number): number {
  return (meanCur - meanRef) / Math.max(refStd, STD_FLOOR);
}

/** stdCur / max(refStd, 0.001) (population stds). */
export function stdRatio(stdCur: number, refStd: number): number {
  return stdCur / Math.max(refStd, STD_FLOOR);
}
