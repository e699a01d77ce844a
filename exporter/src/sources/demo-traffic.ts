// Synthetic credit-scoring traffic. After `drift_after`, credit_score shifts by 0.8 reference
// standard deviations (PSI well past 0.2) while every other feature keeps its distribution.
import type { Table, Cell } from '../io/read-table.ts';
import { Random } from '../util/random.ts';

export const DEMO_MODEL = 'demo-credit';

const COUNTRIES = [
  ['US', 0.4],
  ['DE', 0.2],
  ['FR', 0.15],
  ['GB', 0.15],
  ['JP', 0.1],
] as const;
const CHANNELS = [
  ['web', 0.5],
  ['mobile', 0.35],
  ['branch', 0.15],
] as const;

export interface DemoRow {
  age: number;
  income: number;
  credit_score: number;
  utilization: number;
  country: string;
  channel: string;
  prediction: number;
  /** The true probability of a positive outcome, which the model approximates. */
  truth: number;
}

export function demoRow(random: Random, drifted: boolean): DemoRow {
  const age = Math.round(random.normal(41, 11) * 10) / 10;
  const income = Math.round(Math.exp(random.normal(10.8, 0.5)));
  // After the drift, reported credit scores run 40 points high: the applicants are the same, so
  // the model, which trusts the score, over-predicts and its accuracy drops.
  const shift = drifted ? 40 : 0;
  const credit_score = Math.round(random.normal(650 + shift, 50));
  const utilization = Math.round(random.next() * 1000) / 1000;
  const logitOf = (score: number) => (score - 650) / 40 - 2 * (utilization - 0.5) + (age - 41) / 30;
  const logit = logitOf(credit_score);
  return {
    age,
    income,
    credit_score,
    utilization,
    country: random.pick(COUNTRIES),
    channel: random.pick(CHANNELS),
    prediction: Math.round(1000 / (1 + Math.exp(-logit))) / 1000,
    truth: 1 / (1 + Math.exp(-2 * logitOf(credit_score - shift))),
  };
}

/** Reference data: the same generator before the drift. */
export function demoReference(rows: number, seed: number): Table {
  const random = new Random(seed);
  const columns = new Map<string, Cell[]>();
  for (let i = 0; i < rows; i++) {
    const { truth: _truth, ...row } = demoRow(random, false);
    for (const [key, value] of Object.entries(row)) {
      let column = columns.get(key);
      if (!column) columns.set(key, (column = []));
      column.push(value);
    }
  }
  return { columns, rowCount: rows };
}
