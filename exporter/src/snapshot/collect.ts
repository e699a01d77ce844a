// The snapshot families of /metrics (METRICS.md, "Source: snapshots").
import type { Exposition } from '../metrics/exposition.ts';
import type { Exporter } from '../exporter.ts';
import type { SnapshotStatus } from './scheduler.ts';

export function snapshotCollector(state: Exporter, status: SnapshotStatus): (out: Exposition) => void {
  return (out) => {
    out.family('mlmon_snapshot_last_success_timestamp_seconds').sample({}, status.lastSuccessMs / 1000);
    out.family('mlmon_snapshot_duration_seconds').sample({}, status.lastDurationSeconds);
    out.family('mlmon_snapshot_size_bytes').sample({}, status.lastSizeBytes);
    const failures = out.family('mlmon_snapshot_failures_total');
    for (const [reason, count] of status.failures) failures.sample({ reason }, count);
    const restoreFailures = out.family('mlmon_snapshot_restore_failures_total');
    for (const [reason, count] of status.restoreFailures) restoreFailures.sample({ reason }, count);
    const restored = out.family('mlmon_snapshot_restored');
    for (const [model, entry] of state.models) restored.sample({ model }, status.restored.has(entry) ? 1 : 0);
  };
}
