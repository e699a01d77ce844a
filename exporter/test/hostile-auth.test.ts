// Basic auth under a wrong-password flood, against the real exporter process: the flooding client
// is throttled (429, no bcrypt) after its failures, and a valid user from another address, not yet
// in the cache, is checked ahead of the guesses of clients already failing, while they are still
// being answered. The scraper connects from 127.0.0.2 (loopback too): another client, as
// Prometheus would be; the flooding clients from 127.0.0.1 and 127.0.0.3 onwards.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { valueOf } from '../../testkit/index.ts';
import { waitFor } from '../../testkit/index.ts';
import { configDir, rawGet, startTarget } from './helpers/hostile-process.ts';

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** Prometheus' address: loopback, apart from the flooding clients'. */
const SCRAPER = { from: '127.0.0.2' };

/**
 * The exporter with users alice and bob (bcrypt at `cost`) and `limits` of basic_auth_limits;
 * `asAlice()` scrapes as alice from the scraper's address (verified once, then cached).
 */
async function startWithUsers(t: TestContext, cost: number, limits = '') {
  const { dir, config } = configDir();
  const web = join(dir, 'web.yml');
  writeFileSync(
    web,
    `basic_auth_users:\n  alice: ${bcrypt.hashSync('alice-pw', cost)}\n  bob: ${bcrypt.hashSync('bob-pw', cost)}\n` +
      (limits ? `basic_auth_limits: ${limits}\n` : ''),
  );
  const target = await startTarget(dir, [`--config.file=${config}`, `--web.config.file=${web}`]);
  t.after(() => target.stop());
  const asAlice = async () => {
    const answer = await rawGet(target.port, '/metrics', {
      ...SCRAPER,
      headers: { authorization: basic('alice', 'alice-pw') },
    });
    assert.equal(answer.status, 200);
    return answer.text;
  };
  await asAlice();
  return { target, asAlice };
}

test('a wrong-password flood is throttled and a valid user is answered past it', async (t) => {
  const { target, asAlice } = await startWithUsers(t, 8); // alice's later checks hit the cache, with no bcrypt

  // 20 connections at a time from 127.0.0.1, each guessing alice's password again and again.
  let flooding = true;
  const statuses = new Map<number, number>();
  const flood = Array.from({ length: 20 }, async (_, i) => {
    for (let n = 0; flooding; n++) {
      const { status } = await rawGet(target.port, '/metrics', {
        headers: { authorization: basic('alice', `guess-${i}-${n}`) },
      });
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (status === 429) await new Promise((resolve) => setTimeout(resolve, 20)); // a gentler flood for the shared test machine
    }
  });
  try {
    await waitFor('the flooding client throttled', async () =>
      valueOf(await asAlice(), 'mlmon_http_auth_failures_total', { reason: 'throttled' })! >= 20 ? true : undefined,
    );
    const failedBefore = valueOf(await asAlice(), 'mlmon_http_auth_failures_total', { reason: 'invalid_credentials' })!;
    // bob is not in the cache: his check is a bcrypt comparison, queued with the flood's.
    const bob = await rawGet(target.port, '/metrics', {
      ...SCRAPER,
      headers: { authorization: basic('bob', 'bob-pw') },
    });
    assert.equal(bob.status, 200);
    const failedMeanwhile =
      valueOf(bob.text, 'mlmon_http_auth_failures_total', { reason: 'invalid_credentials' })! - failedBefore;
    assert.ok(failedMeanwhile <= 3, `${failedMeanwhile} wrong-password checks ran before bob's`);
    // A wrong password from another client is still a 401 with its challenge, not a 429.
    const other = await rawGet(target.port, '/metrics', {
      from: '127.0.0.3',
      headers: { authorization: basic('bob', 'nope') },
    });
    assert.equal(other.status, 401);
    assert.match(other.text, /www-authenticate: Basic realm="mlmon"/i);
  } finally {
    flooding = false;
    await Promise.all(flood);
  }
  // At most failures_per_minute (10) wrong guesses, plus those already queued (2) or running (1) then.
  assert.ok((statuses.get(429) ?? 0) > 0 && (statuses.get(401) ?? 0) <= 13, JSON.stringify([...statuses]));
});

test('a valid user not yet in the cache is checked before the waiting guesses of failing clients', async (t) => {
  // No failure limit worth the name: every guess is a bcrypt comparison, one at a time, and each
  // flooding client keeps its two waiting checks queued.
  const { target, asAlice } = await startWithUsers(
    t,
    10,
    '{ failures_per_minute: 1000000, max_concurrent_checks: 1, max_pending_checks_per_client: 2 }',
  );
  const failures = async () =>
    valueOf(await asAlice(), 'mlmon_http_auth_failures_total', { reason: 'invalid_credentials' })!;

  // 8 clients (127.0.0.3–10), 2 connections each, guessing alice's password again and again: each
  // has a check waiting most of the time (2 may wait per client, so none is answered 429 "busy").
  const clients = Array.from({ length: 8 }, (_, i) => `127.0.0.${i + 3}`);
  let flooding = true;
  const answered = new Map<string, number>();
  const flood = clients.flatMap((from) =>
    Array.from({ length: 2 }, async (_, c) => {
      for (let n = 0; flooding; n++) {
        const { status } = await rawGet(target.port, '/metrics', {
          from,
          headers: { authorization: basic('alice', `guess-${c}-${n}`) },
        });
        if (status === 401) answered.set(from, (answered.get(from) ?? 0) + 1);
        else await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }),
  );
  try {
    await waitFor('every flooding client to have failed twice', async () =>
      clients.every((from) => (answered.get(from) ?? 0) >= 2) ? true : undefined,
    );
    const failedBefore = await failures();
    // bob is not in the cache and his address has no failures: his comparison goes before the
    // failing clients' waiting guesses, after at most the one running (round robin between the
    // 8 clients would put up to 8 ahead of him).
    const bob = await rawGet(target.port, '/metrics', {
      ...SCRAPER,
      headers: { authorization: basic('bob', 'bob-pw') },
    });
    assert.equal(bob.status, 200);
    const failedAtBob = valueOf(bob.text, 'mlmon_http_auth_failures_total', { reason: 'invalid_credentials' })!;
    t.diagnostic(`${failedAtBob - failedBefore} wrong-password checks ran before bob's`);
    assert.ok(failedAtBob - failedBefore <= 3, `${failedAtBob - failedBefore} wrong-password checks ran before bob's`);
    // The flood was still being answered when bob was: its guesses go on failing after his answer.
    const answeredAtBob = new Map(answered);
    await waitFor('the flooding clients answered after bob', async () =>
      clients.every((from) => answered.get(from)! > answeredAtBob.get(from)!) ? true : undefined,
    );
    assert.ok((await failures()) > failedAtBob);
  } finally {
    flooding = false;
    await Promise.all(flood);
  }
});
