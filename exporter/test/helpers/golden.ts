// The end-to-end golden data written by fixtures/make_drift_fixture.py (numpy/scipy).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

export interface DriftGolden {
  bins: number;
  expected: Record<string, Record<string, number | string | string[] | number[]>>;
  current_records: Record<string, number | string | null>[];
}

export const driftGolden = JSON.parse(readFileSync(`${FIXTURES}drift-golden.json`, 'utf8')) as DriftGolden;
