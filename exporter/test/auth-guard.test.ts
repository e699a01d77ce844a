// The order of bcrypt checks under a flood (FairQueue): clients take turns, clients without
// failures go before failing ones, and the caps turn checks away ('busy') instead of queueing.
// Each check is a task the test ends itself, so the order is observed, not timed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_AUTH_LIMITS, FailureLimiter, FairQueue } from '../src/web/auth-guard.ts';

/** A queue whose checks are ended by the test; `started` lists them in the order they began. */
function harness(limits = {}) {
  const queue = new FairQueue({ ...DEFAULT_AUTH_LIMITS, max_concurrent_checks: 1, ...limits });
  const started: string[] = [];
  const finish = new Map<string, () => void>();
  const submit = (client: string, name: string, failing = false) =>
    queue.run(
      client,
      () =>
        new Promise<string>((resolve) => {
          started.push(name);
          finish.set(name, () => resolve(name));
        }),
      failing,
    );
  /** Ends the running check `name` and lets the queue start the next one. */
  const end = async (name: string) => {
    finish.get(name)!();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { queue, started, submit, end };
}

test('clients take turns: a flooding client with many checks waiting delays another by one check', async () => {
  const { started, submit, end } = harness({ max_pending_checks_per_client: 5 });
  const answers = [submit('a', 'a1'), submit('a', 'a2'), submit('a', 'a3'), submit('a', 'a4'), submit('b', 'b1')];
  await end('a1');
  await end('a2');
  assert.deepEqual(started, ['a1', 'a2', 'b1'], 'b goes after the one check of a waiting before it');
  await end('b1');
  await end('a3');
  await end('a4');
  assert.deepEqual(await Promise.all(answers), ['a1', 'a2', 'a3', 'a4', 'b1']);
});

test('a client without failures goes before the waiting checks of failing clients', async () => {
  const { started, submit, end } = harness();
  const answers = [
    submit('x', 'x1', true), // runs at once
    submit('x', 'x2', true),
    submit('y', 'y1', true),
    submit('z', 'z1', true),
    submit('scraper', 's1'),
  ];
  await end('x1');
  assert.deepEqual(started, ['x1', 's1'], 'the scraper waited only for the check running');
  await end('s1');
  await end('x2');
  await end('y1');
  await end('z1');
  assert.deepEqual(started, ['x1', 's1', 'x2', 'y1', 'z1']);
  await Promise.all(answers);
});

test('caps: per client and in all; a client without failures takes the place of a failing one', async () => {
  const { queue, started, submit, end } = harness({ max_pending_checks: 3, max_pending_checks_per_client: 2 });
  const running = submit('x', 'x1', true);
  const x2 = submit('x', 'x2', true);
  const x3 = submit('x', 'x3', true);
  assert.equal(await submit('x', 'x4', true), 'busy', 'a third waiting check of one client');
  const y1 = submit('y', 'y1', true);
  assert.equal(queue.queued, 3);
  assert.equal(await submit('z', 'z1', true), 'busy', 'a failing client past the total cap');
  const scraper = submit('scraper', 's1');
  assert.equal(await y1, 'busy', "the newest failing check gave its place to the scraper's");
  assert.equal(queue.queued, 3, 'never more waiting than the cap');
  await end('x1');
  await end('s1');
  await end('x2');
  await end('x3');
  assert.deepEqual(started, ['x1', 's1', 'x2', 'x3']);
  assert.deepEqual(await Promise.all([running, scraper, x2, x3]), ['x1', 's1', 'x2', 'x3']);
  // Only failing checks give way: with every waiting check from clients without failures, a new one is busy.
  const full = harness({ max_pending_checks: 2 });
  const held = [full.submit('a', 'a1'), full.submit('b', 'b1'), full.submit('c', 'c1')];
  assert.equal(await full.submit('d', 'd1'), 'busy');
  for (const name of ['a1', 'b1', 'c1']) await full.end(name);
  assert.deepEqual(await Promise.all(held), ['a1', 'b1', 'c1']);
});

test('a client is failing for the minute of its first failure, blocked at failures_per_minute', () => {
  const limiter = new FailureLimiter({ ...DEFAULT_AUTH_LIMITS, failures_per_minute: 2 });
  const t0 = 1_000_000;
  assert.equal(limiter.failing('a', t0), false);
  limiter.failed('a', t0);
  assert.equal(limiter.failing('a', t0 + 59_000), true);
  assert.equal(limiter.blocked('a', t0 + 59_000), false);
  limiter.failed('a', t0 + 1000);
  assert.equal(limiter.blocked('a', t0 + 59_000), true);
  assert.equal(limiter.failing('a', t0 + 60_000), false, 'a new minute: neither failing nor blocked');
  assert.equal(limiter.blocked('a', t0 + 60_000), false);
  assert.equal(limiter.failing('b', t0), false, 'clients are apart');
});
