// Synthetic tabular data for the benchmarks: numeric columns n0…, categorical columns c0….
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

function mulberry32(seed) {
  return () => {
    let t = (seed = (seed + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function makeRow(random, numeric, categorical, shift = 0) {
  const features = {};
  for (let i = 0; i < numeric; i++) {
    const u = 1 - random();
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
    features[`n${i}`] = Math.round((i + z + (i === 0 ? shift : 0)) * 1000) / 1000;
  }
  for (let i = 0; i < categorical; i++) features[`c${i}`] = `v${Math.floor(random() * random() * 20)}`;
  return features;
}

export function rowGenerator(seed) {
  return mulberry32(seed);
}

/** Writes a CSV of `rows` rows; resolves when flushed. */
export async function writeCsv(path, rows, numeric, categorical, seed, shift = 0) {
  const random = mulberry32(seed);
  const out = createWriteStream(path);
  const header = [
    ...Array.from({ length: numeric }, (_, i) => `n${i}`),
    ...Array.from({ length: categorical }, (_, i) => `c${i}`),
  ];
  out.write(header.join(',') + '\n');
  for (let r = 0; r < rows; r++) {
    const line = Object.values(makeRow(random, numeric, categorical, shift)).join(',') + '\n';
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
