// Process-wide families: build info, readiness, sources, ingest answers and rejections.
import type { Exporter } from '../exporter.ts';
import type { Exposition } from './exposition.ts';
import { BUILD } from '../version.ts';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();

/** p99 of the event-loop delay since the last call, in seconds (0 before any sample). */
function eventLoopLagP99(): number {
  const p99 = loopDelay.count > 0 ? loopDelay.percentile(99) / 1e9 : 0;
  loopDelay.reset();
  return p99;
}

export function collectProcess(out: Exposition, state: Exporter): void {
  out
    .family('mlmon_build_info')
    .sample({ version: BUILD.version, revision: BUILD.revision, nodejs_version: process.version }, 1);
  out.family('mlmon_ready').sample({}, state.ready ? 1 : 0);
  out.family('mlmon_event_loop_lag_seconds').sample({}, eventLoopLagP99());
  out.family('mlmon_config_last_reload_successful').sample({}, state.lastReload.successful ? 1 : 0);
  out.family('mlmon_config_last_reload_success_timestamp_seconds').sample({}, state.lastReload.successMs / 1000);
  const up = out.family('mlmon_source_up');
  const last = out.family('mlmon_source_last_success_timestamp_seconds');
  const duration = out.family('mlmon_source_read_duration_seconds');
  const read = out.family('mlmon_source_records_read_total');
  const errors = out.family('mlmon_source_errors_total');
  for (const [source, health] of state.sources) {
    up.sample({ source }, health.up ? 1 : 0);
    last.sample({ source }, health.lastSuccessMs / 1000);
    duration.sample({ source }, health.lastReadSeconds);
    read.sample({ source }, health.recordsRead);
    for (const [reason, count] of health.errors) errors.sample({ source, reason }, count);
  }
  const rejected = out.family('mlmon_records_rejected_total');
  for (const [reason, count] of state.rejected) rejected.sample({ reason }, count);
  const responses = out.family('mlmon_ingest_requests_total');
  for (const [code, count] of state.ingestResponses) responses.sample({ code }, count);
}
