import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import { accountDecider, MAX_DEVICES_PER_USER, type AccountCommand, type AccountState } from './decider.ts';
import { fold } from '../handler/decider.ts';
import { usernameDecider } from './username.ts';

/** A stand-in for a sealed value: the decider never opens them. */
const sealed = (text: string) => ({ iv: 'AAAAAAAAAAAAAAAA', ct: Buffer.from(text).toString('base64') });
const device = (deviceId: string) => ({ deviceId, deviceName: sealed('phone'), deviceType: 'ios', keyBundle: null });
const session = (sessionId: string) => ({ sessionId, refreshTokenHash: 'h', expiresAt: 10 });

function registered(): AccountState {
  const cmd: AccountCommand = {
    kind: 'RegisterUser',
    userId: 'u1',
    username: sealed('Alice'),
    email: sealed(''),
    passwordHash: sealed('ph'),
    device: device('d1'),
    session: session('s1'),
    at: 5,
  };
  const r = accountDecider.decide(cmd, accountDecider.initialState);
  assert.ok(isRight(r));
  return fold(accountDecider, accountDecider.initialState, r.right);
}

describe('username decider', () => {
  it('claims a free name, refuses a taken one, and is idempotent for the same user', () => {
    const claim = { kind: 'ClaimUsername' as const, username: 'bob', userId: 'u1', at: 1 };
    const first = usernameDecider.decide(claim, usernameDecider.initialState);
    assert.ok(isRight(first));
    assert.equal(first.right.length, 1);
    const state = fold(usernameDecider, usernameDecider.initialState, first.right);
    assert.equal(state.claimedBy, 'u1');
    const again = usernameDecider.decide(claim, state);
    assert.ok(isRight(again));
    assert.deepEqual(again.right, []);
    const other = usernameDecider.decide({ ...claim, userId: 'u2' }, state);
    assert.ok(isLeft(other));
    assert.equal(other.left.code, 'CONFLICT');
    assert.equal(other.left.field, 'username');
  });
});

describe('account decider', () => {
  it('registers a user with a device and a session', () => {
    const s = registered();
    assert.equal(s.registered, true);
    assert.deepEqual(s.username, sealed('Alice'));
    assert.deepEqual([...s.devices.keys()], ['d1']);
    assert.deepEqual([...s.sessions.keys()], ['s1']);
  });

  it('refuses to register twice', () => {
    const r = accountDecider.decide(
      {
        kind: 'RegisterUser',
        userId: 'u1',
        username: sealed('A'),
        email: sealed(''),
        passwordHash: sealed('x'),
        device: device('d2'),
        session: session('s2'),
        at: 6,
      },
      registered(),
    );
    assert.ok(isLeft(r));
    assert.equal(r.left.code, 'CONFLICT');
  });

  it('starts a session on a known device without registering it again', () => {
    const r = accountDecider.decide(
      { kind: 'StartSession', userId: 'u1', deviceId: 'd1', newDevice: undefined, session: session('s2'), at: 7 },
      registered(),
    );
    assert.ok(isRight(r));
    assert.deepEqual(
      r.right.map((e) => e.type),
      ['SessionStarted'],
    );
  });

  it('registers a new device before its session', () => {
    const r = accountDecider.decide(
      { kind: 'StartSession', userId: 'u1', deviceId: 'd9', newDevice: device('d9'), session: session('s2'), at: 7 },
      registered(),
    );
    assert.ok(isRight(r));
    assert.deepEqual(
      r.right.map((e) => e.type),
      ['DeviceRegistered', 'SessionStarted'],
    );
    const s = fold(accountDecider, registered(), r.right);
    assert.equal(s.devices.size, 2);
  });

  it('refuses sessions for an unregistered account and unknown devices without details', () => {
    const none = accountDecider.decide(
      { kind: 'StartSession', userId: 'u1', deviceId: 'd1', newDevice: undefined, session: session('s2'), at: 7 },
      accountDecider.initialState,
    );
    assert.ok(isLeft(none));
    assert.equal(none.left.code, 'UNAUTHORIZED');
    const unknown = accountDecider.decide(
      { kind: 'StartSession', userId: 'u1', deviceId: 'zz', newDevice: undefined, session: session('s2'), at: 7 },
      registered(),
    );
    assert.ok(isLeft(unknown));
    assert.equal(unknown.left.code, 'NOT_FOUND');
  });

  it('caps the number of devices', () => {
    let s = registered();
    for (let i = 0; s.devices.size < MAX_DEVICES_PER_USER; i++) {
      const r = accountDecider.decide(
        {
          kind: 'StartSession',
          userId: 'u1',
          deviceId: `x${i}`,
          newDevice: device(`x${i}`),
          session: session(`s${i}`),
          at: 8,
        },
        s,
      );
      assert.ok(isRight(r));
      s = fold(accountDecider, s, r.right);
    }
    const over = accountDecider.decide(
      {
        kind: 'StartSession',
        userId: 'u1',
        deviceId: 'last',
        newDevice: device('last'),
        session: session('sl'),
        at: 9,
      },
      s,
    );
    assert.ok(isLeft(over));
    assert.equal(over.left.code, 'CONFLICT');
  });
});
