// The order of bcrypt checks under a flood (FairQueue): clients take turns, clients without
// failures go before failing ones and, among either, those that asked least; the caps turn checks
// away ('busy') instead of queueing, the least trusted client's first.
// Each check is a task the test ends itself, so the order is observed, not timed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_AUTH_LIMITS, FAILING_RANK, FailureLimiter, FairQueue } from '../src/web/auth-guard.ts';

const FAILING = FAILING_RANK;

/** A queue whose checks are ended by the test; `started` lists them in the order they began. */
function harness(limits = {}) {
  const queue = new FairQueue({ ...DEFAULT_AUTH_LIMITS, max_concurrent_checks: 1, ...limits });
  const started: string[] = [];
  const finish = new Map<string, () => void>();
  const submit = (client: string, name: string, rank = 0) =>
    queue.run(
      client,
      () =>
        new Promise<string>((resolve) => {
          started.push(name);
          finish.set(name, () => resolve(name));
        }),
      rank,
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
    submit('x', 'x1', FAILING + 1), // runs at once
    submit('x', 'x2', FAILING + 2),
    submit('y', 'y1', FAILING + 1),
    submit('z', 'z1', FAILING + 1),
    submit('scraper', 's1', 1),
  ];
  await end('x1');
  assert.deepEqual(started, ['x1', 's1'], 'the scraper waited only for the check running');
  await end('s1');
  await end('y1');
  await end('z1');
  await end('x2');
  assert.deepEqual(started, ['x1', 's1', 'y1', 'z1', 'x2'], 'then the failing clients, those that asked least first');
  await Promise.all(answers);
});

test('among clients without failures, one that asked once goes before addresses that keep asking', async () => {
  const { started, submit, end } = harness();
  const answers = [submit('a', 'a1', 1), submit('b', 'b9', 9), submit('c', 'c7', 7), submit('scraper', 's1', 1)];
  await end('a1');
  await end('s1');
  await end('c7');
  await end('b9');
  assert.deepEqual(started, ['a1', 's1', 'c7', 'b9']);
  await Promise.all(answers);
});

test('caps: per client and in all; a check takes the place of one from a client ranked behind it', async () => {
  const { queue, started, submit, end } = harness({ max_pending_checks: 3, max_pending_checks_per_client: 2 });
  const running = submit('x', 'x1', FAILING + 1);
  const x2 = submit('x', 'x2', FAILING + 2);
  const x3 = submit('x', 'x3', FAILING + 3);
  assert.equal(await submit('x', 'x4', FAILING + 4), 'busy', 'a third waiting check of one client');
  const y1 = submit('y', 'y1', FAILING + 5);
  assert.equal(queue.queued, 3);
  assert.equal(await submit('z', 'z1', FAILING + 9), 'busy', 'past the total cap, ranked behind every waiting one');
  const scraper = submit('scraper', 's1', 1);
  assert.equal(await y1, 'busy', "the newest check of the client ranked last gave its place to the scraper's");
  assert.equal(queue.queued, 3, 'never more waiting than the cap');
  await end('x1');
  await end('s1');
  await end('x2');
  await end('x3');
  assert.deepEqual(started, ['x1', 's1', 'x2', 'x3']);
  assert.deepEqual(await Promise.all([running, scraper, x2, x3]), ['x1', 's1', 'x2', 'x3']);
  // Only a client ranked behind gives way: a check ranked like every waiting one is busy.
  const full = harness({ max_pending_checks: 2 });
  const held = [full.submit('a', 'a1', 1), full.submit('b', 'b1', 1), full.submit('c', 'c1', 1)];
  assert.equal(await full.submit('d', 'd1', 1), 'busy');
  for (const name of ['a1', 'b1', 'c1']) await full.end(name);
  assert.deepEqual(await Promise.all(held), ['a1', 'b1', 'c1']);
});

test('per client and minute: failing after a failure, blocked at failures_per_minute, checks asked counted', () => {
  const limiter = new FailureLimiter({ ...DEFAULT_AUTH_LIMITS, failures_per_minute: 2 });
  const t0 = 1_000_000;
  assert.equal(limiter.asked('a', t0), 1);
  assert.equal(limiter.failing('a', t0), false, 'asking is no failure');
  limiter.failed('a', t0);
  assert.equal(limiter.asked('a', t0 + 1000), 2);
  assert.equal(limiter.failing('a', t0 + 59_000), true);
  assert.equal(limiter.blocked('a', t0 + 59_000), false);
  limiter.failed('a', t0 + 1000);
  assert.equal(limiter.blocked('a', t0 + 59_000), true);
  assert.equal(limiter.failing('a', t0 + 60_000), false, 'a new minute: neither failing nor blocked');
  assert.equal(limiter.blocked('a', t0 + 60_000), false);
  assert.equal(limiter.asked('a', t0 + 60_000), 1, 'and its checks counted afresh');
  assert.equal(limiter.failing('b', t0), false, 'clients are apart');
});
