import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CachedSessionCheck, type SessionStatus } from './session-check.ts';

/** A view (or log) of sessions: those in `active` are active, those in `known` but not active ended, the rest unknown. */
function source(active: Set<string>, known: Set<string> | 'all' = 'all') {
  const reads: string[] = [];
  return {
    reads,
    async status(sessionId: string, userId: string): Promise<SessionStatus> {
      reads.push(`${userId}/${sessionId}`);
      await new Promise((r) => setImmediate(r));
      if (active.has(sessionId)) return 'active';
      return known === 'all' || known.has(sessionId) ? 'ended' : 'unknown';
    },
  };
}

/** A log that must not be asked (the view knows every session of the test). */
const unusedLog = {
  status: async (): Promise<SessionStatus> => assert.fail('the log was asked about a session the view knows'),
};

describe('CachedSessionCheck', () => {
  it('reads an active session at most once per TTL, then sees its revocation', async () => {
    const clock = { now: 0 };
    const active = new Set(['s1']);
    const src = source(active);
    const check = new CachedSessionCheck(src, unusedLog, { ttlMs: 1000, now: () => clock.now });
    assert.equal(await check.isActive('s1', 'u1'), true);
    clock.now = 999;
    assert.equal(await check.isActive('s1', 'u1'), true);
    assert.equal(src.reads.length, 1);
    active.delete('s1');
    assert.equal(await check.isActive('s1', 'u1'), true, 'cached within the TTL');
    clock.now = 1001;
    assert.equal(await check.isActive('s1', 'u1'), false, 'revocation seen after the TTL');
    clock.now = 10_000_000;
    assert.equal(await check.isActive('s1', 'u1'), false);
    assert.equal(src.reads.length, 2, 'an ended session stays ended without further reads');
  });

  it('shares one read between concurrent checks of a session', async () => {
    const src = source(new Set(['s1']));
    const check = new CachedSessionCheck(src, unusedLog);
    const answers = await Promise.all(Array.from({ length: 50 }, () => check.isActive('s1', 'u1')));
    assert.ok(answers.every((a) => a));
    assert.equal(src.reads.length, 1);
  });

  it('refuses at once a session this process ended, and never mixes users', async () => {
    const src = source(new Set(['s1', 's2']));
    const check = new CachedSessionCheck(src, unusedLog);
    assert.equal(await check.isActive('s1', 'u1'), true);
    check.ended('s1', 'u1');
    assert.equal(await check.isActive('s1', 'u1'), false);
    assert.equal(await check.isActive('s2', 'u1'), true);
    assert.equal(await check.isActive('s2', 'u2'), true, 'a different user re-reads the source');
    assert.deepEqual(src.reads, ['u1/s1', 'u1/s2', 'u2/s2']);
  });

  it('stays bounded', async () => {
    const check = new CachedSessionCheck(source(new Set()), unusedLog, { maxEntries: 10 });
    for (let i = 0; i < 25; i++) await check.isActive(`s${i}`, 'u');
    assert.equal(check.size, 10);
  });

  it('fails closed: a session the view does not know is active only if the log shows it started, and an absent one is re-read soon', async () => {
    const clock = { now: 0 };
    const view = source(new Set(), new Set());
    const onLog = new Set(['fresh']);
    const log = source(onLog, new Set(['fresh', 'revoked']));
    const check = new CachedSessionCheck(view, log, { ttlMs: 1000, absentTtlMs: 200, now: () => clock.now });
    assert.equal(await check.isActive('fresh', 'u1'), true, 'started a moment ago, not yet in the view');
    assert.equal(await check.isActive('revoked', 'u1'), false, 'ended on the log');
    assert.equal(await check.isActive('never', 'u1'), false, 'neither the view nor the log knows it');
    assert.deepEqual(log.reads, ['u1/fresh', 'u1/revoked', 'u1/never']);
    clock.now = 199;
    assert.equal(await check.isActive('never', 'u1'), false);
    assert.equal(log.reads.length, 3, 'an absent session is remembered briefly');
    clock.now = 201;
    assert.equal(await check.isActive('never', 'u1'), false);
    assert.equal(log.reads.length, 4, 'and read again after absentTtlMs');
    const failing = new CachedSessionCheck(view, { status: () => Promise.reject(new Error('log down')) });
    await assert.rejects(failing.isActive('fresh', 'u1'), /log down/, 'a failed lookup never counts as active');
  });

  describe('while a watcher of session endings follows the log', () => {
    it('keeps an active answer for watchedTtlMs, and the endings it is told are refused at once', async () => {
      const clock = { now: 0 };
      const view = source(new Set(['s1', 's2', 's3', 's9']));
      const check = new CachedSessionCheck(view, unusedLog, {
        ttlMs: 1000,
        watchedTtlMs: 60_000,
        now: () => clock.now,
      });
      check.watching(true);
      for (const s of ['s1', 's2', 's3']) assert.equal(await check.isActive(s, 'u1'), true);
      assert.equal(await check.isActive('s9', 'u2'), true);
      clock.now = 59_000;
      for (const s of ['s1', 's2', 's3']) assert.equal(await check.isActive(s, 'u1'), true);
      assert.equal(view.reads.length, 4, 'no read within watchedTtlMs');
      check.ended('s1', 'u1');
      assert.equal(await check.isActive('s1', 'u1'), false, 'a revoked session is refused at once');
      assert.equal(await check.isActive('s2', 'u1'), true);
      check.userGone('u1');
      assert.equal(await check.isActive('s2', 'u1'), false, 'every session of a deleted account is refused at once');
      assert.equal(await check.isActive('s3', 'u1'), false);
      assert.equal(await check.isActive('s9', 'u2'), true, "another user's sessions are not touched");
      assert.equal(view.reads.length, 4);
    });

    it('never lets a read that was under way when an ending arrived bring the session back', async () => {
      const view = source(new Set(['s1']));
      const check = new CachedSessionCheck(view, unusedLog, { watchedTtlMs: 60_000 });
      check.watching(true);
      const racing = check.isActive('s1', 'u1');
      check.ended('s1', 'u1');
      assert.equal(await racing, false, 'the ending is newer than what the read saw');
      assert.equal(await check.isActive('s1', 'u1'), false);
    });

    it('keeps an answer read while an ending of another session arrived only for ttlMs', async () => {
      const clock = { now: 0 };
      const view = source(new Set(['s1', 's2']));
      const check = new CachedSessionCheck(view, unusedLog, {
        ttlMs: 1000,
        watchedTtlMs: 60_000,
        now: () => clock.now,
      });
      check.watching(true);
      const racing = check.isActive('s1', 'u1');
      check.ended('s2', 'u2');
      assert.equal(await racing, true);
      clock.now = 1001;
      assert.equal(await check.isActive('s1', 'u1'), true);
      assert.equal(view.reads.length, 2, 'read again after ttlMs, as without a watcher');
    });

    it('falls back to ttlMs when the watcher stops, for answers already kept', async () => {
      const clock = { now: 0 };
      const active = new Set(['s1']);
      const view = source(active);
      const check = new CachedSessionCheck(view, unusedLog, {
        ttlMs: 1000,
        watchedTtlMs: 60_000,
        now: () => clock.now,
      });
      check.watching(true);
      assert.equal(await check.isActive('s1', 'u1'), true);
      check.watching(false);
      active.delete('s1');
      clock.now = 1001;
      assert.equal(
        await check.isActive('s1', 'u1'),
        false,
        'the revocation the watcher could not tell is read from the view',
      );
    });

    it('without a watcher, active answers are kept for ttlMs only', async () => {
      const clock = { now: 0 };
      const view = source(new Set(['s1']));
      const check = new CachedSessionCheck(view, unusedLog, {
        ttlMs: 1000,
        watchedTtlMs: 60_000,
        now: () => clock.now,
      });
      assert.equal(await check.isActive('s1', 'u1'), true);
      clock.now = 1001;
      assert.equal(await check.isActive('s1', 'u1'), true);
      assert.equal(view.reads.length, 2);
    });
  });
});
