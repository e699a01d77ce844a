import type { GrafanaTheme2 } from '@grafana/data';
import type { ColorResolver } from '../data/colors';

/** Resolves Grafana colour names with the theme; `transparent-bg` is the panel background,
 * `text-disabled` the theme's disabled text colour. */
export function colorResolver(theme: GrafanaTheme2): ColorResolver {
  return (name: string) => {
    if (name === 'transparent-bg') return theme.colors.background.primary;
    if (name === 'text-disabled') return theme.colors.text.disabled;
    return theme.visualization.getColorByName(name);
  };
}

/** Fill of a cell whose window had too little data: a neutral hatch, distinct from every threshold colour. */
export function insufficientColors(theme: GrafanaTheme2): { base: string; stripe: string } {
  return { base: theme.colors.background.secondary, stripe: theme.colors.text.disabled };
}
