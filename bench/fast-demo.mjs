#!/usr/bin/env node
// Times the fast demo a newcomer runs: `npm run stack -- --fast` (free ports), from the start
// until Prometheus has a drift alert firing and until Alertmanager passed it to the retraining
// webhook. Prints both, in seconds; the README quotes them.
//   node bench/fast-demo.mjs [--limit=600]
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { limit: { type: 'string', default: '600' } } });
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const started = Date.now();
const seconds = () => ((Date.now() - started) / 1000).toFixed(0);
const stack = spawn(process.execPath, ['scripts/stack.mjs', '--fast', '--free-ports'], {
  cwd: ROOT,
  env: { ...process.env, MLMON_STACK_VERBOSE: '1' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
let output = '';
let firing;
let delivered;
stack.stdout.on('data', (chunk) => {
  output += chunk;
  // The adapter logs each retraining request it receives.
  if (!delivered && /\[alert-receiver\] retrain: \{/.test(output)) {
    delivered = seconds();
    console.log(`retraining request at the webhook: ${delivered} s`);
  }
});
const prometheusUrl = async () => /Prometheus\s+(http:\/\/\S+)/.exec(output)?.[1];
const timer = setInterval(async () => {
  if (Date.now() - started > Number(values.limit) * 1000) finish(1, `no alert within ${values.limit} s`);
  if (firing && delivered) return finish(0);
  const url = await prometheusUrl();
  if (!url || firing) return;
  try {
    const body = await (await fetch(`${url}/api/v1/alerts`)).json();
    const alert = body.data.alerts.find((a) => a.state === 'firing' && /Drift/.test(a.labels.alertname));
    if (alert) {
      firing = seconds();
      console.log(`${alert.labels.alertname} firing in Prometheus: ${firing} s`);
    }
  } catch {
    // not up yet
  }
}, 1000);

let finished = false;
function finish(code, message) {
  if (finished) return;
  finished = true;
  clearInterval(timer);
  if (message) console.error(message);
  console.log(`fast demo: alert firing ${firing ?? '-'} s, at the webhook ${delivered ?? '-'} s after start`);
  stack.once('exit', () => process.exit(code));
  stack.kill('SIGINT');
}
