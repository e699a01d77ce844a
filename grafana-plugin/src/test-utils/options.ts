import { defaultOptions, type DriftOptions } from '../types';

export function opts(overrides: Partial<DriftOptions> = {}): DriftOptions {
  return { ...defaultOptions, ...overrides };
}
