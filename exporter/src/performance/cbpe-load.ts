// Reads a model's labelled reference for CBPE and fits the calibration; the rows are dropped once
// the map is fitted (only its points are kept).
import { asNumber, asText } from '../io/cell.ts';
import { formatOf, readTable, type TableFormat } from '../io/read-table.ts';
import type { ModelConfig } from '../config/schema.ts';
import { fitCalibration, type Calibration } from './cbpe-calibration.ts';

/** The calibration of a model with `performance.estimation`; undefined without it. */
export async function loadCalibration(model: ModelConfig): Promise<Calibration | undefined> {
  const estimation = model.performance.estimation;
  if (!estimation) return undefined;
  const where = `models.${model.name}.performance.estimation`;
  const positive = model.performance.positive_class;
  if (positive === undefined) throw new Error(`${where}: estimation needs performance.positive_class (binary)`);
  const scoreColumn =
    estimation.score ?? (model.performance.threshold !== undefined ? model.prediction?.name : undefined);
  if (!scoreColumn) throw new Error(`${where}.score: name the column of the positive class's score`);
  const { path } = estimation.reference;
  const format = estimation.reference.format === 'auto' ? formatOf(path) : estimation.reference.format;
  if (format === undefined || format === 'profile') {
    throw new Error(`${where}.reference.path: ${path} is not CSV, JSONL or Parquet; set reference.format`);
  }
  const table = await readTable(path, format as TableFormat);
  const scoreCells = table.columns.get(scoreColumn);
  const labelCells = table.columns.get(estimation.label);
  if (!scoreCells) throw new Error(`${where}: ${path} has no score column "${scoreColumn}"`);
  if (!labelCells) throw new Error(`${where}: ${path} has no label column "${estimation.label}"`);
  const scores: number[] = [];
  const labels: number[] = [];
  for (let row = 0; row < table.rowCount; row++) {
    const score = asNumber(scoreCells[row]);
    const label = asText(labelCells[row]);
    if (typeof score !== 'number' || !Number.isFinite(score) || label === null) continue;
    scores.push(score);
    labels.push(label === positive ? 1 : 0);
  }
  try {
    return fitCalibration(scores, labels);
  } catch (err) {
    throw new Error(`${where}: ${path}: ${(err as Error).message}`);
  }
}
