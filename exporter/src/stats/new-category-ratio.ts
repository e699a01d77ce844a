// Share of present categorical values never seen in the reference.

/** newValues / present; NaN when no value is present. */
export function newCategoryRatio(newValues: number, present: number): number {
  return present > 0 ? newValues / present : NaN;
}
