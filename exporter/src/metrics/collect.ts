import type { ExporterState } from '../state.ts';
import { collectModels } from './collect-models.ts';
import { collectPerformance } from './collect-performance.ts';
import { collectProcess } from './collect-process.ts';
import { Exposition } from './exposition.ts';

/** The whole /metrics page, built from the state at scrape time. */
export function renderMetrics(state: ExporterState, now = Date.now()): string {
  const out = new Exposition();
  collectProcess(out, state);
  collectModels(out, state.models, now);
  collectPerformance(out, state.models, now);
  for (const collect of state.collectors) collect(out, now);
  return out.toString();
}
