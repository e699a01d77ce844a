// Prometheus text exposition format 0.0.4. The state lives in typed arrays, so the families are
// written straight from it at scrape time rather than mirrored into a client library's objects
// (bench/metrics-writer.ts measures why). A family's type and help come from the catalog.
import { familySpec, type FamilyName } from './catalog.ts';

export type Labels = Record<string, string>;

export const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/**
 * A family's sample lines: written at this scrape (strings) or kept from an earlier one
 * (LineRecorder's text, encoded once, so that a scrape neither joins nor encodes it again).
 */
type Lines = string | Buffer;

/** Each family's `# HELP` and `# TYPE` lines, made and encoded once per process. */
const headers = new Map<FamilyName, { text: string; bytes: Buffer }>();

function headerOf(name: FamilyName): { text: string; bytes: Buffer } {
  let header = headers.get(name);
  if (!header) {
    const { type, help } = familySpec(name);
    const text = `# HELP ${name} ${help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}\n# TYPE ${name} ${type === 'info' ? 'gauge' : type}\n`;
    headers.set(name, (header = { text, bytes: Buffer.from(text) }));
  }
  return header;
}

export class Exposition {
  /** Sample lines per family, in the order the families were first declared. */
  private readonly families = new Map<FamilyName, { lines: Lines[]; writer: FamilyWriter }>();
  private readonly rawParts: string[] = [];

  /**
   * The writer of a family; samples follow. Several writers may declare the same family (one
   * per running source of a kind): its samples are still written together, under one header. A
   * family with no samples is left out of the output.
   */
  family(name: FamilyName): FamilyWriter {
    const known = this.families.get(name);
    if (known) return known.writer;
    const lines: Lines[] = [];
    const writer = familyWriter(name, (line) => lines.push(line));
    this.families.set(name, { lines, writer });
    return writer;
  }

  /** Sample lines recorded earlier for family `name` (see LineRecorder), after those already written. */
  addLines(name: FamilyName, text: Lines): void {
    this.family(name);
    if (text.length > 0) this.families.get(name)!.lines.push(text);
  }

  /** Text already in the exposition format (prom-client's registry), written after the catalog's families. */
  raw(text: string): void {
    if (text !== '') this.rawParts.push(text.endsWith('\n') ? text : `${text}\n`);
  }

  toString(): string {
    const parts: string[] = [];
    for (const [name, { lines }] of this.families) {
      if (lines.length === 0) continue;
      parts.push(headerOf(name).text);
      for (const line of lines) parts.push(typeof line === 'string' ? line : line.toString('utf8'));
    }
    return parts.join('') + this.rawParts.join('');
  }

  /**
   * The page as the buffers to write, in order, and their total length: the kept text as it is
   * (neither joined nor copied), only the lines written at this scrape encoded.
   */
  toChunks(): Page {
    const chunks: Buffer[] = [];
    let written: string[] = [];
    const flush = () => {
      if (written.length > 0) chunks.push(Buffer.from(written.join('')));
      written = [];
    };
    for (const [name, { lines }] of this.families) {
      if (lines.length === 0) continue;
      chunks.push(headerOf(name).bytes);
      for (const line of lines) {
        if (typeof line === 'string') written.push(line);
        else {
          flush();
          chunks.push(line);
        }
      }
    }
    written.push(...this.rawParts);
    flush();
    let length = 0;
    for (const chunk of chunks) length += chunk.length;
    return { chunks, length };
  }
}

/** A page of the exposition format: buffers to write in order, `length` bytes in all. */
export interface Page {
  chunks: Buffer[];
  length: number;
}

/**
 * Sample lines written aside, family by family, to be added to an exposition later with
 * `addLines`: what a cache of rendered text keeps.
 */
export class LineRecorder {
  private readonly lines = new Map<FamilyName, string[]>();

  family(name: FamilyName): FamilyWriter {
    const lines: string[] = [];
    this.lines.set(name, lines);
    return familyWriter(name, (line) => lines.push(line));
  }

  /** The recorded text of each family that has samples, encoded. */
  texts(): [FamilyName, Buffer][] {
    return [...this.lines]
      .filter(([, lines]) => lines.length > 0)
      .map(([name, lines]) => [name, Buffer.from(lines.join(''))]);
  }
}

/** The writer of family `name`'s sample lines, handing each formatted line to `push`. */
function familyWriter(name: FamilyName, push: (line: string) => void): FamilyWriter {
  const write = (suffix: string, labels: Labels, value: number) => {
    if (Number.isNaN(value)) return; // an undefined statistic is absent, never NaN
    push(`${name}${suffix}${formatLabels(labels)} ${formatValue(value)}\n`);
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
