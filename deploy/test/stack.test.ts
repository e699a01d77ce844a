// `npm run stack` (scripts/stack.mjs), briefly: it starts, Prometheus scrapes every target of the
// stack's config (exporter, demo model, Alertmanager, itself) and loads the rules, the traffic
// reaches the exporter (with the ingest token its web config asks for), and SIGINT (Ctrl-C) stops
// every process it started.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ROOT, spawnManaged, waitFor, type Managed } from '../../testkit/index.ts';

let stack: Managed | undefined;
after(async () => {
  await stack?.stop('SIGKILL');
});

test('npm run stack: targets up in Prometheus, rules loaded, traffic flowing, Ctrl-C stops it all', async () => {
  stack = spawnManaged(
    process.execPath,
    [join(ROOT, 'scripts/stack.mjs'), '--free-ports', '--scrape-interval=1s', '--scenario=data-drift'],
    { cwd: ROOT },
  );
  const urls = await waitFor(
    'the stack to print its URLs',
    async () => {
      if (stack!.exited()) throw new Error(`stack exited:\n${stack!.output()}`);
      const out = stack!.output();
      if (!out.includes('mlmon stack ready')) return undefined;
      return Object.fromEntries(
        [...out.matchAll(/^ {2}(Prometheus|Alertmanager|exporter|demo model|webhook)\s+(http:\S+)/gm)].map((m) => [
          m[1],
          m[2],
        ]),
      );
    },
    90_000,
  );
  assert.equal(Object.keys(urls).length, 5, stack.output());
  const prometheus = urls.Prometheus;
  const targets = await waitFor(
    'every target up',
    async () => {
      const body = await (await fetch(`${prometheus}/api/v1/targets?state=active`)).json();
      const active = body.data.activeTargets as { labels: { job: string }; health: string }[];
      return active.length > 0 && active.every((t) => t.health === 'up') ? active : undefined;
    },
    30_000,
  );
  assert.deepEqual(targets.map((t) => t.labels.job).sort(), [
    'alertmanager',
    'demo-model',
    'mlmon-exporter',
    'prometheus',
  ]);
  const rules = await (await fetch(`${prometheus}/api/v1/rules`)).json();
  assert.ok(rules.data.groups.length >= 2, 'rule groups loaded');
  const alertmanagers = await (await fetch(`${prometheus}/api/v1/alertmanagers`)).json();
  assert.equal(alertmanagers.data.activeAlertmanagers.length, 1);
  // The traffic generator → demo model → exporter path.
  await waitFor(
    'records from the demo model in the exporter',
    async () => {
      const metrics = await (await fetch(`${urls.exporter}/metrics`)).text();
      return /mlmon_records_total\{model="credit-risk"[^}]*\} [1-9]/.test(metrics) ? true : undefined;
    },
    30_000,
  );
  // The exporter runs with the compose web config: ingest without the token is refused, the demo
  // model's and the traffic generator's requests never were (they send the token), scrapes are open.
  const anonymous = await fetch(`${urls.exporter}/api/v1/records`, { method: 'POST', body: '{}' });
  assert.equal(anonymous.status, 401);
  const metrics = await (await fetch(`${urls.exporter}/metrics`)).text();
  assert.match(metrics, /^mlmon_http_auth_failures_total\{reason="missing_credentials"\} 1$/m);
  assert.match(metrics, /^mlmon_http_auth_failures_total\{reason="invalid_credentials"\} 0$/m);
  const code = await stack.stop('SIGINT');
  assert.equal(code, 0, stack.output());
  assert.match(stack.output(), /mlmon stack stopped/);
  for (const url of Object.values(urls)) {
    await assert.rejects(fetch(url), `${url} still answers after Ctrl-C`);
  }
});
