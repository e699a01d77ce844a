// Share of present numeric values outside the reference's [min, max] (both ends in range).

/** outOfRange / present; NaN when no value is present. */
export function outOfRangeRatio(outOfRange: number, present: number): number {
  return present > 0 ? outOfRange / present : NaN;
}
