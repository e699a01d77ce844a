import { getActiveThreshold, type Threshold } from '@grafana/data';
import type { ColorScheme } from '../types';

/** Grafana's default-like thresholds for drift statistics: ≤ 0.1 stable, 0.1–0.2 investigate, > 0.2 drift. */
export const DEFAULT_STEPS: Threshold[] = [
  { value: -Infinity, color: 'green' },
  { value: 0.1, color: 'orange' },
  { value: 0.2, color: 'red' },
];

export type ColorResolver = (name: string) => string;

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
 * Colour of a statistic's value. `thresholds`: the step the value falls in (as Grafana's thresholds
 * do: a value equal to a step's value takes that step's colour). `gradient`: a continuous blend
 * between the step colours, reaching the last colour at 1.5 × the last threshold.
 */
export function valueColor(value: number, steps: Threshold[], resolve: ColorResolver, scheme: ColorScheme): string {
  const list = steps.length > 0 ? steps : DEFAULT_STEPS;
  if (scheme === 'thresholds' || list.length === 1) return resolve(getActiveThreshold(value, list).color);
  const finite = list.filter((s) => Number.isFinite(s.value));
  const stops = [
    { at: 0, color: resolve(list[0].color) },
    ...finite.map((s, i) => ({
      at: i === finite.length - 1 ? s.value * 1.5 : (s.value + (finite[i + 1]?.value ?? s.value)) / 2,
      color: resolve(s.color),
    })),
  ];
  if (value <= stops[0].at) return stops[0].color;
  for (let i = 1; i < stops.length; i++) {
    if (value <= stops[i].at) {
      return mix(stops[i - 1].color, stops[i].color, (value - stops[i - 1].at) / (stops[i].at - stops[i - 1].at || 1));
    }
  }
  return stops[stops.length - 1].color;
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
  if (mode === 'share') return mix(resolve('transparent-bg'), resolve('blue'), Math.sqrt(share / (maxShare || 1)));
  const delta = share - (Number.isFinite(reference) ? reference : 0);
  const t = Math.min(1, Math.abs(delta) / 0.1);
  return mix(resolve('transparent-bg'), delta >= 0 ? resolve('red') : resolve('blue'), Math.sqrt(t));
}
