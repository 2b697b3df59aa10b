import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from './config.ts';

describe('GUARDYN_NATS__* (the local nats-server of guardyn up)', () => {
  it('defaults: port 4222, every write synced', () => {
    const c = loadConfig({});
    assert.equal(c.localNats.port, 4222);
    assert.equal(c.localNats.syncInterval, 'always');
  });

  it('takes a port and a bounded sync window', () => {
    const c = loadConfig({ GUARDYN_NATS__PORT: '0', GUARDYN_NATS__SYNC_INTERVAL: '30s' });
    assert.equal(c.localNats.port, 0);
    assert.deepEqual(c.localNats.syncInterval, { ms: 30_000, text: '30s' });
    assert.deepEqual(loadConfig({ GUARDYN_NATS__SYNC_INTERVAL: '2m' }).localNats.syncInterval, {
      ms: 120_000,
      text: '2m',
    });
    assert.deepEqual(loadConfig({ GUARDYN_NATS__SYNC_INTERVAL: '500ms' }).localNats.syncInterval, {
      ms: 500,
      text: '500ms',
    });
    assert.equal(loadConfig({ GUARDYN_NATS__SYNC_INTERVAL: 'ALWAYS' }).localNats.syncInterval, 'always');
  });

  it('a bad value stops the start naming the variable', () => {
    for (const bad of ['never', '0s', '-1m', '2 minutes', '25h', '1.5s']) {
      assert.throws(
        () => loadConfig({ GUARDYN_NATS__SYNC_INTERVAL: bad }),
        (e: unknown) => e instanceof ConfigError && e.message.includes('GUARDYN_NATS__SYNC_INTERVAL'),
        bad,
      );
    }
    assert.throws(() => loadConfig({ GUARDYN_NATS__PORT: '70000' }), /GUARDYN_NATS__PORT/);
  });
});
