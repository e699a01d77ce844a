// The process and Node.js runtime families (process_cpu_seconds_total,
// process_resident_memory_bytes, process_start_time_seconds, process_open_fds, nodejs_*), from
// prom-client's default metrics: the names every Prometheus user and Node.js dashboard expects.
// One registry per process, made on first use: they describe the process, not a config.
import type { Registry } from 'prom-client';
import { promClient } from '../util/commonjs.ts';

/**
 * Gauges that prom-client names with a `_total` suffix, which `promtool check metrics` refuses
 * for anything but a counter. They are the sums of `nodejs_active_handles` (and of requests and
 * resources) over their `type` label, so leaving them out loses nothing.
 */
const LEFT_OUT = new Set([
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
]);

let registry: Registry | undefined;

/** The runtime families in the text exposition format. */
export async function runtimeMetrics(): Promise<string> {
  if (!registry) {
    const { Registry, collectDefaultMetrics } = promClient();
    registry = new Registry();
    collectDefaultMetrics({ register: registry });
    for (const name of LEFT_OUT) registry.removeSingleMetric(name);
  }
  return registry.metrics();
}
