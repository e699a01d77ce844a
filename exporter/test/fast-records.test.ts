// The records route's fast path (flat records read from the bytes, server/fast-records.ts) against
// the path every record took before it (JSON.parse then validateRecord), record for record: random
// and hostile NDJSON batches go to two exporters built from the same config, one with the fast path
// and one without; every answer, every window counter and the whole /metrics page must be the same.
// MLMON_FAST_RECORDS_BATCHES=2000 for a longer run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../src/config/load.ts';
import type { Exporter } from '../src/exporter.ts';
import { renderPage } from '../src/metrics/collect.ts';
import { FastRecords } from '../src/server/fast-records.ts';
import { IngestRun, ingestNdjsonInSteps } from '../src/server/ingest.ts';
import { ingestLabels } from '../src/server/ingest-labels.ts';
import { DEFAULT_LIMITS, recordLimits, type RecordLimits } from '../src/server/limits.ts';
import { ndjsonBody } from '../src/server/parse-body.ts';
import { startState } from '../src/startup.ts';
import { FIXTURES } from './helpers/golden.ts';
import { seededRandom } from './helpers/seeded-random.ts';
import { isLeap, yearFrom } from './helpers/calendar.ts';
import { EDGE_NUMBERS, NOT_NUMBERS } from './helpers/json-number-cases.ts';
import { observeNumberColumn } from '../src/window/observe-column.ts';
import type { Page } from '../src/metrics/exposition.ts';

const BATCHES = Number(process.env.MLMON_FAST_RECORDS_BATCHES ?? 150);
const CONFIG = `
models:
  - name: m
    reference: { path: ${FIXTURES}reference.csv }
    features: [{ name: x }, { name: level }, { name: color, type: categorical }]
    windows: [1h, 24h]
  - name: p
    reference: { path: ${FIXTURES}reference.csv }
    features: [{ name: x }, { name: color, type: categorical }]
    prediction: { name: level }
    labels: { join_buffer: 1000 }
  - name: seg
    reference: { path: ${FIXTURES}reference.csv }
    features: [{ name: x }, { name: level }, { name: color, type: categorical }]
    segments: [color]
ingest: { max_depth: 16, max_records_per_request: 5000 }
`;
/** Generous limits, and tight ones that refuse some of the generated names, values, ids and versions. */
const LIMITS: RecordLimits[] = [
  recordLimits(DEFAULT_LIMITS, 2000),
  { maxFeatures: 3, maxIdBytes: 6, maxModelVersionBytes: 4, maxValueBytes: 5, maxFeatureNameBytes: 4 },
];

/** Random NDJSON lines: mostly flat records in many spellings, with hostile ones and byte damage. */
class LineMaker {
  constructor(
    private readonly random: () => number,
    private readonly now: number,
  ) {}

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)];
  }

  private chance(p: number): boolean {
    return this.random() < p;
  }

  /** Half the records are hostile: only then are bad values, names and fields (and damage) likely. */
  private hostile = true;

  private bad(p: number): boolean {
    return this.hostile && this.chance(p);
  }

  /** JSON whitespace, now and then. */
  private space(): string {
    return this.chance(0.85) ? '' : this.pick([' ', '  ', '\t', '\r', ' \t ']);
  }

  private number(): string {
    const r = this.random();
    if (r < 0.35) return String(Math.round((this.random() * 4 - 1) * 1000) / 1000);
    if (r < 0.5) return String((this.random() - 0.5) * 10 ** Math.floor(this.random() * 40 - 20));
    if (r < 0.6 || !this.hostile) return String(Math.floor(this.random() * 5));
    return this.pick(this.chance(0.3) ? NOT_NUMBERS : EDGE_NUMBERS);
  }

  private category(): string {
    if (!this.hostile) return this.pick(['"red"', '"blue"', '"green"', '"yellow"', '"purple"', '""']);
    return this.pick([
      '"red"',
      '"blue"',
      '"green"',
      '"yellow"',
      '"purple"',
      '""',
      '"Red"',
      '"red "',
      '"r\\u0065d"',
      '"re\\"d"',
      '"rëd"',
      '"red\\n"',
      '"\\u00e9"',
      '"verylongcategory"',
      '"a\tb"',
    ]);
  }

  private value(numeric: boolean): string {
    if (this.bad(0.1)) {
      if (this.chance(0.5)) return numeric ? this.category() : this.number();
      return this.pick(['true', 'false', '[]', '[1]', '{}', '{"a":1}', 'nul', 'nulll', '"', '[[[[1]]]]']);
    }
    if (this.chance(0.08)) return 'null';
    return numeric ? this.number() : this.category();
  }

  private key(name: string): string {
    return `${this.space()}"${name}"${this.space()}:${this.space()}`;
  }

  private object(entries: string[]): string {
    return `{${this.space()}${entries.join(`${this.space()},${this.space()}`)}${this.space()}}`;
  }

  /** Model p's `level` is its prediction, not a feature: clean records of p leave it out. */
  private features(model: string): string {
    const all = model === '"p"' && !this.hostile ? ['x', 'color'] : ['x', 'level', 'color'];
    const names = all.filter(() => this.chance(0.85));
    if (this.bad(0.1)) names.push(this.pick(['y', 'colour', 'X', 'x ', 'lev\\u0065l', 'x\\u0000', 'ä']));
    if (this.bad(0.05)) names.push(this.pick(names.length > 0 ? names : ['x']));
    if (this.chance(0.3)) names.reverse();
    return this.object(names.map((name) => `${this.key(name)}${this.value(name !== 'color')}`));
  }

  private timestamp(): string {
    const at = this.now - Math.floor(this.random() * 30 * 3_600_000) + 60_000;
    // Dates that do not exist this year, and the last leap day, found from now (never literal).
    const year = new Date(this.now).getUTCFullYear();
    const leapYear = yearFrom(year, isLeap, -1);
    const lastLeapDay =
      Date.UTC(leapYear, 1, 29) <= this.now ? `${leapYear}-02-29` : `${yearFrom(leapYear - 1, isLeap, -1)}-02-29`;
    return this.pick([
      `"${new Date(at).toISOString()}"`,
      `"${new Date(at).toISOString().slice(0, 19)}Z"`,
      `"${new Date(at).toISOString().replace('Z', '+00:00')}"`,
      `"${new Date(at).toISOString().replace('T', ' ')}"`,
      `"${new Date(at).toISOString().slice(0, 10)}"`,
      String(at),
      String(at + 0.5),
      '-1',
      `"${year}-02-31T00:00:00Z"`,
      `"${lastLeapDay}T00:00:00Z"`,
      '"not a time"',
      'null',
      `"${new Date(this.now + 86_400_000).toISOString()}"`,
      `"${new Date(at).toISOString().replace('Z', '\\u005a')}"`,
    ]);
  }

  private model(): string {
    if (!this.hostile) return this.pick(['"m"', '"p"']);
    return this.pick(['"m"', '"m"', '"m"', '"p"', '"seg"', '"nope"', '"M"', '"\\u006d"', '1', 'null', '"m "']);
  }

  record(): string {
    this.hostile = this.chance(0.5);
    const fields: string[] = [];
    const model = this.model();
    if (!this.hostile || this.chance(0.97)) fields.push(`${this.key('model')}${model}`);
    if (!this.hostile || this.chance(0.97)) fields.push(`${this.key('features')}${this.features(model)}`);
    if (this.chance(0.25))
      fields.push(
        `${this.key('timestamp')}${this.hostile ? this.timestamp() : '"' + new Date(this.now - 1000).toISOString() + '"'}`,
      );
    if (this.chance(0.15))
      fields.push(`${this.key('id')}${this.pick(['"r1"', '"a-longer-id"', '7', '""', '"\\u0041"'])}`);
    if (this.chance(0.15)) {
      fields.push(`${this.key('model_version')}${this.pick(['"v1"', '"v2"', '"v1"', '"version-9"', '3', '""'])}`);
    }
    if (this.chance(0.3)) {
      const prediction = this.hostile
        ? this.pick(['1', '"red"', 'null', '[1]', '"a-long-class"', 'true'])
        : this.number();
      fields.push(`${this.key('prediction')}${prediction}`);
    }
    if (this.bad(0.03)) fields.push(`${this.key('label')}1`);
    if (this.bad(0.02)) fields.push(`${this.key('scores')}{"a":0.5}`);
    if (this.bad(0.02)) fields.push(`${this.key('extra')}1`);
    if (this.bad(0.02)) fields.push(`${this.key('model')}"m"`);
    if (this.bad(0.2)) fields.reverse();
    return `${this.space()}${this.object(fields)}${this.space()}`;
  }

  /** A line: a record (now and then damaged byte by byte), a blank, or something else entirely. */
  line(): Buffer {
    const r = this.random();
    if (r < 0.03)
      return Buffer.from(this.pick(['', ' ', '\t\r', '\u00a0', '[]', '"m"', '1', 'null', '{}', '{"model":"m"}']));
    if (r < 0.04) return Buffer.from(Array.from({ length: 1 + Math.floor(this.random() * 40) }, () => this.byte()));
    const bytes = Buffer.from(this.record());
    if (!this.hostile || this.chance(0.8)) return bytes;
    const damaged = [...bytes];
    const at = Math.floor(this.random() * (damaged.length + 1));
    const kind = this.random();
    if (kind < 0.3) damaged.splice(at, 1);
    else if (kind < 0.6) damaged.splice(at, 0, this.byte());
    else if (kind < 0.8) damaged[at] = this.byte();
    else damaged.length = at;
    return Buffer.from(damaged);
  }

  /** A byte, often one that JSON or UTF-8 treats specially. */
  private byte(): number {
    return this.chance(0.5)
      ? this.pick([0, 9, 13, 32, 34, 44, 58, 92, 123, 125, 0x7f, 0x80, 0xc3, 0xe9, 0xff])
      : Math.floor(this.random() * 256);
  }
}

async function twoExporters(): Promise<[Exporter, Exporter]> {
  const config = parseConfig(CONFIG);
  const [fast, reference] = await Promise.all([startState(config), startState(config)]);
  return [fast.state, reference.state];
}

/** An object's own data, recursively, as JSON can hold it (typed arrays by their bytes, maps as entries). */
function plain(value: unknown, seen = new Set<unknown>()): unknown {
  if (value === null || typeof value !== 'object') return typeof value === 'number' ? String(value) : value;
  if (seen.has(value)) return '(seen)';
  seen.add(value);
  if (ArrayBuffer.isView(value)) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex');
  if (value instanceof Map) return [...value].map((entry) => plain(entry, seen));
  if (value instanceof Set) return [...value].map((item) => plain(item, seen));
  if (Array.isArray(value)) return value.map((item) => plain(item, seen));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, plain(item, seen)]));
}

/** Everything a model's windows hold, exactly (each Float64Array by its bytes: -0 and NaN compare too). */
function windowState(state: Exporter) {
  return [...state.models].map(([name, entry]) => {
    const w = entry.windows;
    const bytes = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex');
    return {
      name,
      rings: w.snapshotRings.map((ring) => Buffer.from(ring.serialize()).toString('hex')),
      bins: [...w.binObservations].map(([k, v]) => [k, bytes(v)]),
      violations: [...w.violations],
      totals: [w.recordsTotal, w.lateTotal, w.futureTotal, w.unknownFeaturesTotal, w.lastRecordMs, w.modelVersion],
      segments: entry.segments.length,
      // What the predictions fed: performance windows, confidence, the label join buffer.
      predictions: plain([entry.performance, entry.confidence, entry.joinBuffer, entry.labels]),
    };
  });
}

/** The page's lines but the process's own (event-loop lag, config load time), which differ between any two exporters. */
function modelSeries(page: Page): string[] {
  return Buffer.concat(page.chunks)
    .toString()
    .split('\n')
    .filter((line) => !/^mlmon_(event_loop_lag_seconds|config_last_reload_success_timestamp)/.test(line));
}

test(`${BATCHES} random and hostile NDJSON batches: the fast path answers and counts exactly as JSON.parse + validation`, async () => {
  const [fast, reference] = await twoExporters();
  const now = Date.now();
  const maker = new LineMaker(seededRandom(13), now);
  let lines = 0;
  for (let batch = 0; batch < BATCHES; batch++) {
    const size = batch % 7 === 0 ? 1 : 40;
    const body = Buffer.concat(
      Array.from({ length: size }, (_, i) =>
        i === 0 ? maker.line() : Buffer.concat([Buffer.from('\n'), maker.line()]),
      ),
    );
    lines += size;
    const limits = LIMITS[batch % LIMITS.length];
    const options = { maxFeatures: limits.maxFeatures, limits, now: now + batch };
    const answer = await ingestNdjsonInSteps(fast, ndjsonBody(body, 16, 5000), options);
    const expected = await ingestNdjsonInSteps(reference, ndjsonBody(body, 16, 5000), { ...options, fastPath: false });
    assert.deepEqual(answer, expected, `batch ${batch}:\n${body.toString()}`);
  }
  // Labels for the ids sent: a prediction that waited (or not) for its label joins the same way.
  const labels = ['r1', 'a-longer-id', '', 'A', 'nope'].map((id) => ({ value: { model: 'p', id, label: 1 } }));
  assert.deepEqual(ingestLabels(fast, labels, now), ingestLabels(reference, labels, now));
  assert.deepEqual(windowState(fast), windowState(reference));
  assert.deepEqual(modelSeries(await renderPage(fast, now)), modelSeries(await renderPage(reference, now)));
  assert.ok(fast.models.get('m')!.windows.recordsTotal > lines / 10, 'records were counted');
});

test('the fast path takes the flat records of the generated batches, and declines what it must', async () => {
  const [state] = await twoExporters();
  const now = Date.now();
  const maker = new LineMaker(seededRandom(7), now);
  const options = { maxFeatures: 2000, now };
  const fastRecords = new FastRecords(state, new IngestRun(state, options), LIMITS[0]);
  let taken = 0;
  const total = 2000;
  for (let i = 0; i < total; i++) {
    const line = maker.line();
    if (fastRecords.take(line, 0, line.length)) taken++;
  }
  // Clean records of the known models without segments or escapes are most of them.
  assert.ok(taken > total * 0.2, `${taken} of ${total} lines taken`);
  const take = (text: string) => fastRecords.take(Buffer.from(text), 0, Buffer.byteLength(text));
  assert.equal(take('{"model":"m","features":{"x":1.5,"level":2,"color":"red"}}'), true);
  assert.equal(take(' {\t"model" : "m" , "features" : { "x" : -0 , "color" : null } }\r'), true);
  const minuteAgo = new Date(now - 60_000).toISOString();
  assert.equal(take(`{"model":"m","features":{"x":1.5},"timestamp":"${minuteAgo}"}`), true);
  assert.equal(take('{"model":"p","features":{"x":1.5},"prediction":0.5,"id":"r7"}'), true);
  for (const declined of [
    '{"features":{"x":1},"model":"m"}', // model after features
    '{"model":"seg","features":{"x":1}}', // segmented model: routed by value
    '{"model":"p","features":{"x":1},"prediction":1,"label":1}',
    '{"model":"p","features":{"x":1},"prediction":[1]}',
    '{"model":"m","features":{"x":1,"x":2}}',
    '{"model":"m","features":{"x":"1"}}',
    '{"model":"m","features":{"color":"r\\u0065d"}}',
    '{"model":"m","features":{"color":"rëd"}}',
    '{"model":"m","features":{"y":1}}',
    '{"model":"m","features":{"x":01}}',
    '{"model":"m","features":{"x":[1]}}',
    `{"model":"m","features":{"x":1},"timestamp":"${new Date(now).getUTCFullYear()}-02-31T00:00:00Z"}`,
    '{"model":"nope","features":{"x":1}}',
    '{"model":"m","features":{"x":1}} x',
    '',
  ]) {
    assert.equal(take(declined), false, declined);
  }
});

test('a body decoded line by line gives the lines of the body decoded whole, whatever its bytes', () => {
  const random = seededRandom(3);
  for (let run = 0; run < 2000; run++) {
    const bytes = Buffer.from(
      Array.from({ length: Math.floor(random() * 64) }, () =>
        random() < 0.2 ? 10 : random() < 0.5 ? 0x80 + Math.floor(random() * 128) : Math.floor(random() * 256),
      ),
    );
    const lines: string[] = [];
    for (let start = 0; start <= bytes.length;) {
      let end = bytes.indexOf(10, start);
      if (end < 0) end = bytes.length;
      lines.push(bytes.toString('utf8', start, end));
      start = end + 1;
    }
    assert.deepEqual(lines, bytes.toString('utf8').split('\n'), bytes.toString('hex'));
  }
});

test('numbers of flat records still waiting in their columns are counted before a columnar reader’s', async () => {
  const [fast, reference] = await twoExporters();
  const now = Date.now();
  const lines = Array.from({ length: 10 }, (_, i) => `{"model":"m","features":{"x":${i / 7},"level":${i * 1.1}}}`);
  const body = Buffer.from(lines.join('\n'));
  for (const [state, fastPath] of [
    [fast, true],
    [reference, false],
  ] as const) {
    await ingestNdjsonInSteps(state, ndjsonBody(body, 16), { maxFeatures: 2000, now, fastPath });
    const windows = state.models.get('m')!.windows;
    windows.startRecords(undefined, now, undefined, 3);
    const x = windows.layout.features.findIndex((slot) => slot.name === 'x');
    // Sums in another order come out otherwise: the small numbers vanish beside 1e17 or survive it.
    observeNumberColumn(windows.columnTarget, x, Float64Array.from([1e17, -1e17, 0.5]), 3);
  }
  assert.deepEqual(windowState(fast), windowState(reference));
});
