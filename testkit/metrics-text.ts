// The Prometheus text format as the tests read it: one parser, and lookups on top of it.
import assert from 'node:assert/strict';
import { waitFor } from './base.ts';

export interface MetricSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses text-format lines `name{labels} value` (label values unescaped: \", \\, \n). */
export function parseMetrics(text: string): MetricSample[] {
  const samples = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const m of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[m[1]] = m[2].replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    }
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return samples;
}

/** The value of the first sample named `name` whose labels include `labels`; undefined when absent. */
export function valueOf(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  return parseMetrics(text).find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    ?.value;
}

export async function scrapeText(url: string): Promise<string> {
  const response = await fetch(`${url}/metrics`);
  assert.equal(response.status, 200);
  return response.text();
}

/** One sample of a running exporter's /metrics; undefined when absent. */
export async function scrapeValue(
  url: string,
  name: string,
  labels: Record<string, string> = {},
): Promise<number | undefined> {
  return valueOf(await scrapeText(url), name, labels);
}

/** Scrapes until `check` holds; returns that page. */
export async function scrapeUntil(url: string, what: string, check: (text: string) => boolean, timeoutMs = 30_000) {
  return waitFor(
    what,
    async () => {
      const text = await scrapeText(url);
      return check(text) ? text : undefined;
    },
    timeoutMs,
  );
}

/** The value of a series written out in full, e.g. `mlmon_snapshot_failures_total{reason="no_space"}`. */
export function seriesValue(text: string, series: string): number | undefined {
  const [wanted] = parseMetrics(`${series} 0`);
  return valueOf(text, wanted.name, wanted.labels);
}

/** The value of the one sample named `name` with `labels` among its labels; fails unless exactly one. */
export function singleValue(text: string, name: string, labels: Record<string, string> = {}): number {
  const found = parseMetrics(text).filter(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
  assert.equal(found.length, 1, `${name}${JSON.stringify(labels)}: ${found.length} samples`);
  return found[0].value;
}
