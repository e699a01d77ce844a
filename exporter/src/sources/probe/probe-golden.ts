// Live performance of the served model on the golden set: one pass sends every golden row once
// (spread over several intervals); when a pass completes, its metrics replace the previous pass's.
import {
  accuracyFromConfusion,
  absPercentError,
  precisionRecallF1,
  regressionMetrics,
  type Average,
} from '../../stats/index.ts';
import { classKey, type GoldenRow } from './probe-data.ts';

/** Distinct predicted classes beyond the golden labels kept apart; the rest share `__other__`. */
export const MAX_EXTRA_CLASSES = 100;
const OTHER = '__other__';

export interface GoldenPassResult {
  /** Rows with a usable answer. */
  samples: number;
  /** Rows without one: a failed request, a schema violation, a prediction of the wrong type. */
  errors: number;
  accuracy: number;
  f1: number;
  rmse: number;
  mae: number;
  mape: number;
  finishedMs: number;
}

export class GoldenPass {
  /** Per row: its prediction in the current pass (undefined: not answered yet or failed). */
  private predictions: (string | number | undefined)[];

  constructor(
    private readonly rows: GoldenRow[],
    private readonly task: 'classification' | 'regression',
    private readonly positiveClass?: string | number,
  ) {
    this.predictions = new Array(rows.length);
  }

  get size(): number {
    return this.rows.length;
  }

  row(index: number): GoldenRow {
    return this.rows[index];
  }

  /** Records row `index`'s answer; a prediction unusable for the task counts as an error. */
  answer(index: number, prediction: unknown): void {
    if (this.task === 'regression') {
      this.predictions[index] = typeof prediction === 'number' && Number.isFinite(prediction) ? prediction : undefined;
    } else {
      this.predictions[index] = classKey(prediction);
    }
  }

  fail(index: number): void {
    this.predictions[index] = undefined;
  }

  /** The metrics of the pass just completed; the next pass starts empty. */
  finish(now = Date.now()): GoldenPassResult {
    const result = this.task === 'regression' ? this.regression() : this.classification();
    this.predictions = new Array(this.rows.length);
    return { ...result, finishedMs: now };
  }

  private classification(): Omit<GoldenPassResult, 'finishedMs'> {
    const classes = new Map<string, number>();
    for (const row of this.rows) if (!classes.has(row.label as string)) classes.set(row.label as string, classes.size);
    const labelled = classes.size;
    const pairs: [number, number][] = [];
    let errors = 0;
    this.rows.forEach((row, i) => {
      const predicted = this.predictions[i] as string | undefined;
      if (predicted === undefined) {
        errors++;
        return;
      }
      let p = classes.get(predicted);
      if (p === undefined) {
        const key = classes.size - labelled < MAX_EXTRA_CLASSES ? predicted : OTHER;
        p = classes.get(key) ?? classes.size;
        classes.set(key, p);
      }
      pairs.push([classes.get(row.label as string)!, p]);
    });
    const k = classes.size;
    const confusion = new Float64Array(k * k);
    for (const [t, p] of pairs) confusion[t * k + p]++;
    const positive = this.positiveClass === undefined ? undefined : classes.get(classKey(this.positiveClass)!);
    const average: Average | undefined =
      this.positiveClass === undefined
        ? { kind: 'macro' }
        : positive === undefined
          ? undefined
          : { kind: 'binary', positive };
    return {
      samples: pairs.length,
      errors,
      accuracy: accuracyFromConfusion(confusion, k),
      f1: average ? precisionRecallF1(confusion, k, average).f1 : NaN,
      rmse: NaN,
      mae: NaN,
      mape: NaN,
    };
  }

  private regression(): Omit<GoldenPassResult, 'finishedMs'> {
    const sums = { n: 0, absError: 0, squaredError: 0, absPercentError: 0 };
    let errors = 0;
    this.rows.forEach((row, i) => {
      const predicted = this.predictions[i] as number | undefined;
      if (predicted === undefined) {
        errors++;
        return;
      }
      const y = row.label as number;
      const e = y - predicted;
      sums.n++;
      sums.absError += Math.abs(e);
      sums.squaredError += e * e;
      sums.absPercentError += absPercentError(y, predicted);
    });
    const metrics = regressionMetrics(sums);
    return { samples: sums.n, errors, accuracy: NaN, f1: NaN, ...metrics };
  }
}
