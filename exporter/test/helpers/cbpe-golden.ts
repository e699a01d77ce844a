// The fixture of make_cbpe_fixture.py: a labelled reference, windows of scores under covariate
// shift, and the row-level reference implementation's estimated and realised metrics.
import { readFileSync } from 'node:fs';
import { FIXTURES } from './golden.ts';

export interface CbpeGolden {
  threshold: number;
  reference: { scores: number[]; labels: number[] };
  calibration: { x: number[]; y: number[] };
  windows: {
    shift: number;
    x: number[];
    scores: number[];
    labels: number[];
    estimated: Record<'accuracy' | 'precision' | 'recall' | 'f1' | 'auroc' | 'auroc_rounded', number>;
    realised: Record<'accuracy' | 'precision' | 'recall' | 'f1' | 'auroc', number>;
  }[];
}

export const cbpeGolden = JSON.parse(readFileSync(`${FIXTURES}cbpe-golden.json`, 'utf8')) as CbpeGolden;
export const CBPE_REFERENCE = `${FIXTURES}cbpe-reference.csv`;
export const EXACT_METRICS = ['accuracy', 'precision', 'recall', 'f1'] as const;
