// The per-bin contributions written by fixtures/make_contributions_fixture.py (numpy/scipy).
import { readFileSync } from 'node:fs';
import { FIXTURES } from './golden.ts';

export interface ContributionCase {
  name: string;
  ref: number[];
  cur: number[];
  psi: number;
  psiBins: number[];
  psiTop: number[];
  js: number;
  jsBins: number[];
  jsTop: number[];
  /** The drift fixture's features only: each bin's label as the exporter writes it. */
  bins?: string[];
}

export const contributionsGolden = JSON.parse(readFileSync(`${FIXTURES}contributions-golden.json`, 'utf8')) as {
  generator: { topK: number };
  /** Count vectors of their own. */
  cases: ContributionCase[];
  /** The features of reference.csv against current.csv (make_drift_fixture.py), by name. */
  driftFixture: Record<string, ContributionCase & { bins: string[] }>;
};
