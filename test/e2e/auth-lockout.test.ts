/**
 * Knowing a username is not enough to lock its owner out: with the client
 * address taken from x-forwarded-for (GUARDYN_LIMITS__CLIENT_ADDRESS_HEADER),
 * an attacker failing from other addresses is throttled per (account, address)
 * and per account, yet the owner logs in from a device already registered to
 * the account with the right password. A new device waits out the window, and
 * every refusal under attack is the same answer, whether the name, the device
 * or the password was wrong.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { withNatsServer, type TestNatsServer } from '../support/nats.ts';
import { startTestGuardyn, uniqueName, type TestGuardyn } from '../support/guardyn.ts';

const PASSWORD = 'correct horse battery staple';
const OWNER = '192.0.2.10';
const ATTACKER = '203.0.113.66';
const ATTACKER_TOO = '203.0.113.67';

const fromAddress = (ip: string) => {
  const md = new grpc.Metadata();
  md.set('x-forwarded-for', ip);
  return md;
};

/** The code and message of an error answer, seconds left out (they tick). */
const shape = (r: Record<string, any>) => `${r.error?.code}: ${String(r.error?.message).replace(/\d+/g, 'N')}`;

describe('failed-login throttles do not lock the owner out', () => {
  let nats: TestNatsServer;
  let g: TestGuardyn;

  before(async () => {
    nats = await withNatsServer();
    g = await startTestGuardyn(nats.url, {
      roles: ['auth', 'projections'],
      env: {
        GUARDYN_LIMITS__CLIENT_ADDRESS_HEADER: 'x-forwarded-for',
        // The defaults of the account limits (10 in 15 minutes), stated here so the test reads alone.
        GUARDYN_LIMITS__LOGIN_FAILURES_PER_ACCOUNT: '10',
        GUARDYN_LIMITS__LOGIN_FAILURES_PER_ACCOUNT_ADDRESS: '10',
      },
    });
  });
  after(async () => {
    await g?.stop();
    await nats?.stop();
  });

  const loginFrom = (ip: string, username: string, password: string, deviceId?: string) =>
    g.auth.Login!(
      { username, password, device_type: 'ios', ...(deviceId === undefined ? {} : { device_id: deviceId }) },
      fromAddress(ip),
    );

  it('an attacker failing from other addresses is throttled, and the owner still logs in on a registered device', async () => {
    const username = uniqueName('Owner');
    const reg = await g.auth.Register!(
      { username, password: PASSWORD, device_name: 'phone', device_type: 'ios' },
      fromAddress(OWNER),
    );
    assert.equal(reg.result, 'success', JSON.stringify(reg.error));
    const ownDevice: string = reg.success.device_id;

    for (let i = 0; i < 10; i++) {
      const r = await loginFrom(ATTACKER, username, `guess ${i}`);
      assert.equal(r.error?.code, 'UNAUTHORIZED', `guess ${i + 1}: ${JSON.stringify(r)}`);
    }
    // The attacker's address may not try this account any more, not even with its device id.
    for (const deviceId of [undefined, ownDevice]) {
      const r = await loginFrom(ATTACKER, username, 'guess 11', deviceId);
      assert.equal(r.error?.code, 'RATE_LIMITED', JSON.stringify(r));
      assert.ok(Number(r.error.details.retry_after_seconds) > 800, JSON.stringify(r));
    }

    // The owner, from their own address, on their registered device, with the right password: in.
    const owner = await loginFrom(OWNER, username, PASSWORD, ownDevice);
    assert.equal(owner.result, 'success', JSON.stringify(owner.error));
    assert.equal(owner.success.device_id, ownDevice);
    // From any other address too (a phone moves between networks).
    const roaming = await loginFrom(ATTACKER_TOO, username, PASSWORD, ownDevice);
    assert.equal(roaming.result, 'success', JSON.stringify(roaming.error));

    // The attacker is still throttled, from its address and from a fresh one.
    assert.equal((await loginFrom(ATTACKER, username, 'guess 12')).error?.code, 'RATE_LIMITED');
    const fresh = await loginFrom(ATTACKER_TOO, username, 'guess 13', randomUUID());
    assert.equal(fresh.error?.code, 'RATE_LIMITED', JSON.stringify(fresh));
    const retry = Number(fresh.error.details.retry_after_seconds);
    assert.ok(retry > 800 && retry <= 900, `retry after ${retry} s`);

    // Policy: while the account is over its limit a new device, even with the right password, waits
    // out the window (a device id not registered to the account is a new device).
    const newDevice = await loginFrom(OWNER, username, PASSWORD);
    const unknownDevice = await loginFrom(OWNER, username, PASSWORD, randomUUID());
    // And every refusal is the same answer: a wrong password on the registered device, an unknown
    // device id, a new device, whatever the password.
    const wrongOnOwn = await loginFrom(ATTACKER_TOO, username, 'guess 14', ownDevice);
    for (const r of [newDevice, unknownDevice, wrongOnOwn]) assert.equal(shape(r), shape(fresh), JSON.stringify(r));
    assert.equal(shape(fresh), 'RATE_LIMITED: too many failed logins for this account: try again in N s');

    // The owner's successes did not reopen the account: still only the registered device gets in.
    assert.equal((await loginFrom(ATTACKER_TOO, username, PASSWORD)).error?.code, 'RATE_LIMITED');
    assert.equal((await loginFrom(OWNER, username, PASSWORD, ownDevice)).result, 'success');
  });

  it('an unknown username under attack answers exactly like a real one', async () => {
    const ghost = uniqueName('Ghost');
    for (let i = 0; i < 10; i++)
      assert.equal((await loginFrom(ATTACKER, ghost, `guess ${i}`)).error?.code, 'UNAUTHORIZED');
    const real = uniqueName('Real');
    const reg = await g.auth.Register!(
      { username: real, password: PASSWORD, device_name: 'phone', device_type: 'ios' },
      fromAddress(OWNER),
    );
    assert.equal(reg.result, 'success', JSON.stringify(reg.error));
    for (let i = 0; i < 10; i++)
      assert.equal((await loginFrom(ATTACKER, real, `guess ${i}`)).error?.code, 'UNAUTHORIZED');
    for (const deviceId of [undefined, randomUUID()]) {
      const a = await loginFrom(ATTACKER_TOO, ghost, 'guess', deviceId);
      const b = await loginFrom(ATTACKER_TOO, real, 'guess', deviceId);
      assert.equal(a.error?.code, 'RATE_LIMITED');
      assert.equal(shape(a), shape(b));
    }
  });
});
