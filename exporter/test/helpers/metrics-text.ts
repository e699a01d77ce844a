// Reading a running exporter's /metrics in tests.
import assert from 'node:assert/strict';
import { waitFor } from './processes.ts';

export async function scrapeText(url: string): Promise<string> {
  const response = await fetch(`${url}/metrics`);
  assert.equal(response.status, 200);
  return response.text();
}

/** The value of one sample, matched by name and a subset of its labels; undefined when absent. */
export function valueOf(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const close = line.lastIndexOf(' ');
    const series = line.slice(0, close);
    if (Object.entries(labels).every(([k, v]) => series.includes(`${k}="${v}"`))) return Number(line.slice(close + 1));
  }
  return undefined;
}

/** Scrapes until `check` holds; returns that page. */
export async function scrapeUntil(url: string, what: string, check: (text: string) => boolean, timeoutMs: number) {
  return waitFor(
    what,
    async () => {
      const text = await scrapeText(url);
      return check(text) ? text : undefined;
    },
    timeoutMs,
  );
}
