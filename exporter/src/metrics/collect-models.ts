// Per-model families: drift statistics, data quality, distributions and ingest counters.
import { driftShare, isDatasetDrift, type FeatureStatus } from '../stats/index.ts';
import { compareFeature } from '../report/compare.ts';
import { windowDrift } from '../calibration/window-drift.ts';
import { currentFromWindow } from '../report/from-window.ts';
import { decisionValue, type FeatureReport } from '../report/feature-report.ts';
import type { ModelEntry } from '../model-entry.ts';
import type { DriftEntry, Segment } from '../segments/segment-entry.ts';
import { recordsOf } from '../window/layout.ts';
import type { WindowTotals } from '../window/model-windows.ts';
import { binLabels } from './bin-labels.ts';
import { writeDriftCause, type WindowFeature } from './collect-drift-cause.ts';
import { familiesWhere } from './catalog.ts';
import type { FamilyName } from './catalog.ts';
import { LineRecorder, type Exposition, type FamilyWriter, type Labels } from './exposition.ts';

const STATUSES: FeatureStatus[] = ['stable', 'investigate', 'drift', 'insufficient_data'];

/** Per-feature statistics and quality ratios, from the catalog: each names its report field. */
const FEATURE_FAMILIES = familiesWhere((spec) => spec.feature !== undefined).map(([name, spec]) => ({
  name,
  report: spec.feature!.report,
  always: spec.feature!.when === 'always',
}));

type FamilySink = Pick<Exposition, 'family'>;
type Families = ReturnType<typeof familiesOf>;

/** The writers of the per-model families, declared in the page's order. */
function familiesOf(out: FamilySink) {
  return {
    modelInfo: out.family('mlmon_model_info'),
    referenceInfo: out.family('mlmon_reference_info'),
    featureInfo: out.family('mlmon_feature_info'),
    windowRecords: out.family('mlmon_model_window_records'),
    samples: out.family('mlmon_feature_samples'),
    status: out.family('mlmon_feature_status'),
    drifted: out.family('mlmon_feature_drift_detected'),
    threshold: out.family('mlmon_feature_drift_threshold'),
    share: out.family('mlmon_model_drifted_features_ratio'),
    datasetDrift: out.family('mlmon_model_dataset_drift'),
    modelScore: out.family('mlmon_model_drift_score'),
    featureScore: out.family('mlmon_feature_drift_score'),
    binContribution: out.family('mlmon_feature_drift_bin_contribution'),
    statistics: FEATURE_FAMILIES.filter((f) => !f.always).map((f) => [f.report, out.family(f.name)] as const),
    quality: FEATURE_FAMILIES.filter((f) => f.always).map((f) => [f.report, out.family(f.name)] as const),
    binRatio: out.family('mlmon_feature_bin_ratio'),
    referenceBinRatio: out.family('mlmon_feature_reference_bin_ratio'),
    binObservations: out.family('mlmon_feature_bin_observations_total'),
    predictionPsi: out.family('mlmon_prediction_psi'),
    predictionMean: out.family('mlmon_prediction_mean'),
    predictionClass: out.family('mlmon_prediction_class_ratio'),
    records: out.family('mlmon_records_total'),
    late: out.family('mlmon_records_late_total'),
    future: out.family('mlmon_records_future_total'),
    unknownFeatures: out.family('mlmon_unknown_features_total'),
    violations: out.family('mlmon_schema_violations_total'),
    lastRecord: out.family('mlmon_model_last_record_timestamp_seconds'),
    dataAge: out.family('mlmon_model_data_age_seconds'),
  };
}

/**
 * Rendered text that stays right until the model's windows change: the statistics only move when
 * a record (or an aggregate, or a restored snapshot) is counted, or when a window's oldest slice
 * rotates out. `key` says what the text was computed from.
 */
interface Rendered {
  key: string;
  texts: [FamilyName, Buffer][];
}

/** Per model entry or segment (a reload makes new ones, and so new caches): its model part and each window's. */
const cache = new WeakMap<DriftEntry, { model?: Rendered; windows: (Rendered | undefined)[] }>();

function rendered(previous: Rendered | undefined, key: string, write: (f: Families) => void): Rendered {
  if (previous?.key === key) return previous;
  const recorder = new LineRecorder();
  write(familiesOf(recorder));
  return { key, texts: recorder.texts() };
}

/**
 * The per-model families. Statistics and their text are computed once per change of a model's
 * windows (see Rendered) and reused by the scrapes in between; the counters and the data age,
 * cheap and moving with every record or second, are written at each scrape.
 */
export function collectModels(out: Exposition, models: Iterable<[string, ModelEntry]>, now: number): void {
  const f = familiesOf(out);
  for (const [model, entry] of models) {
    const { windows } = entry;
    const cached = cachedWindows(out, { model }, entry, now, entry);
    cached.model = rendered(cached.model, String(windows.changes), (m) => writeModel(m, model, entry));
    for (const [name, text] of cached.model.texts) out.addLines(name, text);
    for (const column of entry.segments) {
      for (const segment of column.segments) {
        const labels = segmentLabels(model, segment);
        const cachedSegment = cachedWindows(out, labels, segment, now);
        // Its reference bins: a segment's bins are its own, not the whole model's.
        cachedSegment.model ??= rendered(undefined, '', (m) => writeReferenceBins(m, labels, segment));
        for (const [name, text] of cachedSegment.model.texts) out.addLines(name, text);
      }
    }

    f.records.sample({ model }, windows.recordsTotal);
    f.late.sample({ model }, windows.lateTotal);
    f.future.sample({ model }, windows.futureTotal);
    f.unknownFeatures.sample({ model }, windows.unknownFeaturesTotal);
    for (const [key, count] of windows.violations) {
      const [feature, reason] = key.split('\t');
      f.violations.sample({ model, feature, reason }, count);
    }
    f.lastRecord.sample({ model }, windows.lastRecordMs / 1000);
    f.dataAge.sample({ model }, (now - windows.lastRecordMs) / 1000);
  }
}

/**
 * Writes each window's families of a model or segment, rendered again only when they changed.
 * `model`: the whole model, whose drift cause is written too (not per segment: the alerts' cause
 * queries read the whole model's).
 */
function cachedWindows(out: Exposition, base: Labels, entry: DriftEntry, now: number, model?: ModelEntry) {
  const { windows } = entry;
  let cached = cache.get(entry);
  if (!cached) cache.set(entry, (cached = { windows: [] }));
  let totals: WindowTotals[] | undefined;
  windows.windowRings.forEach((ring, i) => {
    const slice = Math.floor(now / ring.sliceMs);
    // A finished calibration simulation also changes what the window shows.
    const key = `${windows.changes}:${slice}:${entry.thresholds?.generation ?? 0}`;
    cached.windows[i] = rendered(cached.windows[i], key, (w) => {
      totals ??= windows.totals(now);
      // The window holds whole slices: it ends where the slice holding `now` ends.
      writeWindow(w, base, entry, totals[i], (slice + 1) * ring.sliceMs, model);
    });
    for (const [name, text] of cached.windows[i].texts) out.addLines(name, text);
  });
  return cached;
}

function segmentLabels(model: string, segment: Segment): Labels {
  return { model, segment: segment.column, segment_value: segment.value };
}

/** What describes the model and its distributions since start. */
function writeModel(f: Families, model: string, entry: ModelEntry): void {
  const { windows } = entry;
  f.modelInfo.sample({ model, model_version: windows.modelVersion }, 1);
  f.referenceInfo.sample({ model, reference_hash: windows.profile.hash, kind: entry.reference.kind }, 1);
  for (const slot of windows.layout.features) f.featureInfo.sample({ model, feature: slot.name, type: slot.type }, 1);
  writeReferenceBins(f, { model }, entry);
  for (const slot of windows.slots()) {
    const labels = binLabels(slot.profile);
    const featureLabels = { model, feature: slot.name };
    const observed = windows.binObservations.get(slot.name)!;
    labels.forEach((label, i) => f.binObservations.sample({ ...featureLabels, ...label }, observed[i]));
  }
}

/** Each feature's reference bin shares. */
function writeReferenceBins(f: Families, base: Labels, entry: DriftEntry): void {
  for (const slot of entry.windows.slots()) {
    const labels = binLabels(slot.profile);
    writeShares(f.referenceBinRatio, { ...base, feature: slot.name }, labels, slot.profile.counts, slot.profile.count);
  }
}

/** One window's statistics, quality ratios, distributions and prediction families. */
function writeWindow(
  f: Families,
  base: Labels,
  entry: DriftEntry,
  totals: WindowTotals,
  /** Where the window ends: the end of the slice holding now. */
  windowEnd: number,
  model?: ModelEntry,
): void {
  const { windows } = entry;
  const window = totals.window.label;
  f.windowRecords.sample({ ...base, window }, recordsOf(totals.counts));
  const statuses: FeatureStatus[] = [];
  const judged: WindowFeature[] = [];
  for (const slot of windows.layout.features) {
    const labels = { ...base, feature: slot.name, window };
    const current = currentFromWindow(slot, totals);
    const reference = entry.reference.profileFor(slot, totals.window.ms, windowEnd);
    const drift = windowDrift(entry, slot, reference, current.present, totals.window.ms);
    const report = compareFeature(reference, current, drift.options, undefined, 'limit');
    if (report.status !== 'insufficient_data' && drift.exported) f.threshold.sample(labels, drift.options.threshold);
    statuses.push(report.status);
    f.samples.sample(labels, report.n_current);
    for (const status of STATUSES) f.status.sample({ ...labels, status }, status === report.status ? 1 : 0);
    f.drifted.sample(labels, report.drifted ? 1 : 0);
    if (report.status !== 'insufficient_data') writeReport(f.statistics, labels, report);
    writeReport(f.quality, labels, report);
    const bins = totals.counts.subarray(slot.binsOffset, slot.binsOffset + slot.binCount);
    if (report.n_current > 0) writeShares(f.binRatio, labels, binLabels(slot.profile), bins, report.n_current);
    const value = decisionValue(report, drift.options);
    // Bin contributions against the reference the window was compared with (seasonal, rolling).
    judged.push({ name: slot.name, profile: reference, report, value, threshold: drift.options.threshold, bins });
  }
  if (model) writeDriftCause(f, base.model, window, model, judged);
  const share = driftShare(statuses);
  f.share.sample({ ...base, window }, share);
  f.datasetDrift.sample({ ...base, window }, isDatasetDrift(share, entry.driftShare) ? 1 : 0);

  const prediction = windows.layout.prediction;
  if (prediction) {
    const current = currentFromWindow(prediction, totals);
    const report = compareFeature(prediction.profile, current, entry.drift, undefined, 'limit');
    if (report.status !== 'insufficient_data' && report.psi !== undefined)
      f.predictionPsi.sample({ ...base, window }, report.psi);
    if (current.type === 'numeric' && current.finite > 0 && prediction.profile.type === 'numeric') {
      f.predictionMean.sample({ ...base, window }, prediction.profile.mean + current.centredSum / current.finite);
    }
    if (current.type === 'categorical' && current.present > 0) {
      binLabels(prediction.profile).forEach((label, i) =>
        f.predictionClass.sample({ ...base, window, class: label.bin }, current.bins[i] / current.present),
      );
    }
  }
}

function writeReport(
  families: readonly (readonly [keyof FeatureReport, FamilyWriter])[],
  labels: Record<string, string>,
  report: FeatureReport,
): void {
  for (const [key, family] of families) {
    const value = report[key];
    if (typeof value === 'number') family.sample(labels, value);
  }
}

function writeShares(
  family: FamilyWriter,
  labels: Record<string, string>,
  bins: { bin: string; range: string }[],
  counts: ArrayLike<number>,
  total: number,
): void {
  if (total <= 0) return;
  bins.forEach((bin, i) => family.sample({ ...labels, ...bin }, counts[i] / total));
}
