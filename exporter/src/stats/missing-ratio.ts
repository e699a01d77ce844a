// Share of records whose value is missing (absent, null, NaN, or a schema violation).

/** missing / total; NaN when there are no records. */
export function missingRatio(missing: number, total: number): number {
  return total > 0 ? missing / total : NaN;
}
