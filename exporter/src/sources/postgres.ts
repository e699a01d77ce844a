// The `postgres` source. (Placeholder: being written.)
import type { PostgresSourceConfig } from './postgres-config.ts';
import type { Source, SourceContext } from './source.ts';

export class PostgresSource implements Source {
  readonly name: string;

  constructor(
    readonly config: PostgresSourceConfig,
    readonly context: SourceContext,
  ) {
    this.name = config.name;
  }

  start(): void {
    this.context.state.sourceFailed(this.name, 'not_implemented');
  }

  async stop(): Promise<void> {}
}
