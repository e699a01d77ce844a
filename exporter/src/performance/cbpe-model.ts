// A model's label-free estimation: its calibration and windows, fed by the record and label paths.
// Binary here; multiclass in cbpe-multiclass-model.ts; both report the same per-window figures.
import type { Calibration } from './cbpe-calibration.ts';
import { countOf, estimate, realised, type EstimatedMetric, type Estimates } from './cbpe-estimate.ts';
import type { EstimationCalibration } from './cbpe-multiclass-calibration.ts';
import { CbpeWindows, type ScoredPrediction } from './cbpe-windows.ts';
import type { Evaluation } from './performance-windows.ts';
import type { WindowSpec } from '../window/model-windows.ts';
import type { SliceRing } from '../window/ring.ts';

/** A prediction as the estimation sees it; `label` when it came with the record. */
export type EstimatedEvaluation = Omit<Evaluation, 'label'> & { label?: number | string };

/** What the exporter shows of one window of an estimation. */
export interface WindowEstimate {
  window: WindowSpec;
  /** Predictions with usable scores in the window. */
  samples: number;
  estimates: Estimates;
  /** Of them, those whose label arrived. */
  labelled: number;
  /** With at least min_labelled labels: the estimate over the labelled ones and their realised metrics. */
  check?: { estimates: Estimates; realised: Partial<Record<EstimatedMetric, number>> };
}

type Population = 'all' | 'labelled';

/** One window's figures, from the functions of its sums of one kind of estimation. */
export function windowEstimate(
  window: WindowSpec,
  minLabelled: number,
  count: (population: Population) => number,
  estimateOf: (population: Population) => Estimates,
  realisedOf: () => Partial<Record<EstimatedMetric, number>>,
): WindowEstimate {
  const labelled = count('labelled');
  const check = labelled < minLabelled ? undefined : { estimates: estimateOf('labelled'), realised: realisedOf() };
  return { window, samples: count('all'), estimates: estimateOf('all'), labelled, check };
}

export interface Estimator {
  readonly calibration: EstimationCalibration;
  /** The window sums, ring by ring (snapshots save and restore them). */
  readonly windows: { readonly snapshotRings: readonly SliceRing[] };
  /** Labelled predictions a window needs before its estimate is checked. */
  readonly minLabelled: number;
  observe(evaluation: EstimatedEvaluation, ts: number, now: number): void;
  observeLabel(evaluation: Evaluation, predictedAt: number, now: number): void;
  report(now: number): WindowEstimate[];
  /** An empty estimation with the same calibration and windows (a segment's). */
  fresh(): Estimator;
}

export class CbpeModel implements Estimator {
  readonly windows: CbpeWindows;

  constructor(
    readonly calibration: Calibration,
    readonly positiveClass: string,
    readonly windowSpecs: readonly WindowSpec[],
    readonly slices: number,
    readonly minLabelled: number,
  ) {
    this.windows = new CbpeWindows(calibration, windowSpecs, slices);
  }

  /** A prediction (and its label, when it came with it) at `ts`. */
  observe(evaluation: EstimatedEvaluation, ts: number, now: number): void {
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

  report(now: number): WindowEstimate[] {
    const { intervals } = this.windows;
    return this.windows.totals(now).map(({ window, cells }) =>
      windowEstimate(
        window,
        this.minLabelled,
        (population) => countOf(cells, intervals, population),
        (population) => estimate(cells, this.calibration, population),
        () => realised(cells, intervals),
      ),
    );
  }

  fresh(): CbpeModel {
    return new CbpeModel(this.calibration, this.positiveClass, this.windowSpecs, this.slices, this.minLabelled);
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
