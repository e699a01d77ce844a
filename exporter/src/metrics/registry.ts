// The collectors that /metrics adds to the exporter's core families (metrics/collect.ts): the
// sources' (each registers its `collect` when built and removes it when stopped), the
// snapshots', the web layer's, and prom-client's runtime families. It belongs to the exporter
// state, not to a config: a reload stops the old sources and builds new ones, which can neither
// lose a process collector nor leave a stopped source's families behind.
import type { Exposition } from './exposition.ts';

export type Collector = (out: Exposition, now: number) => void;

/** Families another library writes in the text format (prom-client's runtime metrics). */
export type TextCollector = () => Promise<string>;

export class MetricsRegistry {
  private readonly collectors = new Set<Collector>();
  private readonly texts = new Set<TextCollector>();

  /** Adds a collector; the returned function removes it. */
  register(collect: Collector): () => void {
    this.collectors.add(collect);
    return () => this.unregister(collect);
  }

  unregister(collect: Collector): void {
    this.collectors.delete(collect);
  }

  /** Adds a collector of families in the text format; the returned function removes it. */
  registerText(collect: TextCollector): () => void {
    this.texts.add(collect);
    return () => void this.texts.delete(collect);
  }

  /** Lets every collector write its families into `out`. */
  collect(out: Exposition, now: number): void {
    for (const collect of this.collectors) collect(out, now);
  }

  /** Lets every text collector write its families into `out`. */
  async collectText(out: Exposition): Promise<void> {
    for (const collect of this.texts) out.raw(await collect());
  }
}
