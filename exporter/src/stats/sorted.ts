// Ascending copies for the raw-sample statistics; an input already sorted (the CLI sorts each
// sample once for KS and Wasserstein) is used as it is, after an O(n) check.
export function ascending(values: ArrayLike<number>): Float64Array {
  let sorted = values instanceof Float64Array;
  for (let i = 1; sorted && i < values.length; i++) if (values[i - 1] > values[i]) sorted = false;
  return sorted ? (values as Float64Array) : sortInPlace(Float64Array.from(values));
}

// A counting sort pays when the values are integers spanning at most this many per value.
const COUNTING_SPAN_PER_VALUE = 4;

// Below this many values V8's comparison sort is as fast as a radix sort's four passes.
const RADIX_MIN_VALUES = 4096;

/**
 * Sorts `values` (no NaN) ascending in place, as Float64Array#sort does (-0 before 0), and returns
 * it. V8's comparison sort takes about 60 ms per 500,000 values and a one-shot check sorts each
 * sample: integer columns over a small range (counts, hours, minutes of delay, ages: most numeric
 * features of tabular data) are counted instead, O(n + range), and the others radix sorted.
 */
export function sortInPlace(values: Float64Array): Float64Array {
  const n = values.length;
  if (n < RADIX_MIN_VALUES) return values.sort();
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    // Fractions, ±Infinity, -0 (which sorts before 0) and values beyond int32 are radix sorted.
    if ((v | 0) !== v || (v === 0 && 1 / v < 0)) return radixSort(values);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const span = max - min + 1;
  if (span > COUNTING_SPAN_PER_VALUE * n) return radixSort(values);
  const counts = new Uint32Array(span);
  for (let i = 0; i < n; i++) counts[values[i] - min]++;
  let k = 0;
  for (let d = 0; d < span; d++) {
    const end = k + counts[d];
    values.fill(d + min, k, end);
    k = end;
  }
  return values;
}

/**
 * LSD radix sort of doubles in four 16-bit passes over their bits, mapped so that unsigned order
 * is numeric order (sign bit flipped for positives, every bit for negatives). Machine byte order is
 * little-endian wherever Node runs: word 1 of a double is its high half.
 */
function radixSort(values: Float64Array): Float64Array {
  const n = values.length;
  const words = new Uint32Array(values.buffer, values.byteOffset, n * 2);
  let hi = new Uint32Array(n);
  let lo = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const h = words[2 * i + 1];
    const l = words[2 * i];
    const negative = h >>> 31 === 1;
    hi[i] = negative ? ~h >>> 0 : (h | 0x80000000) >>> 0;
    lo[i] = negative ? ~l >>> 0 : l;
  }
  let hiOut = new Uint32Array(n);
  let loOut = new Uint32Array(n);
  const starts = new Uint32Array(1 << 16);
  for (let pass = 0; pass < 4; pass++) {
    const keys = pass < 2 ? lo : hi;
    const shift = (pass & 1) * 16;
    starts.fill(0);
    for (let i = 0; i < n; i++) starts[(keys[i] >>> shift) & 0xffff]++;
    if (starts[(keys[0] >>> shift) & 0xffff] === n) continue; // one digit everywhere: nothing moves
    let sum = 0;
    for (let d = 0; d < starts.length; d++) {
      const count = starts[d];
      starts[d] = sum;
      sum += count;
    }
    for (let i = 0; i < n; i++) {
      const at = starts[(keys[i] >>> shift) & 0xffff]++;
      hiOut[at] = hi[i];
      loOut[at] = lo[i];
    }
    [hi, hiOut] = [hiOut, hi];
    [lo, loOut] = [loOut, lo];
  }
  for (let i = 0; i < n; i++) {
    const h = hi[i];
    const positive = h >>> 31 === 1;
    words[2 * i + 1] = positive ? h & 0x7fffffff : ~h >>> 0;
    words[2 * i] = positive ? lo[i] : ~lo[i] >>> 0;
  }
  return values;
}

/** The finite values of an ascending array, without a copy: ±Infinity can only sit at its ends. */
export function finitePart(sorted: Float64Array): Float64Array {
  let start = 0;
  let end = sorted.length;
  while (start < end && sorted[start] === -Infinity) start++;
  while (end > start && sorted[end - 1] === Infinity) end--;
  return sorted.subarray(start, end);
}
