// Years found from now, so a test's dates never age: a test names a kind of year (leap, common,
// a century), not a literal one.
export const isLeap = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/** The first year from `start` on (counting by `step`, 1 or -1) for which `wanted` holds. */
export function yearFrom(start: number, wanted: (year: number) => boolean, step: 1 | -1 = 1): number {
  let year = start;
  while (!wanted(year)) year += step;
  return year;
}
