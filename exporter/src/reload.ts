// Config hot reload (SIGHUP, POST /-/reload). A bad config is reported and the running one kept;
// a good one replaces models and sources, keeping the state of models that did not change.
import { loadConfigFile } from './config/load.ts';
import type { Config } from './config/schema.ts';
import { buildModels, buildSources } from './startup.ts';
import type { Source } from './sources/source.ts';
import type { Exporter } from './exporter.ts';

export class Reloader {
  private reloading?: Promise<{ ok: boolean; error?: string }>;

  constructor(
    private readonly configFile: string | undefined,
    private readonly state: Exporter,
    private sources: Source[],
    private readonly storagePath: string,
  ) {}

  /** Reloads once at a time; a reload asked for while one runs gets that one's outcome. */
  reload(): Promise<{ ok: boolean; error?: string }> {
    this.reloading ??= this.run().finally(() => (this.reloading = undefined));
    return this.reloading;
  }

  async stop(): Promise<void> {
    await this.reloading;
    for (const source of this.sources) await source.stop();
  }

  private async run(): Promise<{ ok: boolean; error?: string }> {
    if (!this.configFile) return this.succeeded(); // the embedded default never changes
    let config: Config;
    let models;
    try {
      config = loadConfigFile(this.configFile);
      models = await buildModels(config, this.state.models);
    } catch (err) {
      this.state.lastReload.successful = false;
      return { ok: false, error: (err as Error).message };
    }
    for (const source of this.sources) await source.stop();
    this.state.models.clear();
    for (const [name, entry] of models) this.state.models.set(name, entry);
    this.state.sources.clear();
    this.sources = buildSources(config, this.state, { storagePath: this.storagePath });
    for (const source of this.sources) source.start();
    return this.succeeded();
  }

  private succeeded() {
    this.state.lastReload = { successful: true, successMs: Date.now() };
    return { ok: true };
  }
}
