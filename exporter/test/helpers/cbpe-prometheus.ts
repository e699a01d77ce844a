// What the CBPE integration tests (binary and multiclass) check through Prometheus: the estimates
// and their bands against the reference script's, and the self-check once the labels arrived.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { assertClose, startPrometheus, type RunningPrometheus } from '../../../testkit/index.ts';
import { postRecords, startExporter, type RunningExporter } from './exporter.ts';
import { queryOne } from './prometheus-query.ts';

type Metric = 'accuracy' | 'precision' | 'recall' | 'f1';
type Query = (expr: string) => Promise<number>;
interface Expected {
  estimated: Record<Metric | 'auroc', number>;
  realised: Record<Metric, number>;
}

type Label = { model: string; id: string; label: unknown };

export interface CbpeStack {
  prometheus: RunningPrometheus;
  /** The single value of an instant query. */
  queried: Query;
}

/**
 * Registers the file's before/after hooks: starts the exporter with `config`, pushes each model's
 * records (all accepted), then the labels that arrive, and has a real Prometheus scrape it. The
 * returned stack is filled in by `before`, so use it inside tests only.
 */
export function cbpeStack(config: string, recordsPerModel: readonly object[][], labels: Label[]): CbpeStack {
  let exporter: RunningExporter | undefined;
  const stack = {} as CbpeStack;
  before(async () => {
    exporter = await startExporter(config);
    for (const records of recordsPerModel) {
      const answer = await postRecords(exporter.url, JSON.stringify(records));
      assert.equal(answer.body.accepted, records.length);
    }
    await postLabels(exporter.url, labels);
    stack.prometheus = await startPrometheus({ jobs: [{ name: 'mlmon', targets: [`127.0.0.1:${exporter.port}`] }] });
    stack.queried = (expr) => queryOne(stack.prometheus, expr);
  });
  after(async () => {
    await stack.prometheus?.stop();
    await exporter?.stop();
  });
  return stack;
}

/** POSTs delayed labels to the exporter's label API. */
export async function postLabels(url: string, labels: Label[]) {
  const answer = await fetch(`${url}/api/v1/labels`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(labels),
  });
  assert.equal(answer.status, 200);
}

/** `selector`: e.g. `model="m",window="1h"`. Exact metrics within 1e-9, AUROC within `aurocTolerance`. */
export async function assertEstimates(
  queried: Query,
  selector: string,
  expected: Expected,
  metrics: readonly Metric[],
  aurocTolerance: number,
) {
  for (const metric of metrics) {
    const value = await queried(`mlmon_performance_estimated_${metric}{${selector}}`);
    assertClose(value, expected.estimated[metric], metric, 1e-9);
    const lower = await queried(`mlmon_performance_estimated_${metric}_lower{${selector}}`);
    const upper = await queried(`mlmon_performance_estimated_${metric}_upper{${selector}}`);
    assert.ok(lower < value && value < upper, `${metric}: ${lower} < ${value} < ${upper}`);
  }
  const auroc = await queried(`mlmon_performance_estimated_auroc{${selector}}`);
  assertClose(auroc, expected.estimated.auroc, 'auroc', aurocTolerance);
}

/** The self-check of a window whose labels all arrived: error = estimated − realised, inside-band as the band says. */
export async function assertSelfCheck(
  queried: Query,
  selector: string,
  expected: Expected,
  metrics: readonly Metric[],
) {
  for (const metric of metrics) {
    const error = await queried(`mlmon_performance_estimation_error{${selector},metric="${metric}"}`);
    assertClose(error, expected.estimated[metric] - expected.realised[metric], `${metric} error`, 1e-9, 1e-12);
    const inside = await queried(`mlmon_performance_estimation_within_band{${selector},metric="${metric}"}`);
    const lower = await queried(`mlmon_performance_estimated_${metric}_lower{${selector}}`);
    const upper = await queried(`mlmon_performance_estimated_${metric}_upper{${selector}}`);
    const real = expected.realised[metric];
    assert.equal(inside, real >= lower && real <= upper ? 1 : 0, `${metric}: ${real} in [${lower}, ${upper}]`);
  }
}
