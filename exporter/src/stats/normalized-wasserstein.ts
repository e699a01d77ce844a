// Wasserstein-1 in units of the reference's population std, so one threshold fits every feature.

/** Floor under the reference std, so a constant reference feature does not divide by zero. */
export const STD_FLOOR = 0.001;

/** w / max(refStd, 0.001). */
export function normalizedWasserstein(w: number, refStd: number): number {
  return w / Math.max(refStd, STD_FLOOR);
}
