// Prometheus text exposition format 0.0.4. The state lives in typed arrays, so the families are
// written straight from it at scrape time rather than mirrored into a client library's objects.
export type MetricType = 'gauge' | 'counter' | 'info' | 'histogram';
export type Labels = Record<string, string>;

export const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export class Exposition {
  private readonly parts: string[] = [];
  private readonly declared = new Set<string>();

  /** Declares a family; samples follow. A family with no samples is left out of the output. */
  family(name: string, type: MetricType, help: string): FamilyWriter {
    if (this.declared.has(name)) throw new Error(`metric family ${name} declared twice`);
    this.declared.add(name);
    const header = `# HELP ${name} ${help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}\n# TYPE ${name} ${type === 'info' ? 'gauge' : type}\n`;
    let started = false;
    const write = (suffix: string, labels: Labels, value: number) => {
      if (Number.isNaN(value)) return; // an undefined statistic is absent, never NaN
      if (!started) {
        this.parts.push(header);
        started = true;
      }
      this.parts.push(`${name}${suffix}${formatLabels(labels)} ${formatValue(value)}\n`);
    };
    return {
      sample: (labels, value) => write('', labels, value),
      histogram: (labels, bounds, counts, sum) => {
        let cumulative = 0;
        bounds.forEach((bound, i) => {
          cumulative += counts[i];
          write('_bucket', { ...labels, le: formatValue(bound) }, cumulative);
        });
        const count = cumulative + (counts[bounds.length] ?? 0);
        write('_bucket', { ...labels, le: '+Inf' }, count);
        write('_sum', labels, sum);
        write('_count', labels, count);
      },
    };
  }

  toString(): string {
    return this.parts.join('');
  }
}

export interface FamilyWriter {
  sample(labels: Labels, value: number): void;
  /** A histogram from per-bucket (not cumulative) counts; counts[bounds.length] is above the last bound. */
  histogram(labels: Labels, bounds: readonly number[], counts: ArrayLike<number>, sum: number): void;
}

function formatLabels(labels: Labels): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  return `{${entries.map(([key, value]) => `${key}="${escapeLabel(value)}"`).join(',')}}`;
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function formatValue(value: number): string {
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}
