import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DEFAULT_RESTART_POLICY, RestartBackoff } from './restart-backoff.ts';

describe('restart back-off', () => {
  it('restarts a first death within 2 s, then doubles up to the cap', () => {
    const b = new RestartBackoff();
    const waits = Array.from({ length: 12 }, () => b.next(0));
    assert.ok(waits[0]! < 2000, `first wait ${waits[0]} ms`);
    assert.deepEqual(waits.slice(0, 5), [100, 200, 400, 800, 1600]);
    for (let i = 1; i < waits.length; i++) assert.ok(waits[i]! >= waits[i - 1]!, 'never shorter in a crash loop');
    assert.equal(waits.at(-1), DEFAULT_RESTART_POLICY.maxDelayMs);
    assert.equal(b.failures, 12);
  });

  it('starts over after a healthy run, not after a short one', () => {
    const b = new RestartBackoff({ firstDelayMs: 10, factor: 3, maxDelayMs: 1000, stableAfterMs: 5000 });
    assert.deepEqual([b.next(0), b.next(100), b.next(4999)], [10, 30, 90]);
    assert.equal(b.next(5000), 10);
    assert.equal(b.next(0), 30);
  });

  it('never waits less than the first delay nor more than the cap', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 200_000 }), { maxLength: 60 }), (runs) => {
        const b = new RestartBackoff();
        for (const ran of runs) {
          const wait = b.next(ran);
          assert.ok(wait >= DEFAULT_RESTART_POLICY.firstDelayMs && wait <= DEFAULT_RESTART_POLICY.maxDelayMs);
        }
      }),
    );
  });

  it('refuses a policy that makes no sense', () => {
    assert.throws(
      () => new RestartBackoff({ firstDelayMs: 100, factor: 0.5, maxDelayMs: 1000, stableAfterMs: 0 }),
      RangeError,
    );
    assert.throws(
      () => new RestartBackoff({ firstDelayMs: 100, factor: 2, maxDelayMs: 10, stableAfterMs: 0 }),
      RangeError,
    );
  });
});
