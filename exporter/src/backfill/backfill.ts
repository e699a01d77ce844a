// Replays timestamped records through the exporter's own models: each record goes through
// `ModelEntry.record` with the replay's clock as `now`, and at every step the model families are
// collected exactly as /metrics collects them at that instant (collectModels, collectPerformance).
// The clock is the latest timestamp fed so far, so a record older than it is treated as the live
// exporter treats a late arrival.
import type { Config } from '../config/schema.ts';
import { Exporter } from '../exporter.ts';
import { collectModels } from '../metrics/collect-models.ts';
import { collectEstimation } from '../metrics/collect-estimation.ts';
import { collectPerformance } from '../metrics/collect-performance.ts';
import { Exposition } from '../metrics/exposition.ts';
import { buildModels } from '../startup.ts';
import { mergedRecords } from './record-files.ts';
import { OpenMetricsSpool } from './openmetrics-spool.ts';
import { misfit } from './aggregate-lines.ts';

export interface BackfillOptions {
  inputs: readonly string[];
  stepMs: number;
  output: string;
  /** Called for each line that is not a usable record (the replay goes on without it). */
  onRejected?: (where: string, field: string, reason: string) => void;
}

export interface BackfillSummary {
  records: number;
  rejected: number;
  unknownModel: number;
  steps: number;
  samples: number;
  firstMs?: number;
  lastMs?: number;
}

/** The model families of the exporter's state at `now`, in the text format of /metrics. */
export function modelFamiliesAt(state: Exporter, now: number): string {
  const out = new Exposition();
  collectModels(out, state.models, now);
  collectPerformance(out, state.models, now);
  collectEstimation(out, state.models, now);
  return out.toString();
}

export async function backfill(config: Config, options: BackfillOptions): Promise<BackfillSummary> {
  const state = new Exporter();
  // Calibration simulations run in line: a replay has no scrape to keep fast, and every step
  // shows the thresholds a live exporter shows once its simulations are done.
  for (const [name, entry] of await buildModels(config, undefined, null)) state.models.set(name, entry);
  const spool = new OpenMetricsSpool(options.output);
  const summary: BackfillSummary = { records: 0, rejected: 0, unknownModel: 0, steps: 0, samples: 0 };
  const step = options.stepMs;
  let clock = -Infinity;
  let nextStep = NaN;
  const emitThrough = (untilMs: number) => {
    // A step shows every record stamped at or before it, as a scrape at that instant would.
    while (nextStep <= untilMs) {
      spool.add(modelFamiliesAt(state, nextStep), nextStep);
      summary.steps++;
      nextStep += step;
    }
  };
  try {
    for await (const item of mergedRecords(options.inputs, config.ingest.max_features_per_record)) {
      if ('rejection' in item) {
        summary.rejected++;
        options.onRejected?.(item.rejection.where, item.rejection.field, item.rejection.reason);
        continue;
      }
      const { record } = item;
      const entry = state.models.get(record.model);
      if (!entry) {
        summary.unknownModel++;
        options.onRejected?.(item.where, 'model', 'unknown_model');
        continue;
      }
      if (Number.isNaN(nextStep)) {
        nextStep = Math.ceil(record.timestampMs / step) * step;
        summary.firstMs = record.timestampMs;
      }
      emitThrough(record.timestampMs - 1);
      clock = Math.max(clock, record.timestampMs);
      if (item.aggregate) {
        const field = misfit(item.aggregate, entry.windows.slots());
        if (field) {
          summary.rejected++;
          options.onRejected?.(item.where, field, 'not_the_models_bins');
          continue;
        }
        entry.windows.addAggregate(record.timestampMs, clock, item.aggregate.records, item.aggregate.aggregates);
        summary.records += item.aggregate.records;
        continue;
      }
      entry.record(record, clock);
      summary.records++;
    }
    if (summary.records > 0) {
      summary.lastMs = clock;
      emitThrough(Math.ceil(clock / step) * step);
    }
    summary.samples = spool.samples;
    await spool.finish();
  } catch (err) {
    spool.discard();
    throw err;
  }
  return summary;
}
