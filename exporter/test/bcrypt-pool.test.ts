// bcrypt comparisons in worker threads (BcryptPool): right answers, a malformed hash is a mismatch,
// and the event loop keeps turning while a comparison runs. bcryptjs on the event loop turns it
// only between slices of up to 100 ms, so a cost-12 comparison (hundreds of ms) would let a
// handful of turns through where the pool lets thousands: turns are counted, not timed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import bcrypt from 'bcryptjs';
import { BcryptPool } from '../src/web/bcrypt-pool.ts';

test('the pool compares like bcryptjs, a malformed hash never matches, close answers what waits', async (t) => {
  const pool = new BcryptPool(2);
  t.after(() => pool.close());
  const hash = bcrypt.hashSync('right', 4);
  const answers = await Promise.all([
    pool.compare('right', hash),
    pool.compare('wrong', hash),
    pool.compare('right', 'not a bcrypt hash'),
    pool.compare('right', hash), // a third at once waits for a free worker
  ]);
  assert.deepEqual(answers, [true, false, false, true]);
  const slow = bcrypt.hashSync('right', 12);
  const pending = [pool.compare('right', slow), pool.compare('right', slow), pool.compare('right', slow)];
  await pool.close();
  assert.deepEqual(await Promise.all(pending), [false, false, false], 'stopped, nothing is let through');
  assert.equal(await pool.compare('right', hash), true, 'after close, comparisons run on the event loop');
});

test('the event loop keeps turning while a comparison runs in the pool', async (t) => {
  const pool = new BcryptPool(1);
  t.after(() => pool.close());
  const hash = bcrypt.hashSync('right', 12);
  assert.equal(await pool.compare('right', hash), true); // the worker is up
  let turns = 0;
  let comparing = true;
  const spin = () => {
    turns++;
    if (comparing) setImmediate(spin);
  };
  const answer = pool.compare('right', hash).finally(() => (comparing = false));
  setImmediate(spin);
  assert.equal(await answer, true);
  t.diagnostic(`${turns} turns`);
  assert.ok(turns >= 200, `${turns} turns of the event loop during one cost-12 comparison`);
});
