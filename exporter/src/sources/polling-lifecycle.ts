// The lifecycle of a source that polls an HTTP service on its interval (probe, prometheus): its
// reads on an IntervalRunner, its families in the metrics registry, an undici agent of its own
// for the connections, and a signal that aborts the request in flight when the source stops.
import type { Agent } from 'undici';
import type { Exposition } from '../metrics/exposition.ts';
import { IntervalRunner } from './interval-runner.ts';
import type { SourceContext } from './source.ts';
import { undici } from '../util/commonjs.ts';

export interface PollingOptions {
  intervalMs: number;
  /** One read; it reports its own failures to the sink. */
  read: () => Promise<void>;
  /** The source's samples of its kind's families. */
  collect: (out: Exposition) => void;
  agent: Agent.Options;
}

export class PollingLifecycle {
  readonly agent: Agent;
  private readonly stopping = new AbortController();
  private readonly runner: IntervalRunner;
  private readonly unregister: () => void;

  constructor(
    private readonly name: string,
    private readonly context: SourceContext,
    options: PollingOptions,
  ) {
    this.agent = new (undici().Agent)(options.agent);
    // A failure the read did not report itself still marks the source down.
    this.runner = new IntervalRunner(options.intervalMs, options.read, () =>
      context.sink.sourceFailed(name, 'internal_error'),
    );
    this.unregister = context.sink.metrics.register(options.collect);
  }

  get stopped(): boolean {
    return this.runner.stopped;
  }

  /** Aborted when the source stops: requests in flight give up at once. */
  get signal(): AbortSignal {
    return this.stopping.signal;
  }

  start(): void {
    if (this.runner.stopped) return;
    this.context.sink.source(this.name); // appears in mlmon_source_up (0) before the first read
    this.runner.start();
  }

  /** Aborts the request in flight, waits for the read, removes the families and closes the connections. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.runner.stop();
    this.unregister();
    await this.agent.close().catch(() => undefined);
  }
}
