// Property-based fuzzing of POST /api/v1/records and /api/v1/labels (fast-check): malformed and
// truncated JSON and NDJSON, wrong types, huge and tiny numbers, NaN/Infinity spellings, deep
// nesting, enormous keys, invalid UTF-8, duplicate ids. Every answer must be a 2xx/4xx with a
// JSON body, the server must keep serving, and memory must come back to its baseline.
// MLMON_FUZZ_RUNS=100000 for a longer run (default 10,000 per endpoint family).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { parseConfig } from '../src/config/load.ts';
import { buildApp } from '../src/server/app.ts';
import { startState } from '../src/startup.ts';
import { FIXTURES } from './helpers/golden.ts';

const RUNS = Number(process.env.MLMON_FUZZ_RUNS ?? 10_000);
let app: FastifyInstance;

before(async () => {
  const config = parseConfig(`
models:
  - name: m
    reference: { path: ${FIXTURES}reference.csv }
    features: [{ name: x }, { name: level }, { name: color, type: categorical }]
    prediction: { name: level }
    labels: { join_buffer: 1000 }
ingest: { max_request_bytes: 65536, max_depth: 16 }
`);
  const { state } = await startState(config);
  app = buildApp(state, config.ingest);
  await app.ready();
});
after(() => app?.close());

const ALLOWED = new Set([200, 400, 404, 413, 415]);

async function send(url: string, payload: string | Buffer, contentType: string) {
  const response = await app.inject({ method: 'POST', url, payload, headers: { 'content-type': contentType } });
  assert.ok(ALLOWED.has(response.statusCode), `status ${response.statusCode} for ${String(payload).slice(0, 200)}`);
  const body = JSON.parse(response.body) as { accepted: unknown; rejected: unknown };
  assert.equal(typeof body.accepted, 'number', response.body);
  assert.ok(Array.isArray(body.rejected), response.body);
  return response.statusCode;
}

const special = fc.constantFrom(
  'NaN',
  'Infinity',
  '-Infinity',
  '1e999',
  '-1e999',
  '1e-400',
  'nan',
  'inf',
  '0x10',
  '1_000',
);
const value = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.string(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(Number.MAX_VALUE, Number.MIN_VALUE, -0, 1e308, 5e-324),
  fc.json(),
);
const features = fc.dictionary(fc.oneof(fc.constantFrom('x', 'level', 'color'), fc.string({ maxLength: 200 })), value, {
  maxKeys: 30,
});
const record = fc.record(
  {
    model: fc.oneof(fc.constant('m'), fc.string(), value),
    features: fc.oneof(features, value),
    prediction: value,
    scores: fc.oneof(fc.dictionary(fc.string(), value, { maxKeys: 5 }), value),
    label: value,
    id: fc.oneof(fc.constantFrom('dup-1', 'dup-2'), fc.string(), value),
    timestamp: fc.oneof(
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      fc.integer(),
      fc.string(),
      value,
    ),
    model_version: value,
  },
  { requiredKeys: [] },
);

/** Ways to break a JSON text: truncate it, splice a special number in, nest it, or corrupt bytes. */
const mangled = fc
  .tuple(fc.array(record, { maxLength: 20 }), fc.nat(), special, fc.nat({ max: 40 }), fc.nat(4))
  .map(([records, cut, spelling, depth, how]): string | Buffer => {
    const text = JSON.stringify(records);
    switch (how) {
      case 0:
        return text.slice(0, cut % (text.length + 1));
      case 1:
        return text.replace(/\d+(\.\d+)?/, spelling);
      case 2:
        return '['.repeat(depth) + text + ']'.repeat(depth);
      case 3: {
        const bytes = Buffer.from(text);
        if (bytes.length > 0) bytes[cut % bytes.length] = 0xff; // invalid UTF-8
        return bytes;
      }
      default:
        return `{"model":"m","features":{"${'k'.repeat(70_000)}":1}}`; // enormous key, over the limit
    }
  });

function heapUsed(): number {
  setFlagsFromString('--expose_gc');
  (runInNewContext('gc') as () => void)();
  return process.memoryUsage().heapUsed;
}

test(`records: ${RUNS} generated batches, JSON and NDJSON, each answered 2xx/4xx with a JSON body`, async () => {
  const baseline = heapUsed();
  await fc.assert(
    fc.asyncProperty(fc.array(record, { maxLength: 30 }), fc.boolean(), async (records, ndjson) => {
      if (ndjson)
        await send('/api/v1/records', records.map((r) => JSON.stringify(r)).join('\n'), 'application/x-ndjson');
      else await send('/api/v1/records', JSON.stringify(records), 'application/json');
    }),
    { numRuns: RUNS / 2 },
  );
  await fc.assert(
    fc.asyncProperty(
      mangled,
      fc.constantFrom('application/json', 'application/x-ndjson', 'text/plain'),
      async (body, type) => {
        await send('/api/v1/records', body, type);
      },
    ),
    { numRuns: RUNS / 2 },
  );
  const grown = heapUsed() - baseline;
  assert.ok(grown < 32 * 1024 * 1024, `heap grew by ${(grown / 1048576).toFixed(1)} MiB`);
});

test(`labels: ${RUNS} generated batches, each answered 2xx/4xx with a JSON body`, async () => {
  const label = fc.record(
    {
      model: fc.oneof(fc.constant('m'), value),
      id: fc.oneof(fc.constantFrom('dup-1', 'dup-2'), value),
      label: value,
      timestamp: value,
    },
    { requiredKeys: [] },
  );
  await fc.assert(
    fc.asyncProperty(fc.array(label, { maxLength: 30 }), fc.boolean(), async (labels, ndjson) => {
      if (ndjson) await send('/api/v1/labels', labels.map((l) => JSON.stringify(l)).join('\n'), 'application/x-ndjson');
      else await send('/api/v1/labels', JSON.stringify(labels), 'application/json');
    }),
    { numRuns: RUNS },
  );
});

test('after the fuzzing the exporter still answers and its metrics are well formed', async () => {
  assert.equal((await app.inject({ method: 'GET', url: '/-/healthy' })).statusCode, 200);
  const metrics = await app.inject({ method: 'GET', url: '/metrics' });
  assert.equal(metrics.statusCode, 200);
  assert.ok(!/ NaN$/m.test(metrics.body));
  assert.match(metrics.body, /mlmon_records_rejected_total\{reason="invalid_json"\} \d+/);
});
