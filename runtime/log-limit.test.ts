/**
 * The log rate limit: at most N lines per key per interval, then one summary
 * line "suppressed K similar" when the interval ends (on the next line or by
 * its timer); keys count apart; the limit comes from
 * GUARDYN_LOG__CLIENT_MISTAKES_PER_MINUTE (a bad value stops the start).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LogRateLimiter } from './log-limit.ts';
import { ConfigError, loadConfig } from './config.ts';
import { capturedLogger } from '../test/support/log-capture.ts';

async function until(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

describe('LogRateLimiter', () => {
  test('N lines per key per interval, then one summary line naming how many were suppressed', async () => {
    const { logger, lines } = capturedLogger();
    const limit = new LogRateLimiter({ perInterval: 3, intervalMs: 300 });
    const written = Array.from({ length: 1000 }, (_, i) => limit.log(logger, 'warn', 'bad-frame', { i }, 'bad frame'));
    assert.equal(written.filter(Boolean).length, 3);
    assert.equal(lines.length, 3);
    assert.deepEqual(
      lines.map((l) => l.i),
      [0, 1, 2],
    );
    assert.ok(lines.every((l) => l.level === 40 && l.logKey === 'bad-frame'));
    // The summary comes by the timer when nothing else is logged.
    await until(() => lines.length === 4, 'the summary line');
    assert.equal(lines[3]!.suppressed, 997);
    assert.equal(lines[3]!.level, 40);
    assert.match(lines[3]!.msg, /^suppressed 997 similar: bad frame$/);
    // A new interval writes again.
    assert.equal(limit.log(logger, 'warn', 'bad-frame', {}, 'bad frame'), true);
    assert.equal(lines.length, 5);
  });

  test("the summary is written before the next interval's first line; keys count apart", async () => {
    const { logger, lines } = capturedLogger();
    const limit = new LogRateLimiter({ perInterval: 1, intervalMs: 150 });
    for (let i = 0; i < 5; i++) limit.log(logger, 'info', 'a', {}, 'a happened');
    for (let i = 0; i < 5; i++) limit.log(logger, 'debug', 'b', {}, 'b happened');
    assert.deepEqual(
      lines.map((l) => l.msg),
      ['a happened', 'b happened'],
    );
    const start = Date.now();
    await until(() => Date.now() - start >= 200, 'the interval to end');
    limit.flushAll();
    assert.deepEqual(
      lines
        .slice(2)
        .map((l) => l.msg)
        .sort(),
      ['suppressed 4 similar: a happened', 'suppressed 4 similar: b happened'],
    );
    assert.equal(lines.find((l) => l.logKey === 'b' && l.suppressed === 4)?.level, 20);
  });

  test('0 lines per interval writes only the summaries; keys beyond maxKeys share one', () => {
    const { logger, lines } = capturedLogger();
    const limit = new LogRateLimiter({ perInterval: 0, intervalMs: 60_000, maxKeys: 2 });
    for (const key of ['a', 'b', 'c', 'd', 'a']) limit.log(logger, 'warn', key, {}, `${key} happened`);
    assert.equal(lines.length, 0);
    limit.flushAll();
    assert.deepEqual(lines.map((l) => `${l.logKey} ${l.suppressed}`).sort(), ['(other) 2', 'a 2', 'b 1']);
  });

  test('GUARDYN_LOG__CLIENT_MISTAKES_PER_MINUTE: default 20, 0-100000, a bad value names the variable', () => {
    assert.equal(loadConfig({}).logClientMistakesPerMinute, 20);
    assert.equal(loadConfig({ GUARDYN_LOG__CLIENT_MISTAKES_PER_MINUTE: '0' }).logClientMistakesPerMinute, 0);
    for (const bad of ['-1', 'many', '100001']) {
      assert.throws(
        () => loadConfig({ GUARDYN_LOG__CLIENT_MISTAKES_PER_MINUTE: bad }),
        (e: unknown) => e instanceof ConfigError && /GUARDYN_LOG__CLIENT_MISTAKES_PER_MINUTE/.test(e.message),
      );
    }
  });
});
