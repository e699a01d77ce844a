import { createTheme } from '@grafana/data';
import { colorResolver } from '../components/theme';
import { DEFAULT_STEPS, mix, parseColor, shareColor, valueColor } from './colors';

const theme = createTheme({ colors: { mode: 'dark' } });
const resolve = colorResolver(theme);
const green = resolve('green');
const orange = resolve('orange');
const red = resolve('red');

describe('valueColor', () => {
  it('uses the threshold step a value falls in (a value on a step takes that step)', () => {
    expect(valueColor(0.05, DEFAULT_STEPS, resolve, 'thresholds')).toBe(green);
    expect(valueColor(0.1, DEFAULT_STEPS, resolve, 'thresholds')).toBe(orange);
    expect(valueColor(0.15, DEFAULT_STEPS, resolve, 'thresholds')).toBe(orange);
    expect(valueColor(0.2, DEFAULT_STEPS, resolve, 'thresholds')).toBe(red);
    expect(valueColor(3, DEFAULT_STEPS, resolve, 'thresholds')).toBe(red);
  });
  it('follows edited thresholds', () => {
    const steps = [
      { value: -Infinity, color: 'blue' },
      { value: 0.5, color: 'purple' },
    ];
    expect(valueColor(0.3, steps, resolve, 'thresholds')).toBe(resolve('blue'));
    expect(valueColor(0.6, steps, resolve, 'thresholds')).toBe(resolve('purple'));
  });
  it('blends continuously with the gradient scheme', () => {
    expect(valueColor(0, DEFAULT_STEPS, resolve, 'gradient')).toBe(green);
    expect(valueColor(10, DEFAULT_STEPS, resolve, 'gradient')).toBe(red);
    const mid = valueColor(0.12, DEFAULT_STEPS, resolve, 'gradient');
    expect(mid).not.toBe(green);
    expect(mid).not.toBe(red);
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
    expect(shareColor(0.5, 0.1, 'share', resolve, 0.5)).toBe(mix(resolve('blue'), resolve('blue'), 0));
    expect(shareColor(0.3, 0.1, 'delta', resolve, 1)).toBe(mix(red, red, 0));
    expect(shareColor(0.0, 0.1, 'delta', resolve, 1)).toBe(mix(resolve('blue'), resolve('blue'), 0));
  });
});
