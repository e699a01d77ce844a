import { createTheme } from '@grafana/data';
import { colorResolver } from '../components/theme';
import { DEFAULT_THRESHOLDS } from '../types';
import { levelColor, levelOf, limitsFor, mix, parseColor, shareColor, statusColor, valueColor } from './colors';

const theme = createTheme({ colors: { mode: 'dark' } });
const resolve = colorResolver(theme);
const cb = (l: 'stable' | 'investigate' | 'drift') => levelColor(l, 'colorblind', resolve);

describe('valueColor', () => {
  it("colours each statistic on its own limits (JS is not judged by PSI's 0.1 / 0.2)", () => {
    const psi = DEFAULT_THRESHOLDS.psi;
    const js = DEFAULT_THRESHOLDS.jensen_shannon_distance;
    expect(valueColor(0.08, psi, 'colorblind', 'thresholds', resolve)).toBe(cb('stable'));
    expect(valueColor(0.08, js, 'colorblind', 'thresholds', resolve)).toBe(cb('investigate'));
    expect(valueColor(0.15, psi, 'colorblind', 'thresholds', resolve)).toBe(cb('investigate'));
    expect(valueColor(0.15, js, 'colorblind', 'thresholds', resolve)).toBe(cb('drift'));
  });
  it('judges a value on a limit as the exporter does: drift only above it', () => {
    expect(levelOf(0.2, DEFAULT_THRESHOLDS.psi)).toBe('investigate');
    expect(levelOf(0.2000001, DEFAULT_THRESHOLDS.psi)).toBe('drift');
    expect(levelOf(0.1, DEFAULT_THRESHOLDS.psi)).toBe('stable');
  });
  it('uses the classic palette on request, resolved by the theme', () => {
    expect(valueColor(3, DEFAULT_THRESHOLDS.psi, 'classic', 'thresholds', resolve)).toBe(resolve('red'));
    expect(valueColor(0, DEFAULT_THRESHOLDS.psi, 'classic', 'thresholds', resolve)).toBe(resolve('green'));
    expect(cb('drift')).not.toBe(resolve('red'));
  });
  it('blends continuously with the gradient scale, reaching the drift colour at the drift limit', () => {
    const t = DEFAULT_THRESHOLDS.psi;
    expect(valueColor(0, t, 'colorblind', 'gradient', resolve)).toBe(cb('stable').toLowerCase());
    expect(valueColor(0.2, t, 'colorblind', 'gradient', resolve)).toBe(cb('drift').toLowerCase());
    const mid = valueColor(0.05, t, 'colorblind', 'gradient', resolve);
    expect([cb('stable').toLowerCase(), cb('investigate').toLowerCase()]).not.toContain(mid);
  });
  it('gives insufficient data no status colour', () => {
    expect(statusColor('insufficient_data', 'colorblind', resolve)).toBe(theme.colors.text.disabled);
  });
});

describe('limitsFor', () => {
  it('takes edited limits and falls back to the defaults for missing or inverted ones', () => {
    expect(limitsFor({ psi: { investigate: 0.05, drift: 0.3 } }, 'psi')).toEqual({ investigate: 0.05, drift: 0.3 });
    expect(limitsFor({ psi: { investigate: 0.3, drift: 0.05 } }, 'psi')).toEqual(DEFAULT_THRESHOLDS.psi);
    expect(limitsFor(undefined, 'ks_statistic')).toEqual(DEFAULT_THRESHOLDS.ks_statistic);
  });
});

describe('colour helpers', () => {
  it('parses hex and rgb colours', () => {
    expect(parseColor('#ff0000')).toEqual([255, 0, 0, 1]);
    expect(parseColor('#f00')).toEqual([255, 0, 0, 1]);
    expect(parseColor('rgba(1, 2, 3, 0.5)')).toEqual([1, 2, 3, 0.5]);
    expect(mix('#000000', '#ffffff', 0.5)).toBe('#808080');
  });
  it('colours a share, and a share minus the reference on a diverging scale', () => {
    expect(shareColor(NaN, 0.1, 'share', resolve, 1)).toBe('transparent');
    expect(shareColor(0.5, 0.1, 'share', resolve, 0.5)).toBe('#4477aa');
    expect(shareColor(0.3, 0.1, 'delta', resolve, 1)).toBe('#bb5566');
    expect(shareColor(0.0, 0.1, 'delta', resolve, 1)).toBe('#4477aa');
  });
});
