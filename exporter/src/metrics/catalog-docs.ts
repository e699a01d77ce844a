// What the catalog generates: METRICS.md's tables and the drift panel's statistic list (read by
// the plugin and the dashboards generator). scripts/generate-metrics.ts writes them; a test
// checks the committed files are what it writes.
import { CATALOG, FAMILY_NAMES, type FamilyName, type FamilySpec, type Section } from './catalog.ts';
import { SEGMENT_LABELS, SEGMENTED_FAMILIES } from './segment-labels.ts';

const BEGIN = /<!-- catalog: (\w+) -->\n[\s\S]*?<!-- end catalog -->/g;

/** METRICS.md with every `<!-- catalog: section -->` block replaced by that section's table. */
export function fillMetricsDoc(doc: string): string {
  return doc.replace(BEGIN, (_block, section: string) => {
    const rows = FAMILY_NAMES.filter((name) => CATALOG[name].section === section).map((name) =>
      row(name, CATALOG[name], SEGMENTED_FAMILIES.has(name)),
    );
    if (rows.length === 0) throw new Error(`METRICS.md: no family in catalog section "${section}"`);
    return [
      `<!-- catalog: ${section as Section} -->`,
      '| name | type | labels | meaning |',
      '| --- | --- | --- | --- |',
      ...rows,
      '<!-- end catalog -->',
    ].join('\n');
  });
}

function row(name: FamilyName, spec: FamilySpec, segmented: boolean): string {
  const type = spec.type === 'info' ? 'gauge' : spec.type;
  let labels = spec.labels.length > 0 ? spec.labels.join(', ') : '—';
  if (segmented) labels += ` (+ ${SEGMENT_LABELS.join(', ')})`;
  return `| \`${name}\` | ${type} | ${labels} | ${spec.doc ?? spec.help} |`;
}

const FEATURE_PREFIX = 'mlmon_feature_';

/** The per-feature families the drift panel reads, by suffix after `mlmon_feature_`. */
export function driftPanelStatistics(): string[] {
  const place = (name: string) => (CATALOG[name as keyof typeof CATALOG] as FamilySpec).driftPanel;
  return FAMILY_NAMES.filter((name) => place(name) !== undefined)
    .sort((a, b) => place(a)! - place(b)!)
    .map((name) => name.slice(FEATURE_PREFIX.length));
}

export function driftPanelJson(): string {
  return `${JSON.stringify(driftPanelStatistics(), null, 2)}\n`;
}
