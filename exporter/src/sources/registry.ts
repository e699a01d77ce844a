// Builds a configured source: one kind per file, all behind the Source interface.
import type { SourceConfig } from '../config/schema.ts';
import { FileSource } from './file.ts';
import { PostgresSource } from './postgres.ts';
import { ProbeSource } from './probe.ts';
import { PrometheusSource } from './prometheus.ts';
import type { Source, SourceContext } from './source.ts';

export function buildSource(config: SourceConfig, context: SourceContext): Source {
  switch (config.type) {
    case 'file':
      return new FileSource(config, context);
    case 'postgres':
      return new PostgresSource(config, context);
    case 'probe':
      return new ProbeSource(config, context);
    case 'prometheus':
      return new PrometheusSource(config, context);
  }
}
