// A multiclass model's label-free estimation (one-vs-rest): its per-class calibration and windows.
import { windowEstimate, type EstimatedEvaluation, type Estimator, type WindowEstimate } from './cbpe-model.ts';
import type { MulticlassCalibration } from './cbpe-multiclass-calibration.ts';
import { countMulticlass, estimateMulticlass, realisedMulticlass } from './cbpe-multiclass-estimate.ts';
import { CbpeMulticlassWindows } from './cbpe-multiclass-windows.ts';
import type { Evaluation } from './performance-windows.ts';
import type { WindowSpec } from '../window/model-windows.ts';

export class CbpeMulticlassModel implements Estimator {
  readonly windows: CbpeMulticlassWindows;

  constructor(
    readonly calibration: MulticlassCalibration,
    readonly windowSpecs: readonly WindowSpec[],
    readonly slices: number,
    readonly minLabelled: number,
  ) {
    this.windows = new CbpeMulticlassWindows(calibration, windowSpecs, slices);
  }

  observe(evaluation: EstimatedEvaluation, ts: number, now: number): void {
    const prediction = this.windows.prepare(String(evaluation.prediction), evaluation.scores);
    if (!prediction) return;
    const truth = evaluation.label === undefined ? undefined : this.truthOf(evaluation.label);
    this.windows.observe(prediction, ts, now, truth);
  }

  observeLabel(evaluation: Evaluation, predictedAt: number, now: number): void {
    const prediction = this.windows.prepare(String(evaluation.prediction), evaluation.scores);
    if (prediction) this.windows.observeLabel(prediction, predictedAt, now, this.truthOf(evaluation.label));
  }

  report(now: number): WindowEstimate[] {
    const { layout } = this.windows;
    return this.windows.totals(now).map(({ window, cells }) =>
      windowEstimate(
        window,
        this.minLabelled,
        (population) => countMulticlass(cells, layout, population),
        (population) => estimateMulticlass(cells, layout, population),
        () => realisedMulticlass(cells, layout),
      ),
    );
  }

  fresh(): CbpeMulticlassModel {
    return new CbpeMulticlassModel(this.calibration, this.windowSpecs, this.slices, this.minLabelled);
  }

  /** The label's class index; the class count for a label of no known class (counted as wrong). */
  private truthOf(label: number | string): number {
    const index = this.calibration.classes.indexOf(String(label));
    return index < 0 ? this.calibration.classes.length : index;
  }
}
