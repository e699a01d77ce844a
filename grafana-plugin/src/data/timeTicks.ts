// Time-axis ticks at round intervals (1 s … 1 d), spaced for their labels, none outside the axis.

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const STEPS = [
  SECOND,
  2 * SECOND,
  5 * SECOND,
  10 * SECOND,
  15 * SECOND,
  30 * SECOND,
  MINUTE,
  2 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  7 * DAY,
];

export interface TimeTick {
  time: number;
  /** Pixel position of the tick on the axis. */
  x: number;
  /** Format for dateTimeFormat: seconds only when the interval needs them. */
  format: string;
}

/** Approximate width of a tick label in pixels (12 px Inter, tabular digits). */
export function labelWidth(format: string): number {
  return format.length * 7 + 4;
}

/**
 * Ticks for times `from`..`to` drawn on `width` pixels where `x(t)` places a time: the smallest
 * round interval whose labels keep `gap` pixels apart, at multiples of it (in UTC offset by
 * `offsetMs`, the time zone's), dropping any whose label would cross either end of the axis.
 */
export function timeTicks(
  from: number,
  to: number,
  width: number,
  x: (t: number) => number,
  offsetMs = 0,
  gap = 24,
): TimeTick[] {
  if (!(to > from) || width <= 0) return [];
  const pxPerMs = width / (to - from);
  const formatFor = (step: number) => (step < MINUTE ? 'HH:mm:ss' : step < DAY ? 'HH:mm' : 'MM-DD');
  const step = STEPS.find((s) => s * pxPerMs >= labelWidth(formatFor(s)) + gap) ?? Math.ceil((to - from) / DAY) * DAY;
  const format = formatFor(step);
  const half = labelWidth(format) / 2;
  const ticks: TimeTick[] = [];
  const first = Math.ceil((from + offsetMs) / step) * step - offsetMs;
  for (let t = first; t <= to; t += step) {
    const px = x(t);
    if (px - half < 0 || px + half > width) continue;
    ticks.push({ time: t, x: px, format });
  }
  return ticks;
}
