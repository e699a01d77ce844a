import { readFileSync } from 'node:fs';
import pg from 'pg';
import { parseConfig } from './src/config/load.ts';
import { startState } from './src/startup.ts';
import { aggregateQuery, planSlots } from './src/sources/postgres-sql.ts';
const info = JSON.parse(readFileSync('/tmp/pgdev/info.json', 'utf8'));
const cfg = parseConfig(`
models:
  - name: million
    reference: { path: test/fixtures/reference.csv }
    windows: [1h]
sources:
  - type: postgres
    name: m
    model: million
    connection: { port: ${info.port}, database: inference, user: postgres }
    table: million
    columns: { timestamp: ts, sequence: id }
`);
const { state } = await startState({ ...cfg, sources: [] });
const ms = state.models.get('million')!.state;
const planned = planSlots(cfg.sources[0] as any, ms);
const q = aggregateQuery(cfg.sources[0] as any, planned, ms.finestSliceMs, 3600000, { upTo: '99999999' });
const db = new pg.Client({ port: info.port, host: '127.0.0.1', user: 'postgres', password: info.password, database: 'inference' });
await db.connect();
if (process.argv[2]) console.log(q.text);
const mode = process.argv[3] ?? '';
for (const stmt of (process.env.PRE ?? '').split(';').filter(Boolean)) await db.query(stmt);
const t = Date.now();
const r = await db.query(`EXPLAIN (ANALYZE, BUFFERS) ${q.text}`, q.values);
console.log(r.rows.map((x: any) => x['QUERY PLAN']).join('\n'));
console.log('ms', Date.now() - t);
await db.end();
