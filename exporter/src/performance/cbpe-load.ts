// Reads a model's labelled reference for CBPE and fits the calibration (binary: the positive
// class's map; multiclass: one map per class); the rows are dropped once the maps are fitted.
import { asNumber, asText } from '../io/cell.ts';
import { formatOf, readTable, type Cell, type Table, type TableFormat } from '../io/read-table.ts';
import type { ModelConfig } from '../config/schema.ts';
import { fitCalibration, type Calibration } from './cbpe-calibration.ts';
import { fitMulticlassCalibration, type EstimationCalibration } from './cbpe-multiclass-calibration.ts';

/** The calibration of a model with `performance.estimation`; undefined without it. */
export async function loadCalibration(model: ModelConfig): Promise<EstimationCalibration | undefined> {
  const estimation = model.performance.estimation;
  if (!estimation) return undefined;
  const where = `models.${model.name}.performance.estimation`;
  const positive = model.performance.positive_class;
  if (positive === undefined && estimation.scores === undefined) {
    throw new Error(
      `${where}: estimation needs performance.positive_class (binary) or estimation.scores (multiclass: the score column of each class)`,
    );
  }
  if (positive !== undefined && estimation.scores !== undefined) {
    throw new Error(`${where}.scores: for a multiclass model; a binary one (positive_class) names one score column`);
  }
  const { path } = estimation.reference;
  const format = estimation.reference.format === 'auto' ? formatOf(path) : estimation.reference.format;
  if (format === undefined || format === 'profile') {
    throw new Error(`${where}.reference.path: ${path} is not CSV, JSONL or Parquet; set reference.format`);
  }
  const table = await readTable(path, format as TableFormat);
  const labelCells = table.columns.get(estimation.label);
  if (!labelCells) throw new Error(`${where}: ${path} has no label column "${estimation.label}"`);
  try {
    if (positive !== undefined) {
      const scoreColumn =
        estimation.score ?? (model.performance.threshold !== undefined ? model.prediction?.name : undefined);
      if (!scoreColumn) throw new Error(`${where}.score: name the column of the positive class's score`);
      return binaryCalibration(table, scoreColumn, labelCells, positive, where, path);
    }
    return multiclassCalibration(table, estimation.scores!, labelCells, where, path);
  } catch (err) {
    const message = (err as Error).message;
    throw new Error(message.startsWith(where) ? message : `${where}: ${path}: ${message}`);
  }
}

function binaryCalibration(
  table: Table,
  scoreColumn: string,
  labelCells: readonly Cell[],
  positive: string,
  where: string,
  path: string,
): Calibration {
  const scoreCells = table.columns.get(scoreColumn);
  if (!scoreCells) throw new Error(`${where}: ${path} has no score column "${scoreColumn}"`);
  const scores: number[] = [];
  const labels: number[] = [];
  for (let row = 0; row < table.rowCount; row++) {
    const score = asNumber(scoreCells[row]);
    const label = asText(labelCells[row]);
    if (typeof score !== 'number' || !Number.isFinite(score) || label === null) continue;
    scores.push(score);
    labels.push(label === positive ? 1 : 0);
  }
  return fitCalibration(scores, labels);
}

/** Rows with every class's score finite and a label; the rest are skipped. */
function multiclassCalibration(
  table: Table,
  columns: Record<string, string>,
  labelCells: readonly Cell[],
  where: string,
  path: string,
) {
  const classes = Object.keys(columns);
  const cells = classes.map((name) => {
    const found = table.columns.get(columns[name]);
    if (!found) throw new Error(`${where}.scores.${name}: ${path} has no score column "${columns[name]}"`);
    return found;
  });
  const scores: number[][] = classes.map(() => []);
  const labels: string[] = [];
  for (let row = 0; row < table.rowCount; row++) {
    const label = asText(labelCells[row]);
    const values = cells.map((column) => asNumber(column[row]));
    if (label === null || !values.every((v) => typeof v === 'number' && Number.isFinite(v))) continue;
    values.forEach((v, c) => scores[c].push(v as number));
    labels.push(label);
  }
  return fitMulticlassCalibration(classes, scores, labels);
}
