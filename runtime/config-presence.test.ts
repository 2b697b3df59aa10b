import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from './config.ts';

describe('presence settings', () => {
  test('defaults: port 50053, AWAY after 5 minutes, heartbeats 60 s, gateways beat every 5 s and time out after 15 s', () => {
    const c = loadConfig({});
    assert.equal(c.ports.presence, 50053);
    assert.deepEqual(c.presence, {
      awayAfterMs: 300_000,
      heartbeatTimeoutMs: 60_000,
      lastSeenEveryMs: 60_000,
      instanceBeatMs: 5000,
      instanceTimeoutMs: 15_000,
      typingPerRecipient: { max: 5, windowSeconds: 1 },
      visibility: 'contacts',
    });
  });

  test('presence visibility: contacts (default) or everyone; anything else stops the start naming the variable', () => {
    assert.equal(loadConfig({ GUARDYN_PRESENCE__VISIBILITY: 'contacts' }).presence.visibility, 'contacts');
    assert.equal(loadConfig({ GUARDYN_PRESENCE__VISIBILITY: 'everyone' }).presence.visibility, 'everyone');
    assert.equal(loadConfig({ GUARDYN_PRESENCE__VISIBILITY: 'Everyone' }).presence.visibility, 'everyone');
    assert.equal(loadConfig({ GUARDYN_PRESENCE__VISIBILITY: '' }).presence.visibility, 'contacts');
    for (const bad of ['all', 'public', 'contacts,everyone']) {
      assert.throws(
        () => loadConfig({ GUARDYN_PRESENCE__VISIBILITY: bad }),
        (e: Error) =>
          e instanceof ConfigError &&
          e.message.includes(`GUARDYN_PRESENCE__VISIBILITY="${bad}" must be one of contacts, everyone`),
      );
    }
  });

  test('are configurable, and bad values name the variable', () => {
    const c = loadConfig({
      GUARDYN_PRESENCE__AWAY_AFTER_MS: '1500',
      GUARDYN_PRESENCE__INSTANCE_BEAT_MS: '200',
      GUARDYN_PRESENCE__INSTANCE_TIMEOUT_MS: '1000',
      GUARDYN_PRESENCE__PORT: '0',
    });
    assert.equal(c.presence.awayAfterMs, 1500);
    assert.equal(c.presence.instanceTimeoutMs, 1000);
    assert.equal(c.ports.presence, 0);
    assert.throws(
      () => loadConfig({ GUARDYN_PRESENCE__AWAY_AFTER_MS: 'soon' }),
      (e: Error) => e instanceof ConfigError && e.message.includes('GUARDYN_PRESENCE__AWAY_AFTER_MS'),
    );
    assert.throws(
      () => loadConfig({ GUARDYN_PRESENCE__HEARTBEAT_TIMEOUT_MS: '10' }),
      (e: Error) => e instanceof ConfigError && e.message.includes('GUARDYN_PRESENCE__HEARTBEAT_TIMEOUT_MS'),
    );
  });

  test('refuses an instance timeout shorter than two beats (live gateways would be taken for crashed)', () => {
    assert.throws(
      () => loadConfig({ GUARDYN_PRESENCE__INSTANCE_BEAT_MS: '1000', GUARDYN_PRESENCE__INSTANCE_TIMEOUT_MS: '1500' }),
      (e: Error) => e instanceof ConfigError && e.message.includes('GUARDYN_PRESENCE__INSTANCE_TIMEOUT_MS'),
    );
  });
});
