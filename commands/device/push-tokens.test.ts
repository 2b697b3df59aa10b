/** The push-token decisions on the device aggregate, and the notifications configuration. */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { isRight } from 'fp-ts/lib/Either.js';
import { deviceKeysDecider, type DeviceKeysCommand, type DeviceKeysState } from './decider.ts';
import { fold } from '../handler/decider.ts';
import { loadConfig, ConfigError } from '../../runtime/config.ts';

const sealed = { iv: 'AAAAAAAAAAAAAAAA', ct: 'AAAAAAAAAAAAAAAAAAAAAAAA' };
const registerCmd = (tokenHash: string, showSender = false): DeviceKeysCommand => ({
  kind: 'RegisterPushToken',
  platform: 'fcm',
  token: sealed,
  tokenHash,
  environment: 'production',
  showSender,
  at: 1,
});

function run(state: DeviceKeysState, command: DeviceKeysCommand) {
  const d = deviceKeysDecider.decide(command, state);
  assert.ok(isRight(d), JSON.stringify(d));
  return { events: d.right, state: fold(deviceKeysDecider, state, d.right) };
}

it('registers a token once, replaces it with another, and removes only the token named', () => {
  let s = deviceKeysDecider.initialState;
  const first = run(s, registerCmd('h1'));
  assert.equal(first.events.length, 1);
  s = first.state;
  assert.equal(run(s, registerCmd('h1')).events.length, 0, 'a repeat commits nothing');
  assert.equal(run(s, registerCmd('h1', true)).events.length, 1, 'a changed opt-in is a new registration');
  s = run(s, registerCmd('h2')).state;
  assert.equal(s.pushToken?.tokenHash, 'h2');
  assert.equal(
    run(s, { kind: 'RemovePushToken', tokenHash: 'h1', reason: 'provider-rejected', at: 2 }).events.length,
    0,
    'a stale rejection keeps the newer token',
  );
  s = run(s, { kind: 'RemovePushToken', tokenHash: 'h2', reason: 'provider-rejected', at: 2 }).state;
  assert.equal(s.pushToken, undefined);
  assert.equal(
    run(s, { kind: 'RemovePushToken', tokenHash: undefined, reason: 'unregistered', at: 3 }).events.length,
    0,
  );
});

it('a withdrawn device takes no token and loses the one it had', () => {
  let s = run(deviceKeysDecider.initialState, registerCmd('h1')).state;
  s = run(s, { kind: 'WithdrawDeviceKeys', at: 2 }).state;
  assert.equal(s.pushToken, undefined);
  const d = deviceKeysDecider.decide(registerCmd('h3'), s);
  assert.ok(!isRight(d) && d.left.code === 'NOT_FOUND');
});

it('reads the notifications and metrics configuration, refusing bad values by name', () => {
  const c = loadConfig({});
  assert.equal(c.notifications.port, 8080);
  assert.equal(c.metrics.port, 9090);
  assert.equal(c.notifications.fcm, undefined);
  assert.equal(loadConfig({ GUARDYN_METRICS__PORT: 'off' }).metrics.port, undefined);
  assert.throws(
    () => loadConfig({ GUARDYN_NOTIFICATIONS__APNS_KEY_ID: 'K' }),
    (e: Error) => e instanceof ConfigError && /GUARDYN_NOTIFICATIONS__APNS_KEY_FILE/.test(e.message),
  );
  assert.throws(
    () => loadConfig({ GUARDYN_NOTIFICATIONS__FCM_ENDPOINT: 'ftp://x' }),
    /GUARDYN_NOTIFICATIONS__FCM_ENDPOINT/,
  );
  assert.throws(
    () => loadConfig({ GUARDYN_NOTIFICATIONS__RETRY_BASE_MS: '500', GUARDYN_NOTIFICATIONS__RETRY_MAX_MS: '100' }),
    /RETRY_MAX_MS/,
  );
  assert.throws(() => loadConfig({ GUARDYN_METRICS__PORT: 'ninety' }), /GUARDYN_METRICS__PORT/);
});
