// The single value of a PromQL expression, once Prometheus has scraped the series it needs.
import { waitFor, type RunningPrometheus } from '../../../testkit/index.ts';

export async function queryOne(prometheus: RunningPrometheus, expr: string): Promise<number> {
  const result = await waitFor(expr, async () => {
    const series = await prometheus.query(expr);
    return series.length === 1 ? series : undefined;
  });
  return Number(result[0].value[1]);
}
