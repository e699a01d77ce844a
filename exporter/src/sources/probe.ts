// The `probe` source. (Placeholder: being written.)
import type { ProbeSourceConfig } from './probe-config.ts';
import type { Source, SourceContext } from './source.ts';

export class ProbeSource implements Source {
  readonly name: string;

  constructor(
    readonly config: ProbeSourceConfig,
    readonly context: SourceContext,
  ) {
    this.name = config.name;
  }

  start(): void {
    this.context.state.sourceFailed(this.name, 'not_implemented');
  }

  async stop(): Promise<void> {}
}
