// Turns a validated config into live state: references loaded, models registered, sources built.
// A reload goes through the same steps and keeps the state of models whose definition and
// reference did not change.
import { modelSchema, type Config, type ModelConfig } from './config/schema.ts';
import { ModelEntry } from './model-entry.ts';
import { buildProfile, DEFAULT_SETTINGS } from './profile/build.ts';
import { loadReference, type Reference } from './profile/load-reference.ts';
import { backgroundRunner, type BackgroundRunner } from './calibration/background-runner.ts';
import type { Calibration } from './performance/cbpe-calibration.ts';
import { sameEstimationCalibration, type EstimationCalibration } from './performance/cbpe-multiclass-calibration.ts';
import { demoCalibration } from './performance/cbpe-demo.ts';
import { loadCalibration } from './performance/cbpe-load.ts';
import type { Profile } from './profile/types.ts';
import { DemoSource } from './sources/demo.ts';
import { DEMO_MODEL, demoReference } from './sources/demo-traffic.ts';
import { restoreFromStorage, type RestoreReport } from './snapshot/restore.ts';
import { buildSource } from './sources/registry.ts';
import type { Source } from './sources/source.ts';
import { Exporter } from './exporter.ts';

/** Windows of the demo model: short enough that its drift shows within minutes. */
const DEMO_WINDOWS = ['5m', '1h'];

export interface StartOptions {
  /** The writable `--storage.path` folder. */
  storagePath?: string;
  /** Restore the window state from the snapshot in `storagePath` (src/snapshot/), before sources start. */
  restoreSnapshot?: boolean;
}

export async function startState(
  config: Config,
  options: StartOptions = {},
): Promise<{ state: Exporter; sources: Source[]; restore?: RestoreReport }> {
  const state = new Exporter();
  for (const [name, entry] of await buildModels(config)) state.models.set(name, entry);
  const restore =
    options.restoreSnapshot && options.storagePath ? restoreFromStorage(options.storagePath, state.models) : undefined;
  const sources = buildSources(config, state, options);
  for (const source of sources) {
    const checkpoint = restore?.sources?.[source.name];
    if (checkpoint !== undefined) source.resume?.(checkpoint);
  }
  state.ready = true;
  return { state, sources, restore };
}

/**
 * Every model of the config with its reference loaded. A model of `previous` is kept as it is
 * when its definition is the same and its reference has the same hash.
 */
export async function buildModels(
  config: Config,
  previous?: ReadonlyMap<string, ModelEntry>,
  /** Where calibration simulations run: null in line (a backfill); the process's runner by default. */
  runner: BackgroundRunner | null = backgroundRunner,
): Promise<Map<string, ModelEntry>> {
  const models = new Map<string, ModelEntry>();
  for (const model of config.models) {
    let reference: Reference;
    let calibration: EstimationCalibration | undefined;
    try {
      reference = await loadReference(model);
      calibration = await loadCalibration(model);
    } catch (err) {
      throw new Error(`model ${model.name}: cannot load its reference: ${(err as Error).message}`);
    }
    models.set(model.name, reuseOrCreate(config, model, reference, { previous, calibration, runner }));
  }
  if (config.demo?.enabled) {
    const { model, profile, calibration } = demoModel(config.demo.seed);
    if (models.has(model.name)) throw new Error(`model ${model.name} is reserved for the demo`);
    models.set(model.name, reuseOrCreate(config, model, { profile, segments: [] }, { previous, calibration, runner }));
  }
  return models;
}

export function buildSources(config: Config, state: Exporter, options: StartOptions = {}): Source[] {
  const sources: Source[] = [];
  if (config.demo?.enabled) sources.push(new DemoSource(state, config.demo));
  for (const sourceConfig of config.sources) {
    if (!state.models.has(sourceConfig.model)) {
      throw new Error(`source ${sourceConfig.name}: model "${sourceConfig.model}" is not configured`);
    }
    sources.push(buildSource(sourceConfig, { sink: state, storagePath: options.storagePath ?? 'data' }));
  }
  state.runningSources = sources;
  return sources;
}

function reuseOrCreate(
  config: Config,
  model: ModelConfig,
  { profile, segments, timed }: Reference,
  {
    previous,
    calibration,
    runner,
  }: {
    previous?: ReadonlyMap<string, ModelEntry>;
    calibration?: EstimationCalibration;
    runner: BackgroundRunner | null;
  },
): ModelEntry {
  const old = previous?.get(model.name);
  const definition = JSON.stringify({ model, ingest: config.ingest });
  if (
    old &&
    old.definition === definition &&
    old.windows.profile.hash === profile.hash &&
    sameEstimationCalibration(old.estimation?.calibration, calibration)
  )
    return old;
  return new ModelEntry(config, model, profile, definition, calibration, { timed, runner, segments });
}

function demoModel(seed: number): { model: ModelConfig; profile: Profile; calibration: Calibration } {
  const profile = buildProfile(
    demoReference(20_000, seed),
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
    performance: {
      task: 'classification',
      positive_class: '1',
      negative_class: '0',
      threshold: 0.5,
      estimation: { reference: { path: '(generated)' } },
    },
  });
  return { model, profile, calibration: demoCalibration(20_000, seed) };
}
