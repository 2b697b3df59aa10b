import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { left, right, type Either } from 'fp-ts/lib/Either.js';
import { domainError, type DomainError } from '../../commands/handler/decider.ts';
import { loadConfig, type LimitsConfig } from '../../runtime/config.ts';
import type { ErrorResponseShape } from '../shared/errors.ts';
import { AuthLimits } from './auth-limits.ts';

const MIN = 60_000;
const defaults = loadConfig({}).limits;

function setup(overrides: Partial<LimitsConfig> = {}) {
  const clock = { now: Date.UTC(2030, 0, 1) };
  const limits = new AuthLimits({ ...defaults, ...overrides }, { now: () => clock.now });
  return { limits, clock };
}

const from = (ip: string) => ({ getPeer: () => `${ip}:40000`, metadata: new grpc.Metadata() });
const WRONG: Either<DomainError, string> = left(domainError('UNAUTHORIZED', 'invalid username or password'));
const OK: Either<DomainError, string> = right('session');

async function attempt(limits: AuthLimits, ip: string, username: string, outcome: Either<DomainError, string> | Error) {
  const gate = limits.beginLogin(from(ip), username);
  if (gate.refused) return gate.refused;
  if (outcome instanceof Error) return gate.track(Promise.reject(outcome)).catch((e: Error) => e);
  return gate.track(Promise.resolve(outcome));
}

describe('AuthLimits', () => {
  test('an account over its limit (10 failures in 15 minutes) takes only its registered devices with the right password; every other attempt gets the same RATE_LIMITED', async () => {
    const { limits, clock } = setup();
    const start = clock.now;
    for (let i = 0; i < 10; i++) {
      assert.deepEqual(
        await attempt(limits, `10.0.0.${i}`, 'Alice', WRONG),
        WRONG,
        'one failure from each of ten addresses',
      );
      clock.now += 30_000;
    }
    // 10 failures from +0 to +4.5 min; now +5 min. A new device (no device id) is refused at once.
    const refused = limits.beginLogin(from('10.0.1.1'), 'alice', true).refused;
    assert.equal(refused?.code, 'RATE_LIMITED', JSON.stringify(refused));
    assert.equal(refused?.details['retry_after_seconds'], String(10 * 60), 'until the first failure is 15 minutes old');
    assert.match(refused?.message ?? '', /try again in 600 s/);
    // A device id: the login is tried for registered devices only, and any failure answers like the refusal.
    const gate = limits.beginLogin(from('10.0.1.2'), 'ALICE');
    assert.equal(gate.refused, undefined);
    assert.equal(gate.registeredDeviceOnly, true, 'any capitalisation is the same account');
    assert.deepEqual(await gate.track(Promise.resolve(OK)), OK, 'the owner on a registered device gets in');
    const guess = limits.beginLogin(from('10.0.1.3'), 'alice');
    const failed = await guess.track(Promise.resolve(WRONG));
    assert.deepEqual(
      guess.failure((failed as { left: DomainError }).left),
      refused,
      'a wrong password (or an unregistered device) answers exactly like the refusal',
    );
    // Another account is not affected; an account under its limit is not restricted.
    const bob = limits.beginLogin(from('10.0.0.1'), 'bob');
    assert.equal(bob.registeredDeviceOnly, false);
    assert.deepEqual(bob.failure(domainError('UNAUTHORIZED', 'invalid username or password')).code, 'UNAUTHORIZED');
    assert.equal(limits.beginLogin(from('10.0.0.1'), 'bob', true).refused, undefined);
    clock.now = start + 15 * MIN;
    assert.equal(
      limits.beginLogin(from('10.0.1.1'), 'alice', true).refused,
      undefined,
      'the first failure left the window',
    );
  });

  test('failures per (account, address): that address may not try that account at all; a success from it clears them; the owner elsewhere is not affected', async () => {
    const { limits } = setup({
      loginFailuresPerAccount: { max: 0, windowSeconds: 900 },
      loginFailuresPerAccountAddress: { max: 3, windowSeconds: 900 },
    });
    for (let i = 0; i < 2; i++) await attempt(limits, '10.0.0.1', 'carol', WRONG);
    assert.deepEqual(await attempt(limits, '10.0.0.1', 'carol', OK), OK);
    for (let i = 0; i < 3; i++)
      assert.deepEqual(await attempt(limits, '10.0.0.1', 'carol', WRONG), WRONG, 'the success cleared the earlier two');
    const refused = (await attempt(limits, '10.0.0.1', 'carol', OK)) as ErrorResponseShape;
    assert.equal(refused.code, 'RATE_LIMITED', 'even the right password from that address');
    assert.match(refused.message, /for this account from this address/);
    assert.deepEqual(await attempt(limits, '10.0.0.2', 'carol', OK), OK, 'another address');
    assert.deepEqual(await attempt(limits, '10.0.0.1', 'dave', WRONG), WRONG, 'another account');
  });

  test("a success never clears the account's failures (the owner logging in does not reopen the account to a guesser)", async () => {
    const { limits } = setup({ loginFailuresPerAccount: { max: 3, windowSeconds: 900 } });
    for (let i = 0; i < 2; i++) await attempt(limits, `10.0.0.${i}`, 'erin', WRONG);
    assert.deepEqual(await attempt(limits, '10.0.9.9', 'erin', OK), OK);
    await attempt(limits, '10.0.0.7', 'erin', WRONG);
    assert.equal(limits.beginLogin(from('10.0.0.8'), 'erin').registeredDeviceOnly, true);
  });

  test('successes and faults never count as failures', async () => {
    const { limits } = setup({
      loginFailuresPerAccount: { max: 2, windowSeconds: 900 },
      loginFailuresPerAccountAddress: { max: 2, windowSeconds: 900 },
    });
    for (let i = 0; i < 20; i++) assert.deepEqual(await attempt(limits, '10.0.0.1', 'carol', OK), OK);
    const conflict: Either<DomainError, string> = left(domainError('CONFLICT', 'busy'));
    for (let i = 0; i < 20; i++) assert.deepEqual(await attempt(limits, '10.0.0.1', 'carol', conflict), conflict);
    for (let i = 0; i < 20; i++)
      assert.equal(
        ((await attempt(limits, '10.0.0.1', 'carol', new Error('nats down'))) as Error).message,
        'nats down',
      );
    assert.equal(limits.loginFailuresPerAccount.size, 0);
    assert.equal(limits.loginFailuresPerAddress.size, 0);
    assert.equal(limits.loginFailuresPerAccountAddress.size, 0);
  });

  test('concurrent attempts cannot slip past the limit together', async () => {
    const { limits } = setup({ loginFailuresPerAccount: { max: 3, windowSeconds: 900 } });
    const gates = Array.from({ length: 10 }, (_, i) => limits.beginLogin(from(`10.0.0.${i}`), 'dave', true));
    assert.equal(gates.filter((g) => g.refused === undefined).length, 3);
    assert.ok(gates.slice(3).every((g) => g.refused?.code === 'RATE_LIMITED'));
    const withDevice = Array.from({ length: 10 }, (_, i) => limits.beginLogin(from(`10.0.1.${i}`), 'dave'));
    assert.ok(
      withDevice.every((g) => g.refused === undefined && g.registeredDeviceOnly),
      'the account is full: registered devices only',
    );
    const pair = setup({ loginFailuresPerAccountAddress: { max: 3, windowSeconds: 900 } }).limits;
    const sameAddress = Array.from({ length: 10 }, () => pair.beginLogin(from('10.0.0.1'), 'dave'));
    assert.equal(sameAddress.filter((g) => g.refused === undefined).length, 3);
  });

  test('failed logins per address span accounts, and a success does not clear them', async () => {
    const { limits, clock } = setup({ loginFailuresPerAddress: { max: 5, windowSeconds: 60 } });
    for (let i = 0; i < 4; i++) await attempt(limits, '10.9.9.9', `victim${i}`, WRONG);
    assert.deepEqual(await attempt(limits, '10.9.9.9', 'mine', OK), OK, 'own account still works');
    await attempt(limits, '10.9.9.9', 'victim4', WRONG);
    const refused = (await attempt(limits, '10.9.9.9', 'victim5', WRONG)) as {
      code: string;
      details: Record<string, string>;
    };
    assert.equal(refused.code, 'RATE_LIMITED');
    assert.equal(refused.details['retry_after_seconds'], '60');
    assert.deepEqual(await attempt(limits, '10.1.1.1', 'victim5', WRONG), WRONG, 'other addresses are not affected');
    assert.equal(
      limits.loginFailuresPerAccount.peek('victim5').allowed,
      true,
      'the refused attempt was not booked on the account',
    );
    clock.now += 60_000;
    assert.deepEqual(await attempt(limits, '10.9.9.9', 'victim5', WRONG), WRONG);
  });

  test('registrations and searches per address', () => {
    const { limits, clock } = setup({
      registrationsPerAddress: { max: 30, windowSeconds: 60 },
      searchesPerAddress: { max: 2, windowSeconds: 10 },
    });
    for (let i = 0; i < 30; i++) assert.equal(limits.beginRegistration(from('10.0.0.1')), undefined);
    const refused = limits.beginRegistration(from('10.0.0.1'));
    assert.equal(refused?.code, 'RATE_LIMITED');
    assert.equal(refused?.details['retry_after_seconds'], '60');
    assert.equal(limits.beginRegistration(from('10.0.0.2')), undefined);
    assert.equal(limits.beginSearch(from('10.0.0.1')), undefined);
    assert.equal(limits.beginSearch(from('10.0.0.1')), undefined);
    assert.equal(limits.beginSearch(from('10.0.0.1'))?.details['retry_after_seconds'], '10');
    clock.now += 10_000;
    assert.equal(limits.beginSearch(from('10.0.0.1')), undefined);
  });

  test('a limit of 0 is off', async () => {
    const { limits } = setup({
      loginFailuresPerAccount: { max: 0, windowSeconds: 900 },
      loginFailuresPerAccountAddress: { max: 0, windowSeconds: 900 },
      registrationsPerAddress: { max: 0, windowSeconds: 60 },
    });
    for (let i = 0; i < 50; i++) assert.deepEqual(await attempt(limits, '10.0.0.1', 'erin', WRONG), WRONG);
    for (let i = 0; i < 50; i++) assert.equal(limits.beginRegistration(from('10.0.0.1')), undefined);
  });
});
