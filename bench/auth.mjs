// Cost of one credential check of --web.config.file, side by side: basic auth against bcrypt
// hashes uncached (the first request of a user, every wrong password, every unknown user) and
// cached (every later request with the right password), at bcrypt costs 10 and 12, and an ingest
// bearer-token check. Runs the exporter's own code (src/web/) through tsx, in this process.
//   node bench/auth.mjs [--slow-runs 20] [--fast-runs 200000]
import { parseArgs } from 'node:util';
import { register } from 'tsx/esm/api';

register();
const { default: bcrypt } = await import('bcryptjs');
const { BasicAuth } = await import('../exporter/src/web/basic-auth.ts');
const { BearerAuth } = await import('../exporter/src/web/bearer-auth.ts');

const { values } = parseArgs({
  options: { 'slow-runs': { type: 'string', default: '20' }, 'fast-runs': { type: 'string', default: '200000' } },
});
const SLOW = Number(values['slow-runs']);
const FAST = Number(values['fast-runs']);
const basic = (user, password) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** Median and 95th percentile of per-call times (ms) of `runs` calls, one after another. */
async function time(runs, call) {
  const ms = [];
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    await call(i);
    ms.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  ms.sort((a, b) => a - b);
  return { median: ms[Math.floor(runs / 2)], p95: ms[Math.floor(runs * 0.95)] };
}

const rows = [];
for (const cost of [10, 12]) {
  const hash = bcrypt.hashSync('the-password', cost);
  const auth = new BasicAuth({ prometheus: hash });
  const right = basic('prometheus', 'the-password');
  const uncached = await time(SLOW, () => new BasicAuth({ prometheus: hash }).check(right));
  await auth.check(right);
  const cached = await time(FAST, () => auth.check(right));
  const wrong = await time(SLOW, () => auth.check(basic('prometheus', 'wrong')));
  const unknown = await time(SLOW, () => auth.check(basic('nobody', 'wrong')));
  rows.push([`basic auth, bcrypt cost ${cost}: right password, uncached`, uncached, SLOW]);
  rows.push([`basic auth, bcrypt cost ${cost}: right password, cached`, cached, FAST]);
  rows.push([`basic auth, bcrypt cost ${cost}: wrong password`, wrong, SLOW]);
  rows.push([`basic auth, bcrypt cost ${cost}: unknown user (fake hash)`, unknown, SLOW]);
}
process.env.MLMON_BENCH_TOKENS = Array.from({ length: 10 }, (_, i) => `token-${i}-${'x'.repeat(32)}`).join(',');
const bearer = new BearerAuth({ env: 'MLMON_BENCH_TOKENS' });
const token = `Bearer token-9-${'x'.repeat(32)}`;
rows.push(['bearer token, 10 configured (constant time)', await time(FAST, () => bearer.check(token)), FAST]);

const width = Math.max(...rows.map(([name]) => name.length));
console.log(`${'check'.padEnd(width)}  ${'median'.padStart(10)}  ${'p95'.padStart(10)}  runs`);
for (const [name, { median, p95 }, runs] of rows) {
  const fmt = (ms) => (ms >= 1 ? `${ms.toFixed(1)} ms` : `${(ms * 1000).toFixed(1)} µs`).padStart(10);
  console.log(`${name.padEnd(width)}  ${fmt(median)}  ${fmt(p95)}  ${runs}`);
}
console.log(`node ${process.version}, bcryptjs (pure JavaScript); comparisons run one at a time.`);
