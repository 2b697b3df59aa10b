import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from './config.ts';

test('GUARDYN_CALLS__*: defaults, set values, and bad values naming the variable', () => {
  const d = loadConfig({}).calls;
  assert.equal(d.port, 50055);
  assert.equal(d.websocketPort, 8082);
  assert.equal(d.websocketEnabled, true);
  assert.equal(d.ringTimeoutMs, 45_000);
  assert.equal(d.maxOfferBytes, 65_536);
  assert.equal(d.maxSignalBytes, 16_384);
  assert.deepEqual(d.startsPerCaller, { max: 10, windowSeconds: 60 });
  assert.deepEqual(d.turn, {
    secret: undefined,
    uris: ['turn:127.0.0.1:3478?transport=udp', 'turn:127.0.0.1:3478?transport=tcp'],
    ttlSeconds: 86_400,
  });
  const set = loadConfig({
    GUARDYN_CALLS__RING_TIMEOUT_MS: '1500',
    GUARDYN_CALLS__ENABLE_WEBSOCKET: '0',
    GUARDYN_CALLS__TURN_SECRET: 'a-long-enough-secret',
    GUARDYN_CALLS__TURN_URIS: 'turns:turn.example:5349?transport=tcp, stun:stun.example:3478',
  }).calls;
  assert.equal(set.ringTimeoutMs, 1500);
  assert.equal(set.websocketEnabled, false);
  assert.equal(set.turn.secret, 'a-long-enough-secret');
  assert.deepEqual(set.turn.uris, ['turns:turn.example:5349?transport=tcp', 'stun:stun.example:3478']);
  for (const [name, value] of [
    ['GUARDYN_CALLS__RING_TIMEOUT_MS', '10'],
    ['GUARDYN_CALLS__GRPC_PORT', 'x'],
    ['GUARDYN_CALLS__ENABLE_WEBSOCKET', 'maybe'],
    ['GUARDYN_CALLS__TURN_SECRET', 'short'],
    ['GUARDYN_CALLS__TURN_URIS', 'http://turn.example'],
    ['GUARDYN_CALLS__MAX_SIGNAL_BYTES', '1'],
    ['GUARDYN_CALLS__STARTS_PER_CALLER_WINDOW_SECONDS', '0'],
  ] as const) {
    assert.throws(
      () => loadConfig({ [name]: value }),
      (e: unknown) => e instanceof ConfigError && e.message.includes(name),
      `${name}=${value}`,
    );
  }
});
