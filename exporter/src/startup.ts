// Turns a validated config into live state: references loaded, models registered, sources built.
import { modelSchema, type Config, type ModelConfig } from './config/schema.ts';
import { createModelEntry } from './model-entry.ts';
import { buildProfile, DEFAULT_SETTINGS } from './profile/build.ts';
import { loadReference } from './profile/load-reference.ts';
import type { Profile } from './profile/types.ts';
import { DemoSource } from './sources/demo.ts';
import { DEMO_MODEL, demoReference } from './sources/demo-traffic.ts';
import { buildSource } from './sources/registry.ts';
import type { Source } from './sources/source.ts';
import { ExporterState } from './state.ts';

/** Windows of the demo model: short enough that its drift shows within minutes. */
const DEMO_WINDOWS = ['5m', '1h'];

export interface StartOptions {
  /** The writable `--storage.path` folder. */
  storagePath?: string;
}

export async function startState(
  config: Config,
  options: StartOptions = {},
): Promise<{ state: ExporterState; sources: Source[] }> {
  const state = new ExporterState();
  const sources: Source[] = [];
  for (const model of config.models) {
    let profile: Profile;
    try {
      profile = await loadReference(model);
    } catch (err) {
      throw new Error(`model ${model.name}: cannot load its reference: ${(err as Error).message}`);
    }
    register(state, config, model, profile);
  }
  if (config.demo?.enabled) {
    const profile = buildProfile(
      demoReference(20_000, config.demo.seed),
      [
        ...['age', 'income', 'credit_score', 'utilization'].map((name) => ({ name, type: 'numeric' as const })),
        ...['country', 'channel'].map((name) => ({ name, type: 'categorical' as const })),
      ],
      DEFAULT_SETTINGS,
      { name: 'prediction', type: 'numeric' },
    );
    const model = modelSchema.parse({
      name: DEMO_MODEL,
      reference: { path: '(generated)' },
      windows: DEMO_WINDOWS,
      performance: { task: 'classification', positive_class: '1', negative_class: '0', threshold: 0.5 },
    });
    register(state, config, model, profile);
    sources.push(new DemoSource(state, config.demo));
  }
  for (const sourceConfig of config.sources) {
    if (!state.models.has(sourceConfig.model)) {
      throw new Error(`source ${sourceConfig.name}: model "${sourceConfig.model}" is not configured`);
    }
    sources.push(buildSource(sourceConfig, { state, storagePath: options.storagePath ?? 'data' }));
  }
  state.ready = true;
  return { state, sources };
}

function register(state: ExporterState, config: Config, model: ModelConfig, profile: Profile): void {
  if (state.models.has(model.name)) throw new Error(`model ${model.name} is defined twice`);
  state.models.set(model.name, createModelEntry(config, model, profile));
}
