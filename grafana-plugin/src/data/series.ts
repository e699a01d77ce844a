import { FieldType, type DataFrame, type Field } from '@grafana/data';

/** One Prometheus series, whatever frame shape it arrived in. */
export interface Series {
  /** The metric name (`mlmon_feature_psi`), from `__name__`, the field name, or the frame's name/refId. */
  metric: string;
  labels: Record<string, string>;
  /** Epoch milliseconds, ascending. */
  times: number[];
  values: number[];
}

const METRIC_RE = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const GENERIC_VALUE_NAMES = /^(Value|value)( #.*)?$/;

function num(v: unknown): number {
  if (v === null || v === undefined) return NaN;
  return typeof v === 'number' ? v : Number(v);
}

function fieldValues(field: Field): unknown[] {
  const values = field.values as unknown;
  if (Array.isArray(values)) return values;
  // Older Vector objects.
  const vec = values as { toArray?: () => unknown[]; length: number; get?: (i: number) => unknown };
  if (vec && typeof vec.toArray === 'function') return vec.toArray();
  return [];
}

/** The metric a value field holds: `__name__`, else a metric-like field name, else the frame's name or refId. */
export function metricName(frame: DataFrame, field: Field): string {
  const fromLabel = field.labels?.['__name__'];
  if (fromLabel) return fromLabel;
  if (!GENERIC_VALUE_NAMES.test(field.name) && METRIC_RE.test(field.name)) return field.name;
  if (frame.name && METRIC_RE.test(frame.name)) return frame.name;
  if (frame.refId && METRIC_RE.test(frame.refId)) return frame.refId;
  return field.name;
}

function isTableFrame(frame: DataFrame): boolean {
  // Table format: label values are string columns; time series format: labels sit on the value field.
  const numbers = frame.fields.filter((f) => f.type === FieldType.number);
  const strings = frame.fields.filter((f) => f.type === FieldType.string);
  return (
    strings.length > 0 && numbers.length >= 1 && numbers.every((f) => !f.labels || Object.keys(f.labels).length === 0)
  );
}

/** Grafana's Prometheus "table" format: one row per series and timestamp, labels as string columns. */
function fromTableFrame(frame: DataFrame): Series[] {
  const time = frame.fields.find((f) => f.type === FieldType.time);
  const labelFields = frame.fields.filter((f) => f.type === FieldType.string);
  const nameField = labelFields.find((f) => f.name === '__name__');
  const out = new Map<string, Series>();
  const times = time ? fieldValues(time) : [];
  const labelValues = labelFields.map((f) => fieldValues(f));
  for (const valueField of frame.fields.filter((f) => f.type === FieldType.number)) {
    const values = fieldValues(valueField);
    for (let row = 0; row < values.length; row++) {
      const labels: Record<string, string> = {};
      labelFields.forEach((f, i) => {
        const v = labelValues[i][row];
        if (f !== nameField && v !== null && v !== undefined && v !== '') labels[f.name] = String(v);
      });
      const metric = nameField ? String(fieldValues(nameField)[row]) : metricName(frame, valueField);
      const key = metric + JSON.stringify(labels);
      let s = out.get(key);
      if (!s) {
        s = { metric, labels, times: [], values: [] };
        out.set(key, s);
      }
      s.times.push(time ? num(times[row]) : Date.now());
      s.values.push(num(values[row]));
    }
  }
  return [...out.values()];
}

/** Prometheus frames (one frame per series with labels on the value field, or table format) → series. */
export function framesToSeries(frames: DataFrame[]): Series[] {
  const result: Series[] = [];
  for (const frame of frames) {
    if (isTableFrame(frame)) {
      result.push(...fromTableFrame(frame));
      continue;
    }
    const time = frame.fields.find((f) => f.type === FieldType.time);
    const times = time ? fieldValues(time).map(num) : [];
    for (const field of frame.fields) {
      if (field.type !== FieldType.number) continue;
      const labels: Record<string, string> = { ...(field.labels ?? {}) };
      delete labels['__name__'];
      const values = fieldValues(field).map(num);
      result.push({
        metric: metricName(frame, field),
        labels,
        times: time ? times.slice(0, values.length) : values.map(() => Date.now()),
        values,
      });
    }
  }
  for (const s of result) sortByTime(s);
  return result;
}

function sortByTime(s: Series): void {
  for (let i = 1; i < s.times.length; i++) {
    if (s.times[i] < s.times[i - 1]) {
      const order = s.times.map((_, j) => j).sort((a, b) => s.times[a] - s.times[b]);
      s.times = order.map((j) => s.times[j]);
      s.values = order.map((j) => s.values[j]);
      return;
    }
  }
}

/** The last finite value of a series, or NaN. */
export function lastValue(s: Series | undefined): number {
  if (!s) return NaN;
  for (let i = s.values.length - 1; i >= 0; i--) if (Number.isFinite(s.values[i])) return s.values[i];
  return NaN;
}
