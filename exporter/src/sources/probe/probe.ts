// The `probe` source: calls a model's HTTP prediction endpoint on an interval. Each interval sends
// one health probe (the next configured payload, in turn) — success, latency, HTTP status,
// response-schema violations, with a per-attempt timeout and at most one retry — and, with a
// golden set, the next `rows_per_interval` golden rows; when a pass over the whole golden set
// completes, its accuracy and F1 (classification) or RMSE, MAE and MAPE (regression) are published.
import type { Exposition } from '../../metrics/exposition.ts';
import { parseDuration } from '../../util/duration.ts';
import type { ProbeSourceConfig } from './probe-config.ts';
import { readGolden, readPayloads } from './probe-data.ts';
import { GoldenPass, type GoldenPassResult } from './probe-golden.ts';
import { probe, type Attempt, type AttemptResult, type ProbeOutcome } from './probe-http.ts';
import { PollingLifecycle } from '../polling-lifecycle.ts';
import type { Source, SourceContext } from '../source.ts';

export class ProbeSource implements Source {
  readonly name: string;
  private readonly intervalMs: number;
  private readonly timeoutMs: number;
  private readonly lifecycle: PollingLifecycle;
  private payloads?: unknown[];
  private nextPayload = 0;
  private golden?: GoldenPass;
  private goldenCursor = 0;

  // What the collector reads.
  /** The last health probe's final attempt; undefined before the first. */
  last?: Attempt;
  readonly requests = new Map<AttemptResult, number>();
  readonly violations = new Map<string, number>();
  /** The last complete golden pass. */
  lastPass?: GoldenPassResult;
  passes = 0;

  /** This source's samples of the kind's families (METRICS.md, "Source: probe"). */
  collect(out: Exposition): void {
    collectProbes(out, [this]);
  }

  constructor(
    readonly config: ProbeSourceConfig,
    readonly context: SourceContext,
  ) {
    this.name = config.name;
    this.intervalMs = parseDuration(config.interval)!;
    this.timeoutMs = parseDuration(config.timeout)!;
    this.payloads = config.payloads;
    this.lifecycle = new PollingLifecycle(this.name, context, {
      intervalMs: this.intervalMs,
      read: () => this.tick(),
      collect: (out) => this.collect(out),
      agent: { keepAliveTimeout: 4_000, connections: (config.golden?.concurrency ?? 1) + 1 },
    });
  }

  start(): void {
    this.lifecycle.start();
  }

  stop(): Promise<void> {
    return this.lifecycle.stop();
  }

  /** One interval: the health probe, then the next slice of the golden set. */
  async tick(): Promise<void> {
    const started = performance.now();
    const duration = () => ({ durationMs: performance.now() - started });
    if (!(await this.load())) return;
    const payloads = this.payloads!;
    const outcome = await this.send(payloads[this.nextPayload++ % payloads.length]);
    if (this.lifecycle.stopped) return;
    this.last = outcome.final;
    // Health is reported as soon as the health probe is done; golden rows only add to the records.
    if (outcome.final.result === 'success') {
      this.context.sink.sourceSucceeded(this.name, { ...duration(), records: 1 });
    } else {
      this.context.sink.sourceFailed(this.name, outcome.final.result, duration());
    }
    if (!this.golden) return;
    const answered = await this.goldenSlice();
    const health = this.context.sink.source(this.name);
    health.recordsRead += answered;
    health.lastReadSeconds = duration().durationMs / 1000;
  }

  /** Reads the payload and golden files once; false (and a counted failure) while they cannot be read. */
  private async load(): Promise<boolean> {
    try {
      this.payloads ??= await readPayloads(this.config.payloads_file!);
    } catch {
      this.context.sink.sourceFailed(this.name, 'payload_read_error');
      return false;
    }
    if (this.config.golden && !this.golden) {
      try {
        const set = await readGolden(this.config.golden);
        this.golden = new GoldenPass(set.rows, this.config.golden.task, this.config.golden.positive_class);
      } catch {
        this.context.sink.sourceFailed(this.name, 'golden_read_error');
        return false;
      }
    }
    return true;
  }

  private async send(body: unknown): Promise<ProbeOutcome> {
    const outcome = await probe(body, {
      config: this.config,
      dispatcher: this.lifecycle.agent,
      timeoutMs: this.timeoutMs,
      stopping: this.lifecycle.signal,
    });
    if (!this.lifecycle.stopped) {
      for (const attempt of outcome.attempts) {
        this.requests.set(attempt.result, (this.requests.get(attempt.result) ?? 0) + 1);
        if (attempt.violation)
          this.violations.set(attempt.violation, (this.violations.get(attempt.violation) ?? 0) + 1);
      }
    }
    return outcome;
  }

  /** Sends the next golden rows (`concurrency` at a time); returns how many were answered. */
  private async goldenSlice(): Promise<number> {
    const pass = this.golden!;
    const { rows_per_interval: perInterval, concurrency } = this.config.golden!;
    const end = Math.min(this.goldenCursor + perInterval, pass.size);
    let next = this.goldenCursor;
    let answered = 0;
    const worker = async () => {
      while (next < end && !this.lifecycle.stopped) {
        const index = next++;
        const outcome = await this.send(pass.row(index).body);
        if (outcome.final.result === 'success') {
          pass.answer(index, outcome.final.prediction);
          answered++;
        } else pass.fail(index);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, end - next) }, worker));
    if (this.lifecycle.stopped) return answered;
    this.goldenCursor = end;
    if (end === pass.size) {
      this.lastPass = pass.finish();
      this.passes++;
      this.goldenCursor = 0;
    }
    return answered;
  }
}

/** The kind's families for these sources (one, or all: the families are shared). */
function collectProbes(out: Exposition, sources: Iterable<ProbeSource>): void {
  const success = out.family('mlmon_probe_success');
  const duration = out.family('mlmon_probe_duration_seconds');
  const status = out.family('mlmon_probe_http_status_code');
  const requests = out.family('mlmon_probe_requests_total');
  const violations = out.family('mlmon_probe_schema_violations_total');
  const golden = {
    accuracy: out.family('mlmon_probe_golden_accuracy'),
    f1: out.family('mlmon_probe_golden_f1'),
    rmse: out.family('mlmon_probe_golden_rmse'),
    mae: out.family('mlmon_probe_golden_mae'),
    mape: out.family('mlmon_probe_golden_mape_ratio'),
    samples: out.family('mlmon_probe_golden_samples'),
    errors: out.family('mlmon_probe_golden_errors'),
    passes: out.family('mlmon_probe_golden_passes_total'),
    finished: out.family('mlmon_probe_golden_last_pass_timestamp_seconds'),
  };
  for (const source of sources) {
    const labels = { source: source.name };
    if (source.last) {
      success.sample(labels, source.last.result === 'success' ? 1 : 0);
      duration.sample(labels, source.last.seconds);
      status.sample(labels, source.last.status);
    }
    for (const [result, count] of source.requests) requests.sample({ ...labels, result }, count);
    for (const [reason, count] of source.violations) violations.sample({ ...labels, reason }, count);
    if (!source.config.golden) continue;
    const withModel = { source: source.name, model: source.config.model };
    golden.passes.sample(withModel, source.passes);
    const pass = source.lastPass;
    if (!pass) continue;
    golden.samples.sample(withModel, pass.samples);
    golden.errors.sample(withModel, pass.errors);
    golden.finished.sample(withModel, pass.finishedMs / 1000);
    if (pass.samples === 0) continue;
    golden.accuracy.sample(withModel, pass.accuracy);
    golden.f1.sample(withModel, pass.f1);
    golden.rmse.sample(withModel, pass.rmse);
    golden.mae.sample(withModel, pass.mae);
    golden.mape.sample(withModel, pass.mape);
  }
}
