// The `prometheus` source: on its interval, queries a Prometheus for a histogram that model
// servers already expose (`sum by (le) (increase(<metric>_bucket{selector}[window]))`) and compares
// it with a reference histogram — fixed cumulative bucket counts, or the same query at an offset —
// with the statistics PromQL alone cannot give: KS statistic and p-value, PSI, Jensen-Shannon
// distance, chi-squared p-value. Bucket semantics (upper-inclusive `le`): prometheus-histogram.ts.
import type { Exposition } from '../../metrics/exposition.ts';
import { formatDuration, parseDuration } from '../../util/duration.ts';
import type { PrometheusSourceConfig } from './prometheus-config.ts';
import {
  alignHistograms,
  cumulativeFromBuckets,
  cumulativeFromVector,
  HistogramError,
  histogramStatistics,
  type Cumulative,
  type HistogramStatistics,
  type VectorSample,
} from './prometheus-histogram.ts';
import { PollingLifecycle } from '../polling-lifecycle.ts';
import { undici } from '../../util/commonjs.ts';
import type { Source, SourceContext } from '../source.ts';

interface WindowPlan {
  /** The `window` label. */
  label: string;
  currentQuery: string;
  /** undefined with a fixed reference. */
  referenceQuery?: string;
}

export class PrometheusSource implements Source {
  readonly name: string;
  private readonly intervalMs: number;
  private readonly timeoutMs: number;
  private readonly windows: WindowPlan[];
  private readonly fixedReference?: Cumulative;
  private readonly lifecycle: PollingLifecycle;
  /** The last successful read, per window label; empty after a failed read. */
  readonly results = new Map<string, WindowResult>();

  /** This source's samples of the kind's families (METRICS.md, "Source: prometheus"). */
  collect(out: Exposition): void {
    collectHistograms(out, [this]);
  }

  constructor(
    readonly config: PrometheusSourceConfig,
    readonly context: SourceContext,
  ) {
    this.name = config.name;
    this.intervalMs = parseDuration(config.interval)!;
    this.timeoutMs = parseDuration(config.timeout)!;
    const matchers = `{${config.selector}}`;
    const { reference } = config;
    if (reference.buckets) this.fixedReference = cumulativeFromBuckets(reference.buckets);
    this.windows = config.windows.map((window) => {
      const label = formatDuration(parseDuration(window)!);
      const plan: WindowPlan = { label, currentQuery: histogramQuery(config.metric, matchers, label) };
      if (reference.offset) {
        const range = formatDuration(parseDuration(reference.window ?? window)!);
        const offset = formatDuration(parseDuration(reference.offset)!);
        plan.referenceQuery = histogramQuery(config.metric, matchers, range, offset);
      }
      return plan;
    });
    this.lifecycle = new PollingLifecycle(this.name, context, {
      intervalMs: this.intervalMs,
      read: () => this.read(),
      collect: (out) => this.collect(out),
      agent: { keepAliveTimeout: 10_000, connections: 2 },
    });
  }

  start(): void {
    this.lifecycle.start();
  }

  stop(): Promise<void> {
    return this.lifecycle.stop();
  }

  /** One read of every window. Any failure marks the source down and drops the stale results. */
  async read(): Promise<void> {
    const started = performance.now();
    const time = Date.now() / 1000;
    const fresh = new Map<string, WindowResult>();
    let seriesRead = 0;
    try {
      for (const plan of this.windows) {
        const current = await this.query(plan.currentQuery, time);
        seriesRead += current.length;
        let reference = this.fixedReference;
        if (plan.referenceQuery) {
          const samples = await this.query(plan.referenceQuery, time);
          seriesRead += samples.length;
          reference = cumulativeFromVector(samples);
        }
        fresh.set(plan.label, compare(reference!, cumulativeFromVector(current)));
      }
    } catch (err) {
      if (this.lifecycle.stopped) return;
      this.results.clear();
      const reason = err instanceof HistogramError ? err.reason : 'unknown';
      this.context.sink.sourceFailed(this.name, reason, { durationMs: performance.now() - started });
      return;
    }
    this.results.clear();
    for (const [label, stats] of fresh) this.results.set(label, stats);
    this.context.sink.sourceSucceeded(this.name, { durationMs: performance.now() - started, records: seriesRead });
  }

  /** GET /api/v1/query; every failure becomes a HistogramError with the reason to count. */
  private async query(expr: string, time: number): Promise<VectorSample[]> {
    const url = new URL('api/v1/query', this.config.url.endsWith('/') ? this.config.url : `${this.config.url}/`);
    url.searchParams.set('query', expr);
    url.searchParams.set('time', time.toFixed(3));
    const timeout = AbortSignal.timeout(this.timeoutMs);
    let statusCode: number;
    let text: string;
    try {
      const response = await undici().request(url, {
        method: 'GET',
        headers: { accept: 'application/json', ...this.config.headers },
        dispatcher: this.lifecycle.agent,
        signal: AbortSignal.any([this.lifecycle.signal, timeout]),
        // undici's own timers are coarse (they may fire early); the abort signal above is the timeout.
        headersTimeout: this.timeoutMs + 5_000,
        bodyTimeout: this.timeoutMs + 5_000,
      });
      statusCode = response.statusCode;
      text = await response.body.text();
    } catch (err) {
      if (timeout.aborted) throw new HistogramError('timeout', `query timed out after ${this.timeoutMs} ms`);
      throw new HistogramError('connection_error', (err as Error).message);
    }
    let body: { status?: string; errorType?: string; error?: string; data?: { resultType?: string; result?: unknown } };
    try {
      body = JSON.parse(text);
    } catch {
      throw new HistogramError(statusCode >= 400 ? 'http_error' : 'invalid_response', `HTTP ${statusCode}, not JSON`);
    }
    if (body.status !== 'success') {
      throw new HistogramError(
        statusCode >= 500 && !body.errorType ? 'http_error' : 'query_error',
        body.error ?? `HTTP ${statusCode}`,
      );
    }
    if (body.data?.resultType !== 'vector' || !Array.isArray(body.data.result)) {
      throw new HistogramError('invalid_response', `expected a vector, got ${body.data?.resultType}`);
    }
    return body.data.result as VectorSample[];
  }
}

/** `sum by (le) (increase(<metric>_bucket{…}[range] offset …))`. */
export function histogramQuery(metric: string, matchers: string, range: string, offset?: string): string {
  return `sum by (le) (increase(${metric}_bucket${matchers}[${range}]${offset ? ` offset ${offset}` : ''}))`;
}

export interface WindowResult {
  samples: number;
  referenceSamples: number;
  /** undefined when either side has no series (nothing observed, or not scraped yet). */
  stats?: HistogramStatistics;
}

/** An empty vector (no series at all) is no data, not an error; a histogram without +Inf is. */
function compare(reference: Cumulative, current: Cumulative): WindowResult {
  if (reference.size === 0 || current.size === 0) {
    return { samples: total(current), referenceSamples: total(reference) };
  }
  const stats = histogramStatistics(alignHistograms(reference, current));
  return { samples: stats.samples, referenceSamples: stats.referenceSamples, stats };
}

function total(cumulative: Cumulative): number {
  if (cumulative.size === 0) return 0;
  if (!cumulative.has(Infinity)) throw new HistogramError('no_inf_bucket', 'a histogram has no le="+Inf" bucket');
  return cumulative.get(Infinity)!;
}

/** The kind's families for these sources (one, or all: the families are shared). */
function collectHistograms(out: Exposition, sources: Iterable<PrometheusSource>): void {
  const ks = out.family('mlmon_buckets_ks_statistic');
  const ksBound = out.family('mlmon_buckets_ks_statistic_error_bound');
  const ksP = out.family('mlmon_buckets_ks_pvalue');
  const psiFamily = out.family('mlmon_buckets_psi');
  const js = out.family('mlmon_buckets_jensen_shannon_distance');
  const chi2 = out.family('mlmon_buckets_chi2_pvalue');
  const samples = out.family('mlmon_buckets_samples');
  const refSamples = out.family('mlmon_buckets_reference_samples');
  const buckets = out.family('mlmon_buckets_compared');
  for (const source of sources) {
    for (const [window, result] of source.results) {
      const labels = { source: source.name, model: source.config.model, window };
      samples.sample(labels, result.samples);
      refSamples.sample(labels, result.referenceSamples);
      const stats = result.stats;
      if (!stats) continue;
      buckets.sample(labels, stats.bins);
      if (stats.samples < source.config.min_samples || stats.referenceSamples === 0) continue;
      ks.sample(labels, stats.ksStatistic);
      ksBound.sample(labels, stats.ksErrorBound);
      ksP.sample(labels, stats.ksPValue);
      psiFamily.sample(labels, stats.psi);
      js.sample(labels, stats.jensenShannon);
      chi2.sample(labels, stats.chi2PValue);
    }
  }
}
