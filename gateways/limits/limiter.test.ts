import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SlidingWindowLimiter, type LimitDecision } from './limiter.ts';

const MIN = 60_000;

function limiterAt(max: number, windowMs: number, maxKeys?: number) {
  const clock = { now: 1_000_000 };
  const limiter = new SlidingWindowLimiter({
    max,
    windowMs,
    now: () => clock.now,
    ...(maxKeys === undefined ? {} : { maxKeys }),
  });
  return { limiter, clock };
}

function refusedFor(d: LimitDecision): number {
  assert.equal(d.allowed, false, 'expected a refusal');
  return d.allowed ? -1 : d.retryAfterMs;
}

describe('SlidingWindowLimiter', () => {
  test('allows max events per window, refuses the next until the oldest leaves the window', () => {
    const { limiter, clock } = limiterAt(3, MIN);
    for (let i = 0; i < 3; i++) {
      assert.equal(limiter.take('k').allowed, true);
      clock.now += 1000; // events at +0, +1 s, +2 s
    }
    // Now +3 s: the 4th is refused until the first (at +0) is a full minute old.
    assert.equal(refusedFor(limiter.take('k')), MIN - 3000);
    clock.now += MIN - 3000 - 1;
    assert.equal(refusedFor(limiter.take('k')), 1);
    clock.now += 1;
    assert.equal(limiter.take('k').allowed, true, 'the first event has left the window');
    // Window now holds +1 s, +2 s, +60 s: the next fits when +1 s leaves.
    assert.equal(refusedFor(limiter.take('k')), 1000);
  });

  test('refused events are not counted, so a steady hammering does not extend the block', () => {
    const { limiter, clock } = limiterAt(2, MIN);
    limiter.take('k');
    limiter.take('k');
    for (let i = 0; i < 100; i++) {
      clock.now += 500;
      assert.equal(limiter.take('k').allowed, false);
    }
    clock.now = 1_000_000 + MIN;
    assert.equal(limiter.take('k').allowed, true);
  });

  test('keys are independent', () => {
    const { limiter } = limiterAt(1, MIN);
    assert.equal(limiter.take('a').allowed, true);
    assert.equal(limiter.take('a').allowed, false);
    assert.equal(limiter.take('b').allowed, true);
  });

  test('peek answers like take without recording; record always records; reset forgets', () => {
    const { limiter } = limiterAt(2, MIN);
    assert.equal(limiter.peek('k').allowed, true);
    assert.equal(limiter.size, 0, 'peek tracks nothing');
    limiter.record('k');
    limiter.record('k');
    limiter.record('k'); // beyond max: kept to max
    assert.equal(limiter.peek('k').allowed, false);
    assert.equal(limiter.take('k').allowed, false);
    limiter.reset('k');
    assert.equal(limiter.take('k').allowed, true);
  });

  test('refund takes back exactly the event it names', () => {
    const { limiter, clock } = limiterAt(2, MIN);
    const first = limiter.take('k');
    clock.now += 10;
    const second = limiter.take('k');
    assert.ok(first.allowed && second.allowed);
    assert.equal(limiter.take('k').allowed, false);
    limiter.refund('k', second.at);
    assert.equal(limiter.take('k').allowed, true, 'room again after the refund');
    limiter.refund('k', 42); // unknown time: nothing happens
    assert.equal(limiter.take('k').allowed, false);
    limiter.refund('unknown', first.at);
    assert.equal(limiter.size, 1);
  });

  test('max 0 turns the limiter off', () => {
    const { limiter } = limiterAt(0, MIN);
    assert.equal(limiter.enabled, false);
    for (let i = 0; i < 1000; i++) assert.equal(limiter.take(`k${i % 3}`).allowed, true);
    limiter.record('k');
    assert.equal(limiter.size, 0);
  });

  test('memory is bounded: the least recently used key is forgotten first', () => {
    const { limiter } = limiterAt(1, MIN, 3);
    for (const k of ['a', 'b', 'c']) limiter.take(k);
    assert.equal(limiter.take('a').allowed, false); // touches a: b is now the oldest
    limiter.take('d');
    assert.equal(limiter.size, 3);
    assert.equal(limiter.take('b').allowed, true, 'b was forgotten');
    assert.equal(limiter.take('a').allowed, false, 'a was kept');
    assert.equal(limiter.take('d').allowed, false, 'd was kept');
  });

  test('keys whose events all expired are swept away', () => {
    const { limiter, clock } = limiterAt(5, MIN, 100_000);
    for (let i = 0; i < 1000; i++) limiter.take(`old-${i}`);
    assert.equal(limiter.size, 1000);
    clock.now += MIN;
    limiter.sweep();
    assert.equal(limiter.size, 0);
    // Sweeping also happens by itself as new keys arrive.
    const { limiter: auto, clock: autoClock } = limiterAt(5, MIN, 64);
    for (let i = 0; i < 40; i++) auto.take(`old-${i}`);
    autoClock.now += MIN;
    for (let i = 0; i < 20; i++) auto.take(`new-${i}`);
    assert.ok(auto.size <= 40, `expired keys were dropped (size ${auto.size})`);
    // Under a flood of distinct keys the size never exceeds maxKeys.
    for (let i = 0; i < 10_000; i++) auto.take(`flood-${i}`);
    assert.ok(auto.size <= 64);
  });

  test('refuses nonsense settings', () => {
    assert.throws(() => new SlidingWindowLimiter({ max: -1, windowMs: 1 }), RangeError);
    assert.throws(() => new SlidingWindowLimiter({ max: 1.5, windowMs: 1 }), RangeError);
    assert.throws(() => new SlidingWindowLimiter({ max: 1, windowMs: 0 }), RangeError);
  });
});
