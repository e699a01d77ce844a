// The `prometheus` source. (Placeholder: being written.)
import type { PrometheusSourceConfig } from './prometheus-config.ts';
import type { Source, SourceContext } from './source.ts';

export class PrometheusSource implements Source {
  readonly name: string;

  constructor(
    readonly config: PrometheusSourceConfig,
    readonly context: SourceContext,
  ) {
    this.name = config.name;
  }

  start(): void {
    this.context.state.sourceFailed(this.name, 'not_implemented');
  }

  async stop(): Promise<void> {}
}
