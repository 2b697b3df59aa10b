import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { left, right, type Either } from 'fp-ts/lib/Either.js';
import { domainError, type DomainError } from '../../commands/decider.ts';
import { loadConfig, type LimitsConfig } from '../../runtime/config.ts';
import type { ErrorResponseShape } from '../grpc/errors.ts';
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
  test('the 11th login within 15 minutes after 10 failures is refused, even with the right password, until the window passes', async () => {
    const { limits, clock } = setup();
    const start = clock.now;
    for (let i = 0; i < 10; i++) {
      assert.deepEqual(await attempt(limits, '10.0.0.1', 'Alice', WRONG), WRONG);
      clock.now += 30_000;
    }
    // 10 failures from +0 to +4.5 min; now +5 min.
    const refused = await attempt(limits, '10.0.0.2', 'alice', OK) as ErrorResponseShape;
    assert.equal(refused.code, 'RATE_LIMITED', JSON.stringify(refused));
    assert.equal(refused.details['retry_after_seconds'], String(10 * 60), 'until the first failure is 15 minutes old');
    assert.match(refused.message, /try again in 600 s/);
    // Any capitalisation is the same account; another account is not affected.
    assert.equal((await attempt(limits, '10.0.0.3', 'ALICE', OK) as { code?: string }).code, 'RATE_LIMITED');
    assert.deepEqual(await attempt(limits, '10.0.0.1', 'bob', OK), OK);
    clock.now = start + 15 * MIN;
    assert.deepEqual(await attempt(limits, '10.0.0.1', 'alice', OK), OK, 'the first failure left the window');
    // A success clears the account's failures.
    for (let i = 0; i < 9; i++) await attempt(limits, '10.0.0.1', 'alice', WRONG);
    assert.deepEqual(await attempt(limits, '10.0.0.1', 'alice', WRONG), WRONG);
  });

  test('successes and faults never count as failures', async () => {
    const { limits } = setup({ loginFailuresPerAccount: { max: 2, windowSeconds: 900 } });
    for (let i = 0; i < 20; i++) assert.deepEqual(await attempt(limits, '10.0.0.1', 'carol', OK), OK);
    const conflict: Either<DomainError, string> = left(domainError('CONFLICT', 'busy'));
    for (let i = 0; i < 20; i++) assert.deepEqual(await attempt(limits, '10.0.0.1', 'carol', conflict), conflict);
    for (let i = 0; i < 20; i++) assert.equal(((await attempt(limits, '10.0.0.1', 'carol', new Error('nats down'))) as Error).message, 'nats down');
    assert.equal(limits.loginFailuresPerAccount.size, 0);
    assert.equal(limits.loginFailuresPerAddress.size, 0);
  });

  test('concurrent attempts cannot slip past the limit together', async () => {
    const { limits } = setup({ loginFailuresPerAccount: { max: 3, windowSeconds: 900 } });
    const gates = Array.from({ length: 10 }, () => limits.beginLogin(from('10.0.0.1'), 'dave'));
    assert.equal(gates.filter((g) => g.refused === undefined).length, 3);
    assert.ok(gates.slice(3).every((g) => g.refused?.code === 'RATE_LIMITED'));
  });

  test('failed logins per address span accounts, and a success does not clear them', async () => {
    const { limits, clock } = setup({ loginFailuresPerAddress: { max: 5, windowSeconds: 60 } });
    for (let i = 0; i < 4; i++) await attempt(limits, '10.9.9.9', `victim${i}`, WRONG);
    assert.deepEqual(await attempt(limits, '10.9.9.9', 'mine', OK), OK, 'own account still works');
    await attempt(limits, '10.9.9.9', 'victim4', WRONG);
    const refused = await attempt(limits, '10.9.9.9', 'victim5', WRONG) as { code: string; details: Record<string, string> };
    assert.equal(refused.code, 'RATE_LIMITED');
    assert.equal(refused.details['retry_after_seconds'], '60');
    assert.deepEqual(await attempt(limits, '10.1.1.1', 'victim5', WRONG), WRONG, 'other addresses are not affected');
    assert.equal(limits.loginFailuresPerAccount.peek('victim5').allowed, true, 'the refused attempt was not booked on the account');
    clock.now += 60_000;
    assert.deepEqual(await attempt(limits, '10.9.9.9', 'victim5', WRONG), WRONG);
  });

  test('registrations and searches per address', () => {
    const { limits, clock } = setup({ registrationsPerAddress: { max: 30, windowSeconds: 60 }, searchesPerAddress: { max: 2, windowSeconds: 10 } });
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
    const { limits } = setup({ loginFailuresPerAccount: { max: 0, windowSeconds: 900 }, registrationsPerAddress: { max: 0, windowSeconds: 60 } });
    for (let i = 0; i < 50; i++) assert.deepEqual(await attempt(limits, '10.0.0.1', 'erin', WRONG), WRONG);
    for (let i = 0; i < 50; i++) assert.equal(limits.beginRegistration(from('10.0.0.1')), undefined);
  });
});
