// Ascending copies for the raw-sample statistics; an input already sorted (the CLI sorts each
// sample once for KS and Wasserstein) is used as it is, after an O(n) check.
export function ascending(values: ArrayLike<number>): Float64Array {
  let sorted = values instanceof Float64Array;
  for (let i = 1; sorted && i < values.length; i++) if (values[i - 1] > values[i]) sorted = false;
  return sorted ? (values as Float64Array) : Float64Array.from(values).sort();
}
