import {
  DEFAULT_THRESHOLDS,
  type ColorScheme,
  type FeatureStatus,
  type Palette,
  type StatThresholds,
  type Statistic,
} from '../types';

export type ColorResolver = (name: string) => string;

/** A judged level: what a value means against its statistic's limits. */
export type Level = 'stable' | 'investigate' | 'drift';

/**
 * Status colours per palette. `colorblind`: Paul Tol's high-contrast scheme (blue, ochre, rose),
 * told apart by deuteranopes and protanopes and by lightness alone; `classic`: Grafana's named
 * green / orange / red, resolved by the theme.
 */
const PALETTES: Record<Palette, Record<Level, string>> = {
  colorblind: { stable: '#4477AA', investigate: '#DDAA33', drift: '#BB5566' },
  classic: { stable: 'green', investigate: 'orange', drift: 'red' },
};

/** Glyphs shown beside status colours, so that colour is never the only cue. */
export const STATUS_GLYPH: Record<FeatureStatus, string> = {
  stable: '●',
  investigate: '▲',
  drift: '◆',
  insufficient_data: '○',
};

export function levelColor(level: Level, palette: Palette, resolve: ColorResolver): string {
  return resolve(PALETTES[palette][level]);
}

export function statusColor(status: FeatureStatus | undefined, palette: Palette, resolve: ColorResolver): string {
  if (status === undefined || status === 'insufficient_data') return resolve('text-disabled');
  return levelColor(status, palette, resolve);
}

/** The exporter's rule: drift above the drift limit, investigate above the investigate limit. */
export function levelOf(value: number, t: StatThresholds): Level {
  return value > t.drift ? 'drift' : value > t.investigate ? 'investigate' : 'stable';
}

/** Parses `#rgb`, `#rrggbb`, `#rrggbbaa` or `rgb(a)(…)` into [r, g, b, a]. */
export function parseColor(color: string): [number, number, number, number] {
  const c = color.trim();
  if (c.startsWith('#')) {
    let hex = c.slice(1);
    if (hex.length === 3 || hex.length === 4) hex = [...hex].map((h) => h + h).join('');
    const n = (i: number) => parseInt(hex.slice(i, i + 2), 16);
    return [n(0), n(2), n(4), hex.length >= 8 ? n(6) / 255 : 1];
  }
  const m = c.match(/rgba?\(([^)]+)\)/);
  if (m) {
    const p = m[1]
      .split(/[\s,/]+/)
      .filter(Boolean)
      .map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  }
  return [128, 128, 128, 1];
}

export function toHex([r, g, b]: [number, number, number, number]): string {
  const h = (v: number) =>
    Math.round(Math.max(0, Math.min(255, v)))
      .toString(16)
      .padStart(2, '0');
  return `#${h(r)}${h(g)}${h(b)}`;
}

export function mix(a: string, b: string, t: number): string {
  const ca = parseColor(a);
  const cb = parseColor(b);
  const k = Math.max(0, Math.min(1, t));
  return toHex([ca[0] + (cb[0] - ca[0]) * k, ca[1] + (cb[1] - ca[1]) * k, ca[2] + (cb[2] - ca[2]) * k, 1]);
}

/**
 * Colour of a statistic's value on its own limits. `thresholds`: the level's colour (a value equal
 * to a limit is still below it, as the exporter judges). `gradient`: a continuous blend stable →
 * investigate (at the investigate limit) → drift (at the drift limit), darker up to 2 × drift.
 */
export function valueColor(
  value: number,
  t: StatThresholds,
  palette: Palette,
  scheme: ColorScheme,
  resolve: ColorResolver,
): string {
  return colorScale(t, palette, scheme, resolve)(value);
}

/** valueColor with the palette resolved once: the heatmap colours tens of thousands of cells. */
export function colorScale(
  t: StatThresholds,
  palette: Palette,
  scheme: ColorScheme,
  resolve: ColorResolver,
): (value: number) => string {
  const stable = levelColor('stable', palette, resolve);
  const investigate = levelColor('investigate', palette, resolve);
  const drift = levelColor('drift', palette, resolve);
  if (scheme === 'thresholds') return (v) => (v > t.drift ? drift : v > t.investigate ? investigate : stable);
  return (v) => {
    if (v <= t.investigate) return mix(stable, investigate, Math.max(0, v) / t.investigate);
    if (v <= t.drift) return mix(investigate, drift, (v - t.investigate) / (t.drift - t.investigate));
    return mix(drift, '#000000', Math.min(1, (v - t.drift) / t.drift) * 0.35);
  };
}

/** Distribution-over-time colour: the share on a single hue, or share − reference on a diverging scale. */
export function shareColor(
  share: number,
  reference: number,
  mode: 'share' | 'delta',
  resolve: ColorResolver,
  maxShare: number,
): string {
  if (!Number.isFinite(share)) return 'transparent';
  if (mode === 'share') return mix(resolve('transparent-bg'), resolve('#4477AA'), Math.sqrt(share / (maxShare || 1)));
  const delta = share - (Number.isFinite(reference) ? reference : 0);
  const t = Math.min(1, Math.abs(delta) / DELTA_FULL_SCALE);
  return mix(resolve('transparent-bg'), delta >= 0 ? resolve('#BB5566') : resolve('#4477AA'), Math.sqrt(t));
}

/** Share − reference at which the diverging scale reaches its full colour (±10 points). */
export const DELTA_FULL_SCALE = 0.1;

/** A statistic's limits from the options, the defaults where they are missing or inverted. */
export function limitsFor(
  thresholds: Partial<Record<Statistic, Partial<StatThresholds>>> | undefined,
  stat: Statistic,
): StatThresholds {
  const d = DEFAULT_THRESHOLDS[stat];
  const t = thresholds?.[stat];
  const investigate = Number.isFinite(t?.investigate) ? Number(t!.investigate) : d.investigate;
  const drift = Number.isFinite(t?.drift) ? Number(t!.drift) : d.drift;
  return drift > investigate ? { investigate, drift } : d;
}
