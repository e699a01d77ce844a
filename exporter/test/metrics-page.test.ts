// /metrics is written as the buffers of the models' kept text and this scrape's lines, in one
// corked write (server/send-page.ts). What a scraper checks: the whole page arrives, its
// content-length is the page's length, it is the same text the exporter renders, and a HEAD
// request gets the headers without a body.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { startExporter, postRecords, type RunningExporter } from './helpers/exporter.ts';
import { renderMetrics } from '../src/metrics/collect.ts';

const REFERENCE = fileURLToPath(new URL('./fixtures/reference.csv', import.meta.url));
let exporter: RunningExporter;

before(async () => {
  exporter = await startExporter(`
models:
  - name: m
    reference: { path: ${REFERENCE} }
    windows: [1h, 24h]
    min_samples: 10
`);
  const records = Array.from({ length: 200 }, (_, i) => ({
    model: 'm',
    features: { x: Math.sin(i) * 1.6, level: i % 6, color: ['red', 'green', 'blue'][i % 3] },
  }));
  assert.equal((await postRecords(exporter.url, JSON.stringify(records))).status, 200);
});
after(() => exporter.stop());

/** The model's families but its data age: that and the process families (memory…) move with the clock. */
const modelLines = (page: string) =>
  page
    .split('\n')
    .filter((line) => line.includes('model="m"') && !line.startsWith('mlmon_model_data_age_seconds'))
    .join('\n');

test('GET /metrics: the whole page, its content-length, the text the exporter renders', async () => {
  const response = await fetch(`${exporter.url}/metrics`);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  const body = Buffer.from(await response.arrayBuffer());
  assert.equal(Number(response.headers.get('content-length')), body.length);
  const page = body.toString('utf8');
  assert.ok(page.endsWith('\n'));
  assert.match(page, /^mlmon_feature_psi\{model="m",feature="x",window="1h"\} \S+$/m);
  assert.match(page, /^nodejs_heap_size_used_bytes \S+$/m); // prom-client's families come last
  assert.equal(modelLines(page), modelLines(renderMetrics(exporter.state)));
  // A second scrape, from the kept text, is the same.
  assert.equal(modelLines(await (await fetch(`${exporter.url}/metrics`)).text()), modelLines(page));
});

test('HEAD /metrics: the headers, no body', async () => {
  const { status, length, received } = await new Promise<{ status?: number; length: number; received: number }>(
    (resolve, reject) => {
      const req = request(`${exporter.url}/metrics`, { method: 'HEAD' }, (res) => {
        let received = 0;
        res.on('data', (chunk: Buffer) => (received += chunk.length));
        res.on('end', () =>
          resolve({ status: res.statusCode, length: Number(res.headers['content-length']), received }),
        );
      });
      req.on('error', reject);
      req.end();
    },
  );
  assert.equal(status, 200);
  assert.ok(length > 0);
  assert.equal(received, 0);
});
