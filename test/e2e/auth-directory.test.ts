/**
 * SearchUsers and GetUserProfile over real gRPC, the identity input rules, and
 * the throttles (failed logins per account and per address, registrations and
 * searches per address) with their default and configured limits.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import type { TestNatsServer } from '../support/nats.ts';
import { startTestGuardyn, uniqueName, type TestGuardyn, useGuardyn } from '../support/guardyn.ts';
import { bearer } from '../../gateways/grpc/client.ts';

const PASSWORD = 'correct horse battery';

interface Account {
  userId: string;
  token: string;
  username: string;
}

async function registerUser(g: TestGuardyn, username = uniqueName(), metadata?: grpc.Metadata): Promise<Account> {
  const r = await g.auth.Register!({ username, password: PASSWORD, email: `${username}@example.org` }, metadata);
  assert.equal(r.result, 'success', JSON.stringify(r.error));
  return { userId: r.success.user_id, token: r.success.access_token, username };
}

/** A metadata set that (with GUARDYN_LIMITS__CLIENT_ADDRESS_HEADER=x-forwarded-for) comes from `ip`. */
function fromAddress(ip: string, token?: string): grpc.Metadata {
  const md = token === undefined ? new grpc.Metadata() : bearer(token);
  md.set('x-forwarded-for', ip);
  return md;
}

type SearchHit = { user_id: string; username: string; created_at: { seconds: string } };

/** Every page of a search, following next_cursor. */
async function searchAll(g: TestGuardyn, who: Account, query: string, limit: number) {
  const pages: SearchHit[][] = [];
  let cursor = '';
  for (;;) {
    const r = await g.auth.SearchUsers!({ access_token: who.token, query, limit, cursor });
    assert.equal(r.result, 'success', JSON.stringify(r.error));
    pages.push(r.success.users);
    assert.equal(r.success.has_more, r.success.next_cursor !== '', 'has_more exactly when there is a next cursor');
    if (!r.success.has_more) return pages;
    cursor = r.success.next_cursor;
    assert.ok(pages.length < 100, 'pagination terminates');
  }
}

/** Waits (bounded) until the users view lists `count` users for the query. */
async function untilIndexed(g: TestGuardyn, who: Account, query: string, count: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const r = await g.auth.SearchUsers!({ access_token: who.token, query, limit: 100 });
    if (r.success?.users.length === count) return;
    if (Date.now() > deadline)
      assert.fail(`the users view did not reach ${count} users for ${query}: ${JSON.stringify(r)}`);
    await sleep(25);
  }
}

describe('the user directory and the throttles over gRPC', () => {
  let nats: TestNatsServer;
  let g: TestGuardyn;

  useGuardyn((started) => ({ nats, g } = started));

  it('SearchUsers finds by prefix case-insensitively over several pages, without gap or repeat, never listing the caller', async () => {
    const stem = `Dir${randomBytes(3).toString('hex')}`;
    // 25 matching users with mixed-case names, plus near misses that must not match.
    const names = Array.from(
      { length: 25 },
      (_, i) => `${i % 2 === 0 ? stem.toUpperCase() : stem.toLowerCase()}_${String(i).padStart(2, '0')}`,
    );
    const misses = [`${stem.slice(0, -1)}_x`, `${stem.slice(0, -1)}z_${'0'.repeat(3)}`, `x${stem}`];
    const accounts = await Promise.all([...names, ...misses].map((n) => registerUser(g, n)));
    const caller = accounts[3]!; // sorts onto the first page
    const expected = names
      .filter((n) => n !== caller.username)
      .sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
    await untilIndexed(g, caller, stem, 24);

    for (const query of [stem.toLowerCase(), stem.toUpperCase(), stem]) {
      const pages = await searchAll(g, caller, query, 10);
      assert.deepEqual(
        pages.map((p) => p.length),
        [10, 10, 4],
        'full pages even though the caller would have been on the first',
      );
      const listed = pages.flat();
      assert.deepEqual(
        listed.map((u) => u.username),
        expected,
        'ordered by username, display form kept, no gap, no repeat',
      );
      assert.ok(
        listed.every((u) => u.user_id !== caller.userId),
        'the caller is never listed',
      );
    }
    const byName = new Map(accounts.map((a) => [a.username, a]));
    const [first] = (await searchAll(g, caller, stem, 1))[0]!;
    assert.ok(first);
    assert.deepEqual(Object.keys(first).sort(), ['created_at', 'user_id', 'username'], 'only public fields');
    assert.equal(first.user_id, byName.get(first.username)?.userId);
    assert.ok(Math.abs(Number(first.created_at.seconds) - Date.now() / 1000) < 120);

    // A narrower prefix, the default limit, and a prefix nobody has.
    const narrow = await g.auth.SearchUsers!({ query: `${stem}_1` }, bearer(caller.token));
    assert.deepEqual(
      narrow.success.users.map((u: SearchHit) => u.username),
      expected.filter((n) => n.toLowerCase().startsWith(`${stem}_1`.toLowerCase())),
    );
    const all = await g.auth.SearchUsers!({ access_token: caller.token, query: stem });
    assert.equal(all.success.users.length, 20, 'default limit 20');
    assert.equal(all.success.has_more, true);
    const none = await g.auth.SearchUsers!({ access_token: caller.token, query: `${stem}_99` });
    assert.deepEqual([none.success.users.length, none.success.has_more, none.success.next_cursor], [0, false, '']);
    // Another user sees the caller.
    const other = accounts[0]!;
    const seen = (await searchAll(g, other, stem, 100)).flat().map((u) => u.user_id);
    assert.ok(seen.includes(caller.userId));
    assert.ok(!seen.includes(other.userId));
  });

  it('SearchUsers refuses missing tokens and malformed input, naming the field', async () => {
    const a = await registerUser(g);
    assert.equal((await g.auth.SearchUsers!({ query: 'abc' })).error.code, 'UNAUTHORIZED');
    assert.equal((await g.auth.SearchUsers!({ query: 'abc', access_token: 'x.y.z' })).error.code, 'UNAUTHORIZED');
    await Promise.all([registerUser(g, uniqueName('curs')), registerUser(g, uniqueName('curs'))]);
    await untilIndexed(g, a, 'curs', 2);
    const first = await g.auth.SearchUsers!({ access_token: a.token, query: 'curs', limit: 1 });
    const cases: [Record<string, unknown>, string][] = [
      [{ query: '' }, 'query'],
      [{ query: 'a b' }, 'query'],
      [{ query: 'a%' }, 'query'],
      [{ query: 'a.b' }, 'query'],
      [{ query: 'x'.repeat(33) }, 'query'],
      [{ query: 'abc', limit: 101 }, 'limit'],
      [{ query: 'abc', cursor: 'garbage!' }, 'cursor'],
      [{ query: 'abc', cursor: 'x'.repeat(129) }, 'cursor'],
      [{ query: 'zzz', cursor: first.success.next_cursor }, 'cursor'],
    ];
    assert.notEqual(first.success.next_cursor, '', 'a second page exists');
    for (const [request, field] of cases) {
      const r = await g.auth.SearchUsers!({ access_token: a.token, ...request });
      assert.equal(r.error?.code, 'INVALID_REQUEST', JSON.stringify(request));
      assert.equal(r.error.details.field, field);
    }
  });

  it('GetUserProfile: authenticated; email and last_seen for oneself only; NOT_FOUND for unknown users', async () => {
    const a = await registerUser(g);
    const b = await registerUser(g);
    await untilIndexed(g, a, b.username, 1);
    const own = await g.auth.GetUserProfile!({ user_id: a.userId }, bearer(a.token));
    assert.equal(own.result, 'success', JSON.stringify(own.error));
    assert.equal(own.success.username, a.username);
    assert.equal(own.success.email, `${a.username}@example.org`);
    assert.ok(own.success.created_at);
    assert.ok(Math.abs(Number(own.success.last_seen.seconds) - Date.now() / 1000) < 60);
    const other = await g.auth.GetUserProfile!({ user_id: b.userId }, bearer(a.token));
    assert.equal(other.success.user_id, b.userId);
    assert.equal(other.success.username, b.username);
    assert.equal(other.success.email, '', "another user's email is never shown");
    assert.equal(other.success.last_seen, null);
    assert.equal(
      (await g.auth.GetUserProfile!({ user_id: '00000000-0000-4000-8000-000000000000' }, bearer(a.token))).error.code,
      'NOT_FOUND',
    );
    const bad = await g.auth.GetUserProfile!({ user_id: 'not-a-uuid' }, bearer(a.token));
    assert.deepEqual([bad.error.code, bad.error.details.field], ['INVALID_REQUEST', 'user_id']);
    assert.equal((await g.auth.GetUserProfile!({ user_id: b.userId })).error.code, 'UNAUTHORIZED');
  });

  it('enforces the username and password rules, and still lets older credentials sign in', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ username: 'dotted.name', password: PASSWORD }, 'username'],
      [{ username: 'dashed-name', password: PASSWORD }, 'username'],
      [{ username: 'ab', password: PASSWORD }, 'username'],
      [{ username: 'x'.repeat(33), password: PASSWORD }, 'username'],
      [{ username: uniqueName(), password: '12345678901' }, 'password'],
      [{ username: uniqueName(), password: 'p'.repeat(129) }, 'password'],
    ];
    for (const [request, field] of cases) {
      const r = await g.auth.Register!(request);
      assert.equal(r.error?.code, 'INVALID_REQUEST', JSON.stringify(request));
      assert.equal(r.error.details.field, field);
    }
    assert.equal(
      (await g.auth.Register!({ username: uniqueName('ok'), password: '123456789012' })).result,
      'success',
      '12 characters are enough',
    );
    // A login is not refused for a name or password an older rule allowed: it is simply checked.
    const legacy = await g.auth.Login!({ username: 'old.style-name', password: 'short' });
    assert.equal(legacy.error.code, 'UNAUTHORIZED');
    const empty = await g.auth.Login!({ username: 'someone', password: '' });
    assert.deepEqual([empty.error.code, empty.error.details.field], ['INVALID_REQUEST', 'password']);
  });

  it('brute force: after 10 failed logins within 15 minutes a new device is RATE_LIMITED, even with the right password', async () => {
    const victim = await registerUser(g);
    for (let i = 0; i < 10; i++) {
      const r = await g.auth.Login!({ username: victim.username, password: `wrong password ${i}` });
      assert.equal(r.error?.code, 'UNAUTHORIZED', `attempt ${i + 1}`);
    }
    for (const username of [victim.username, victim.username.toUpperCase()]) {
      const r = await g.auth.Login!({ username, password: PASSWORD });
      assert.equal(r.error?.code, 'RATE_LIMITED', JSON.stringify(r));
      const retry = Number(r.error.details.retry_after_seconds);
      assert.ok(retry > 800 && retry <= 900, `retry after ${retry} s`);
    }
    // An unknown name is throttled the same way (no hint whether it exists).
    const ghost = uniqueName('ghost');
    for (let i = 0; i < 10; i++)
      assert.equal((await g.auth.Login!({ username: ghost, password: 'wrong password' })).error.code, 'UNAUTHORIZED');
    assert.equal((await g.auth.Login!({ username: ghost, password: 'wrong password' })).error.code, 'RATE_LIMITED');
    // Other accounts are unaffected; a success does not clear an account's failures (test/e2e/auth-lockout.test.ts).
    const other = await registerUser(g);
    for (let i = 0; i < 9; i++) await g.auth.Login!({ username: other.username, password: 'wrong password' });
    assert.equal((await g.auth.Login!({ username: other.username, password: PASSWORD })).result, 'success');
    assert.equal(
      (await g.auth.Login!({ username: other.username, password: 'wrong password' })).error.code,
      'UNAUTHORIZED',
    );
    assert.equal((await g.auth.Login!({ username: other.username, password: PASSWORD })).error.code, 'RATE_LIMITED');
  });

  describe('with the default per-address limits (client address from x-forwarded-for)', () => {
    let limited: TestGuardyn;
    before(async () => {
      limited = await startTestGuardyn(nats.url, {
        roles: ['auth', 'projections'],
        env: {
          GUARDYN_LIMITS__CLIENT_ADDRESS_HEADER: 'x-forwarded-for',
          GUARDYN_LIMITS__REGISTRATIONS_PER_ADDRESS: '30', // the default
          GUARDYN_LIMITS__LOGIN_FAILURES_PER_ADDRESS: '5',
          GUARDYN_LIMITS__SEARCHES_PER_ADDRESS: '3',
          GUARDYN_LIMITS__SEARCHES_PER_ADDRESS_WINDOW_SECONDS: '1',
        },
      });
    });
    after(async () => {
      await limited?.stop();
    });

    it('allows 30 registrations a minute from one address, then RATE_LIMITED; other addresses are unaffected', async () => {
      const results = await Promise.all(
        Array.from({ length: 30 }, () =>
          limited.auth.Register!({ username: uniqueName('reg'), password: PASSWORD }, fromAddress('203.0.113.7')),
        ),
      );
      assert.ok(
        results.every((r) => r.result === 'success'),
        JSON.stringify(results.find((r) => r.result !== 'success')),
      );
      const refused = await limited.auth.Register!(
        { username: uniqueName('reg'), password: PASSWORD },
        fromAddress('203.0.113.7'),
      );
      assert.equal(refused.error?.code, 'RATE_LIMITED');
      const retry = Number(refused.error.details.retry_after_seconds);
      assert.ok(retry >= 1 && retry <= 60, `retry after ${retry} s`);
      // The proxy appends the real peer: a client-written left part does not help.
      const spoofed = await limited.auth.Register!(
        { username: uniqueName('reg'), password: PASSWORD },
        fromAddress('198.51.100.1, 203.0.113.7'),
      );
      assert.equal(spoofed.error?.code, 'RATE_LIMITED');
      assert.equal(
        (await limited.auth.Register!({ username: uniqueName('reg'), password: PASSWORD }, fromAddress('203.0.113.8')))
          .result,
        'success',
      );
    });

    it('throttles failed logins per address across accounts', async () => {
      for (let i = 0; i < 5; i++) {
        const r = await limited.auth.Login!(
          { username: uniqueName('spray'), password: 'wrong password' },
          fromAddress('198.51.100.20'),
        );
        assert.equal(r.error?.code, 'UNAUTHORIZED');
      }
      const r = await limited.auth.Login!(
        { username: uniqueName('spray'), password: 'wrong password' },
        fromAddress('198.51.100.20'),
      );
      assert.equal(r.error?.code, 'RATE_LIMITED');
      assert.ok(Number(r.error.details.retry_after_seconds) > 0);
      const elsewhere = await limited.auth.Login!(
        { username: uniqueName('spray'), password: 'wrong password' },
        fromAddress('198.51.100.21'),
      );
      assert.equal(elsewhere.error?.code, 'UNAUTHORIZED');
    });

    it('throttles searches per address until the window passes', async () => {
      const a = await registerUser(limited, uniqueName('seeker'), fromAddress('192.0.2.50'));
      for (let i = 0; i < 3; i++) {
        const r = await limited.auth.SearchUsers!({ query: 'seeker' }, fromAddress('192.0.2.50', a.token));
        assert.equal(r.result, 'success', JSON.stringify(r.error));
      }
      const refused = await limited.auth.SearchUsers!({ query: 'seeker' }, fromAddress('192.0.2.50', a.token));
      assert.equal(refused.error?.code, 'RATE_LIMITED');
      assert.equal(refused.error.details.retry_after_seconds, '1');
      assert.equal(
        (await limited.auth.SearchUsers!({ query: 'seeker' }, fromAddress('192.0.2.51', a.token))).result,
        'success',
      );
      await sleep(1100);
      assert.equal(
        (await limited.auth.SearchUsers!({ query: 'seeker' }, fromAddress('192.0.2.50', a.token))).result,
        'success',
      );
    });
  });
});
