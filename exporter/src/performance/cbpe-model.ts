// A model's label-free estimation: its calibration and windows, fed by the record and label paths.
import type { Calibration } from './cbpe-calibration.ts';
import { CbpeWindows, type ScoredPrediction } from './cbpe-windows.ts';
import type { Evaluation } from './performance-windows.ts';
import type { WindowSpec } from '../window/model-windows.ts';

export class CbpeModel {
  readonly windows: CbpeWindows;

  constructor(
    readonly calibration: Calibration,
    readonly positiveClass: string,
    windows: readonly WindowSpec[],
    slices: number,
    /** Labelled predictions a window needs before its estimate is checked. */
    readonly minLabelled: number,
  ) {
    this.windows = new CbpeWindows(calibration, windows, slices);
  }

  /** A prediction (and its label, when it came with it) at `ts`. */
  observe(evaluation: Omit<Evaluation, 'label'> & { label?: number | string }, ts: number, now: number): void {
    const scored = this.scored(evaluation);
    if (!scored) return;
    const positive = evaluation.label === undefined ? undefined : String(evaluation.label) === this.positiveClass;
    this.windows.observe(scored, ts, now, positive);
  }

  /** The delayed label of a prediction made at `predictedAt`. */
  observeLabel(evaluation: Evaluation, predictedAt: number, now: number): void {
    const scored = this.scored(evaluation);
    if (scored) this.windows.observeLabel(scored, predictedAt, now, String(evaluation.label) === this.positiveClass);
  }

  private scored(evaluation: {
    prediction: number | string;
    scores?: Record<string, number>;
  }): ScoredPrediction | undefined {
    const score = evaluation.scores?.[this.positiveClass];
    if (typeof score !== 'number' || !Number.isFinite(score)) return undefined;
    return { score, predictedPositive: String(evaluation.prediction) === this.positiveClass };
  }
}
