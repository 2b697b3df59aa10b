import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from './config.ts';

describe('websocket settings', () => {
  test('defaults: /ws on 8081, 5 s to authenticate, 64 KiB frames, pings every 25 s, 60 s silence closes', () => {
    const c = loadConfig({}).websocket;
    assert.equal(c.enabled, true);
    assert.equal(c.port, 8081);
    assert.equal(c.authTimeoutMs, 5000);
    assert.equal(c.maxFrameBytes, 64 * 1024);
    assert.equal(c.pingIntervalMs, 25_000);
    assert.equal(c.idleTimeoutMs, 60_000);
    assert.equal(c.allowedOrigins, undefined);
    assert.equal(c.maxSocketsPerUser, 10);
    assert.deepEqual(c.framesPerSocket, { max: 30, windowSeconds: 1 });
  });

  test('are configurable, and bad values name the variable', () => {
    const c = loadConfig({
      GUARDYN_MESSAGING__ENABLE_WEBSOCKET: '0',
      GUARDYN_MESSAGING__WEBSOCKET_PORT: '9000',
      GUARDYN_WEBSOCKET__AUTH_TIMEOUT_MS: '300',
      GUARDYN_WEBSOCKET__ALLOWED_ORIGINS: 'https://a.test, http://localhost:3000',
    }).websocket;
    assert.equal(c.enabled, false);
    assert.equal(c.port, 9000);
    assert.equal(c.authTimeoutMs, 300);
    assert.deepEqual(c.allowedOrigins, ['https://a.test', 'http://localhost:3000']);
    for (const [name, value] of [
      ['GUARDYN_WEBSOCKET__ALLOWED_ORIGINS', 'a.test/path'],
      ['GUARDYN_WEBSOCKET__MAX_FRAME_BYTES', '10'],
      ['GUARDYN_MESSAGING__ENABLE_WEBSOCKET', 'maybe'],
    ] as const) {
      assert.throws(
        () => loadConfig({ [name]: value }),
        (e: unknown) => e instanceof ConfigError && e.message.includes(name),
      );
    }
  });
});
