// Turns a validated config into live state: references loaded, models registered, sources built.
import type { Config, ModelConfig } from './config/schema.ts';
import { buildProfile, DEFAULT_SETTINGS } from './profile/build.ts';
import { loadReference } from './profile/load-reference.ts';
import type { Profile } from './profile/types.ts';
import { driftOptions } from './report/drift-options.ts';
import { DemoSource } from './sources/demo.ts';
import { DEMO_MODEL, demoReference } from './sources/demo-traffic.ts';
import { buildSource } from './sources/registry.ts';
import type { Source } from './sources/source.ts';
import { ExporterState } from './state.ts';
import { parseDuration } from './util/duration.ts';
import { ModelState } from './window/model-state.ts';

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
    const model = {
      name: DEMO_MODEL,
      windows: DEMO_WINDOWS,
      min_samples: 1000,
      drift: { statistic: 'psi', share: 0.3 },
    };
    register(state, config, model as ModelConfig, profile);
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
  const modelState = new ModelState(model.name, profile, {
    windowsMs: model.windows.map((w) => parseDuration(w)!),
    slices: config.ingest.slices,
    futureToleranceMs: parseDuration(config.ingest.future_tolerance)!,
  });
  state.models.set(model.name, {
    state: modelState,
    drift: driftOptions(model.drift.statistic, model.drift.threshold, model.min_samples),
    driftShare: model.drift.share,
  });
}
