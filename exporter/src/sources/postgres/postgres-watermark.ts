// The postgres source's watermark on disk: written to a temporary file and renamed over the old
// one, so a crash leaves either the old or the new watermark, never half of one.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { writeDurableSync } from '../../util/durable-write.ts';
import { join } from 'node:path';
import type { PostgresSourceConfig } from './postgres-config.ts';

const FORMAT = 'mlmon-postgres-watermark/v1';

export interface Watermark {
  /** `sequence`: the last sequence value read; `timestamp`: the last upper time bound read (records or labels). */
  mode: 'sequence' | 'timestamp';
  value: string;
}

/**
 * What the watermark is a position in: the database, the rows and the column it counts. A config
 * that changes any of these starts again from the lookback instead of misreading an old position.
 * Host and port are left out, so that a failover to a copy of the same database keeps its place.
 */
export function watermarkIdentity(config: PostgresSourceConfig): string {
  const { database } = config.connection;
  if (config.kind === 'labels') {
    // Its own key (led by the kind): a source switched between records and labels starts afresh.
    const { timestamp, sequence, model, model_value } = config.columns;
    const key = JSON.stringify([
      'labels',
      database,
      config.table ?? null,
      config.query ?? null,
      timestamp ?? null,
      sequence ?? null,
      model ?? null,
      model_value ?? config.model,
    ]);
    return createHash('sha256').update(key).digest('hex').slice(0, 16);
  }
  const { timestamp, sequence, model, model_value } = config.columns;
  const key = JSON.stringify([
    database,
    config.table ?? null,
    config.query ?? null,
    timestamp,
    sequence ?? null,
    model ?? null,
    model_value ?? config.model,
  ]);
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

export class WatermarkFile {
  readonly path: string;

  constructor(
    private readonly storagePath: string,
    sourceName: string,
    private readonly identity: string,
  ) {
    this.path = join(storagePath, `postgres-${sourceName}.json`);
  }

  /** The saved watermark; undefined when there is none or it belongs to another configuration. */
  load(): Watermark | undefined {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    const saved = JSON.parse(text) as { format?: string; identity?: string; mode?: string; value?: unknown };
    if (saved.format !== FORMAT || saved.identity !== this.identity || typeof saved.value !== 'string')
      return undefined;
    if (saved.mode !== 'sequence' && saved.mode !== 'timestamp') return undefined;
    return { mode: saved.mode, value: saved.value };
  }

  save(watermark: Watermark): void {
    const body = { format: FORMAT, identity: this.identity, ...watermark, saved_at: new Date().toISOString() };
    writeDurableSync(this.path, `${JSON.stringify(body)}\n`);
  }
}
