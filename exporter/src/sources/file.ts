// The `file` source. (Being written.)
import type { FileSourceConfig } from './file-config.ts';
import type { Source, SourceContext } from './source.ts';

export class FileSource implements Source {
  readonly name: string;

  constructor(
    readonly config: FileSourceConfig,
    readonly context: SourceContext,
  ) {
    this.name = config.name;
  }

  start(): void {
    this.context.state.sourceFailed(this.name, 'not_implemented');
  }

  async stop(): Promise<void> {}
}
