// The fixture of make_cbpe_multiclass_fixture.py: three classes' scores under covariate shift, the
// per-class isotonic maps, and the row-level reference implementation's estimated and realised
// macro metrics.
import { readFileSync } from 'node:fs';
import { FIXTURES } from './golden.ts';

type Metrics = Record<'accuracy' | 'precision' | 'recall' | 'f1' | 'auroc', number>;

export interface CbpeMulticlassGolden {
  classes: string[];
  calibration: Record<string, { x: number[]; y: number[] }>;
  windows: {
    shift: number[];
    x: number[][];
    scores: number[][];
    predictions: string[];
    labels: string[];
    estimated: Metrics;
    realised: Metrics;
  }[];
}

export const cbpeMulticlassGolden = JSON.parse(
  readFileSync(`${FIXTURES}cbpe-multiclass-golden.json`, 'utf8'),
) as CbpeMulticlassGolden;
export const CBPE_MULTICLASS_REFERENCE = `${FIXTURES}cbpe-multiclass-reference.csv`;
