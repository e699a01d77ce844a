// The /metrics page: the exporter's core families (process health, the models' drift and
// performance), then those of the registry's collectors.
import type { Exporter } from '../exporter.ts';
import { collectModels } from './collect-models.ts';
import { collectEstimation } from './collect-estimation.ts';
import { collectPerformance } from './collect-performance.ts';
import { collectProcess } from './collect-process.ts';
import { Exposition, type Page } from './exposition.ts';

function collectAll(state: Exporter, now: number): Exposition {
  const out = new Exposition();
  collectProcess(out, state);
  collectModels(out, state.models, now);
  collectPerformance(out, state.models, now);
  collectEstimation(out, state.models, now);
  state.metrics.collect(out, now);
  return out;
}

/** The catalog's families at `now` (everything but the runtime families of prom-client). */
export function renderMetrics(state: Exporter, now = Date.now()): string {
  return collectAll(state, now).toString();
}

/**
 * The whole page, with the text collectors' families (prom-client's runtime metrics), as the
 * buffers to send: the models' kept text is neither joined nor encoded again per scrape.
 */
export async function renderPage(state: Exporter, now = Date.now()): Promise<Page> {
  const out = collectAll(state, now);
  await state.metrics.collectText(out);
  return out.toChunks();
}
