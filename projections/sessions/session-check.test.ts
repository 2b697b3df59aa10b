import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CachedSessionCheck } from './session-check.ts';

function source(active: Set<string>) {
  const reads: string[] = [];
  return {
    reads,
    async isActive(sessionId: string, userId: string) {
      reads.push(`${userId}/${sessionId}`);
      await new Promise((r) => setImmediate(r));
      return active.has(sessionId);
    },
  };
}

describe('CachedSessionCheck', () => {
  it('reads an active session at most once per TTL, then sees its revocation', async () => {
    const clock = { now: 0 };
    const active = new Set(['s1']);
    const src = source(active);
    const check = new CachedSessionCheck(src, { ttlMs: 1000, now: () => clock.now });
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
    const check = new CachedSessionCheck(src);
    const answers = await Promise.all(Array.from({ length: 50 }, () => check.isActive('s1', 'u1')));
    assert.ok(answers.every((a) => a));
    assert.equal(src.reads.length, 1);
  });

  it('refuses at once a session this process ended, and never mixes users', async () => {
    const src = source(new Set(['s1', 's2']));
    const check = new CachedSessionCheck(src);
    assert.equal(await check.isActive('s1', 'u1'), true);
    check.ended('s1', 'u1');
    assert.equal(await check.isActive('s1', 'u1'), false);
    assert.equal(await check.isActive('s2', 'u1'), true);
    assert.equal(await check.isActive('s2', 'u2'), true, 'a different user re-reads the source');
    assert.deepEqual(src.reads, ['u1/s1', 'u1/s2', 'u2/s2']);
  });

  it('stays bounded', async () => {
    const check = new CachedSessionCheck(source(new Set()), { maxEntries: 10 });
    for (let i = 0; i < 25; i++) await check.isActive(`s${i}`, 'u');
    assert.equal(check.size, 10);
  });
});
