import { startPostgres } from './test/helpers/postgres.ts';
import { writeFileSync } from 'node:fs';
const s = await startPostgres();
await s.createDatabase('inference');
const db = await s.connect('inference');
await db.query(`CREATE TABLE million (id bigserial PRIMARY KEY, ts timestamptz NOT NULL DEFAULT now(), x double precision, level double precision, color text)`);
await db.query(`INSERT INTO million (ts, x, level, color)
    SELECT now() - (g % 3000) * interval '1 second',
      CASE WHEN g % 997 = 0 THEN NULL WHEN g % 1009 = 0 THEN 'NaN' ELSE round((sin(g) * 1.6 + 0.3)::numeric, 2)::float8 END,
      ((g * 7) % 6)::float8,
      (ARRAY['red', 'green', 'blue', 'yellow', 'purple', NULL])[1 + g % 6]
    FROM generate_series(1, 1000000) AS g`);
await db.query('VACUUM ANALYZE million');
writeFileSync('/tmp/pgdev/info.json', JSON.stringify({ port: s.port, password: s.password, dir: s.dir }));
console.log('ready', s.port);
await new Promise(() => {});
