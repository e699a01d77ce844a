// /metrics reuses each model's rendered statistics between changes. What a user sees must be what
// a fresh computation gives: after new records, and after the window's oldest slice rotates out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { parseConfig } from '../src/config/load.ts';
import { renderMetrics } from '../src/metrics/collect.ts';
import { startState } from '../src/startup.ts';

const REFERENCE = fileURLToPath(new URL('./fixtures/reference.csv', import.meta.url));
const CONFIG = parseConfig(`
models:
  - name: m
    reference: { path: ${REFERENCE} }
    windows: [1h, 24h]
    min_samples: 10
`);
const MINUTE = 60_000;

async function modelState() {
  const { state } = await startState(CONFIG);
  const entry = state.models.get('m')!;
  const send = (count: number, at: number, shift: number, now: number) => {
    for (let i = 0; i < count; i++) {
      const features = { x: Math.sin(i) * 1.6 + shift, level: i % 6, color: ['red', 'green', 'blue'][i % 3] };
      entry.record({ model: 'm', features, timestampMs: at }, now);
    }
  };
  return { state, send };
}

/** The model families: the process families (uptime…) differ between two states. */
const modelLines = (page: string) =>
  page
    .split('\n')
    .filter((line) => line.includes('model="m"'))
    .join('\n');

test('a scrape after new records shows what a fresh computation shows', async () => {
  const now = Date.now();
  const cached = await modelState();
  cached.send(200, now - 30 * MINUTE, 0, now);
  const before = renderMetrics(cached.state, now); // fills the cache
  cached.send(200, now - MINUTE, 1, now);
  const after = renderMetrics(cached.state, now);

  const fresh = await modelState();
  fresh.send(200, now - 30 * MINUTE, 0, now);
  fresh.send(200, now - MINUTE, 1, now);
  assert.notEqual(modelLines(after), modelLines(before), 'the new records move the statistics');
  assert.equal(modelLines(after), modelLines(renderMetrics(fresh.state, now)));
});

test('a scrape after the oldest slice left the window shows what a fresh computation shows', async () => {
  const now = Date.now();
  const cached = await modelState();
  cached.send(200, now - 50 * MINUTE, 0, now);
  cached.send(200, now - MINUTE, 1, now);
  const early = renderMetrics(cached.state, now);
  const later = renderMetrics(cached.state, now + 20 * MINUTE); // the first records left the 1h window

  const fresh = await modelState();
  fresh.send(200, now - 50 * MINUTE, 0, now);
  fresh.send(200, now - MINUTE, 1, now);
  assert.match(later, /mlmon_model_window_records\{model="m",window="1h"\} 200\n/);
  assert.notEqual(modelLines(later), modelLines(early));
  assert.equal(modelLines(later), modelLines(renderMetrics(fresh.state, now + 20 * MINUTE)));
});
