// Writes examples/data/credit-reference.csv: the demo model's reference (training-like) data,
// 5,000 no-drift applicants with the model's prediction. Deterministic (seed 7).
//   node examples/data/make-reference.mjs
import { writeFileSync } from 'node:fs';
import { applicant, modelScore, random } from '../traffic-generator/credit.mjs';

const rng = random(7);
const columns = ['age', 'income', 'credit_score', 'utilization', 'country', 'channel', 'prediction'];
const lines = [columns.join(',')];
for (let i = 0; i < 5000; i++) {
  const { features } = applicant(rng);
  lines.push(columns.map((c) => (c === 'prediction' ? modelScore(features) : features[c])).join(','));
}
writeFileSync(new URL('credit-reference.csv', import.meta.url), lines.join('\n') + '\n');
