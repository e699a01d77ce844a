// The demo model's labelled reference for CBPE: the demo generator before its drift, each row
// labelled by a draw from its true probability, so the demo shows estimated beside realised
// performance. After the drift the reported credit scores run high while the outcomes do not
// follow: the calibration no longer holds, and the self-check shows it.
import { demoRow } from '../sources/demo-traffic.ts';
import { Random } from '../util/random.ts';
import { fitCalibration, type Calibration } from './cbpe-calibration.ts';

export function demoCalibration(rows: number, seed: number): Calibration {
  const random = new Random(seed + 1);
  const scores: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < rows; i++) {
    const row = demoRow(random, false);
    scores.push(row.prediction);
    labels.push(random.next() < row.truth ? 1 : 0);
  }
  return fitCalibration(scores, labels);
}
