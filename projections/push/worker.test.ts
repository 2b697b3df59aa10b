/** The push worker's retry delay (moved here from the push-token tests of the device aggregate). */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { backoffMs } from './worker.ts';

it('backs off exponentially, capped, and honours a longer Retry-After', () => {
  const p = { maxAttempts: 8, baseMs: 100, maxMs: 1000 };
  assert.deepEqual(
    [1, 2, 3, 4, 5].map((a) => backoffMs(p, a)),
    [100, 200, 400, 800, 1000],
  );
  assert.equal(backoffMs(p, 1, 700), 700);
  assert.equal(backoffMs(p, 1, 60_000), 1000);
});
