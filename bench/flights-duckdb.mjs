// The one-shot check's work done inside DuckDB instead, to decide whether a columnar engine pays
// for `mlmon drift` (see the README's benchmark notes): both CSV files loaded with DuckDB's own
// reader and type sniffing (its best case: its NA and number rules are not pandas'), then per
// numeric column the quantile edges, the PSI bin counts, and the exact KS statistic and Wasserstein
// distance from the pooled ECDFs (window sums over the distinct values), per categorical column the
// category counts. Prints the statistics as JSON; time it from outside (bench/flights.mjs --duckdb).
//   node bench/flights-duckdb.mjs REF.csv CUR.csv
// Needs @duckdb/node-api, which is no dependency of mlmon: npm install --no-save @duckdb/node-api
import { DuckDBInstance } from '@duckdb/node-api';

const [refPath, curPath] = process.argv.slice(2);
const K = 10;
const instance = await DuckDBInstance.create(':memory:', { threads: process.env.DUCKDB_THREADS ?? '1' });
const db = await instance.connect();
const rows = async (sql) => (await db.runAndReadAll(sql)).getRowObjectsJS();
const quote = (path) => `'${path.replaceAll("'", "''")}'`;
await db.run(`CREATE TABLE ref AS SELECT * FROM read_csv(${quote(refPath)})`);
await db.run(`CREATE TABLE cur AS SELECT * FROM read_csv(${quote(curPath)})`);

const features = {};
for (const { column_name: name, data_type: type } of await rows(
  "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'ref'",
)) {
  const col = `"${name}"`;
  const [{ nr, nc }] = await rows(
    `SELECT (SELECT count(${col}) FROM ref) AS nr, (SELECT count(${col}) FROM cur) AS nc`,
  );
  if (!/INT|DOUBLE|FLOAT|DECIMAL/.test(type)) {
    const counts = await rows(
      `SELECT v, sum(r)::BIGINT AS r, sum(c)::BIGINT AS c FROM (SELECT ${col} AS v, 1 AS r, 0 AS c FROM ref UNION ALL SELECT ${col}, 0, 1 FROM cur) WHERE v IS NOT NULL GROUP BY v`,
    );
    features[name] = { type: 'categorical', n_reference: Number(nr), n_current: Number(nc), categories: counts.length };
    continue;
  }
  const qs = Array.from({ length: K - 1 }, (_, i) => (i + 1) / K);
  const [{ edges }] = await rows(`SELECT quantile_cont(${col}::DOUBLE, [${qs.join(',')}]) AS edges FROM ref`);
  const unique = [...new Set(edges)].sort((a, b) => a - b);
  const bins = (table) =>
    `SELECT ${[...unique, Infinity]
      .map(
        (e, i) =>
          `count(*) FILTER (WHERE v < ${e === Infinity ? "'inf'::DOUBLE" : e}${i > 0 ? ` AND v >= ${unique[i - 1]}` : ''})::BIGINT AS b${i}`,
      )
      .join(', ')} FROM (SELECT ${col}::DOUBLE AS v FROM ${table} WHERE ${col} IS NOT NULL)`;
  const [refBins] = await rows(bins('ref'));
  const [curBins] = await rows(bins('cur'));
  const [exact] = await rows(`
    WITH pooled AS (
      SELECT v, sum(r) AS r, sum(c) AS c FROM (
        SELECT ${col}::DOUBLE AS v, 1 AS r, 0 AS c FROM ref WHERE ${col} IS NOT NULL
        UNION ALL SELECT ${col}::DOUBLE, 0, 1 FROM cur WHERE ${col} IS NOT NULL) GROUP BY v),
    cdf AS (
      SELECT v, sum(r) OVER (ORDER BY v) / ${nr} AS fr, sum(c) OVER (ORDER BY v) / ${nc} AS fc,
             lead(v) OVER (ORDER BY v) AS next FROM pooled)
    SELECT max(abs(fr - fc)) AS ks, sum(abs(fr - fc) * (next - v)) AS w FROM cdf`);
  features[name] = {
    type: 'numeric',
    n_reference: Number(nr),
    n_current: Number(nc),
    ks_statistic: exact.ks,
    wasserstein: exact.w,
    reference_bins: Object.values(refBins).map(Number),
    current_bins: Object.values(curBins).map(Number),
  };
}
console.log(JSON.stringify({ features }, null, 1));
