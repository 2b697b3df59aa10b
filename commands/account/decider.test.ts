/** The account decider's sessions, devices and deletion: pure decisions, no I/O. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import {
  accountDecider,
  endedSessions,
  isLive,
  type AccountCommand,
  type AccountEvent,
  type AccountState,
} from './decider.ts';
import { fold } from '../handler/decider.ts';

const sealed = (text: string) => ({ iv: 'AAAAAAAAAAAAAAAA', ct: Buffer.from(text).toString('base64') });
const device = (deviceId: string) => ({ deviceId, deviceName: sealed(deviceId), deviceType: 'ios', keyBundle: null });
const session = (sessionId: string, hash = `h-${sessionId}`, expiresAt = 1000) => ({
  sessionId,
  refreshTokenHash: hash,
  expiresAt,
});

function decide(state: AccountState, command: AccountCommand): readonly AccountEvent[] {
  const r = accountDecider.decide(command, state);
  assert.ok(isRight(r), JSON.stringify(r));
  return r.right;
}

function refused(state: AccountState, command: AccountCommand, code: string, field?: string): void {
  const r = accountDecider.decide(command, state);
  assert.ok(isLeft(r), `expected ${code}, got ${JSON.stringify(r)}`);
  assert.equal(r.left.code, code);
  if (field !== undefined) assert.equal(r.left.field, field);
}

const apply = (state: AccountState, command: AccountCommand) => fold(accountDecider, state, decide(state, command));

/** u1 with devices d1 (sessions s1, s3) and d2 (session s2), at t = 10. */
function account(): AccountState {
  let s = apply(accountDecider.initialState, {
    kind: 'RegisterUser',
    userId: 'u1',
    username: sealed('Alice'),
    email: sealed('a@example.org'),
    passwordHash: sealed('ph'),
    device: device('d1'),
    session: session('s1'),
    at: 5,
  });
  s = apply(s, {
    kind: 'StartSession',
    userId: 'u1',
    deviceId: 'd2',
    newDevice: device('d2'),
    session: session('s2'),
    at: 6,
  });
  s = apply(s, {
    kind: 'StartSession',
    userId: 'u1',
    deviceId: 'd1',
    newDevice: undefined,
    session: session('s3'),
    at: 7,
  });
  return s;
}

const refresh = (sessionId: string, presentedHash: string, nextHash: string, at = 10): AccountCommand => ({
  kind: 'RefreshSession',
  sessionId,
  presentedHash,
  next: { refreshTokenHash: nextHash, expiresAt: at + 1000 },
  at,
});

describe('account sessions', () => {
  it('rotates the refresh token: the new one works, the old one is spent', () => {
    const s0 = account();
    const events = decide(s0, refresh('s1', 'h-s1', 'h2'));
    assert.deepEqual(events, [
      {
        type: 'SessionRefreshed',
        data: { userId: 'u1', sessionId: 's1', refreshTokenHash: 'h2', expiresAt: 1010, at: 10 },
      },
    ]);
    const s1 = fold(accountDecider, s0, events);
    const state = s1.sessions.get('s1')!;
    assert.equal(state.refreshTokenHash, 'h2');
    assert.deepEqual([...state.spentHashes], ['h-s1']);
    assert.equal(state.expiresAt, 1010, 'each rotation extends the refresh expiry');
    const s2 = apply(s1, refresh('s1', 'h2', 'h3', 11));
    assert.deepEqual([...s2.sessions.get('s1')!.spentHashes], ['h-s1', 'h2']);
  });

  it('revokes the family when a spent token comes back, records the reuse, then refuses every token of it', () => {
    const s1 = apply(account(), refresh('s1', 'h-s1', 'h2'));
    const reuse = decide(s1, refresh('s1', 'h-s1', 'hx', 12));
    assert.deepEqual(
      reuse.map((e) => e.type),
      ['SessionRevoked', 'RefreshTokenReused'],
    );
    assert.equal(reuse[0]!.type === 'SessionRevoked' && reuse[0]!.data.reason, 'refresh-reuse');
    const s2 = fold(accountDecider, s1, reuse);
    assert.equal(s2.sessions.get('s1')!.revoked, true);
    assert.equal(s2.sessions.get('s1')!.spentHashes.size, 0, 'a revoked session forgets its spent hashes');
    refused(s2, refresh('s1', 'h2', 'hy', 13), 'UNAUTHORIZED');
    refused(s2, refresh('s1', 'h-s1', 'hy', 13), 'UNAUTHORIZED');
    assert.equal(isLive(s2.sessions.get('s2')!, 13), true, 'other sessions are untouched');
  });

  it('refuses unknown sessions, unknown hashes and expired sessions without events', () => {
    const s = account();
    refused(s, refresh('nope', 'h-s1', 'h2'), 'UNAUTHORIZED');
    refused(s, refresh('s1', 'h-s2', 'h2'), 'UNAUTHORIZED');
    refused(s, refresh('s1', 'h-s1', 'h2', 1000), 'UNAUTHORIZED');
    refused(accountDecider.initialState, refresh('s1', 'h-s1', 'h2'), 'UNAUTHORIZED');
  });

  it('logs out one session, counting only a live one', () => {
    const s = account();
    const events = decide(s, { kind: 'EndSessions', scope: { sessionId: 's2' }, at: 10 });
    assert.deepEqual(endedSessions(events), ['s2']);
    assert.equal(events[0]!.type === 'SessionRevoked' && events[0]!.data.reason, 'logout');
    const after = fold(accountDecider, s, events);
    assert.deepEqual(
      decide(after, { kind: 'EndSessions', scope: { sessionId: 's2' }, at: 11 }),
      [],
      'already ended: 0',
    );
    assert.deepEqual(decide(after, { kind: 'EndSessions', scope: { sessionId: 'unknown' }, at: 11 }), []);
    assert.deepEqual(
      decide(s, { kind: 'EndSessions', scope: { sessionId: 's2' }, at: 1000 }),
      [],
      'an expired session has ended already',
    );
  });

  it('logs out every live session of the user', () => {
    const s = apply(account(), { kind: 'EndSessions', scope: { sessionId: 's2' }, at: 9 });
    const events = decide(s, { kind: 'EndSessions', scope: 'all', at: 10 });
    assert.deepEqual(endedSessions(events).sort(), ['s1', 's3']);
    assert.ok(events.every((e) => e.type === 'SessionRevoked' && e.data.reason === 'logout-all'));
    assert.deepEqual(decide(fold(accountDecider, s, events), { kind: 'EndSessions', scope: 'all', at: 11 }), []);
  });

  it('revokes a device: its live sessions end, the device leaves the account and cannot come back', () => {
    const s = account();
    const events = decide(s, { kind: 'RevokeDevice', deviceId: 'd1', at: 10 });
    assert.deepEqual(
      events.map((e) => e.type),
      ['SessionRevoked', 'SessionRevoked', 'DeviceRevoked'],
    );
    assert.deepEqual(endedSessions(events).sort(), ['s1', 's3']);
    const after = fold(accountDecider, s, events);
    assert.deepEqual([...after.devices.keys()], ['d2']);
    assert.equal(isLive(after.sessions.get('s2')!, 10), true);
    refused(after, { kind: 'RevokeDevice', deviceId: 'd1', at: 11 }, 'NOT_FOUND', 'device_id');
    refused(
      after,
      { kind: 'StartSession', userId: 'u1', deviceId: 'd1', newDevice: device('d1'), session: session('s9'), at: 11 },
      'NOT_FOUND',
      'device_id',
    );
  });

  it('answers a device of another user exactly like an unknown one', () => {
    refused(account(), { kind: 'RevokeDevice', deviceId: 'someone-elses', at: 10 }, 'NOT_FOUND', 'device_id');
  });

  it('deletes the account: every live session and every device revoked, then AccountDeleted; nothing else accepted', () => {
    const s = apply(account(), { kind: 'EndSessions', scope: { sessionId: 's3' }, at: 9 });
    const events = decide(s, { kind: 'DeleteAccount', at: 10 });
    assert.deepEqual(
      events.map((e) => e.type),
      ['SessionRevoked', 'SessionRevoked', 'DeviceRevoked', 'DeviceRevoked', 'AccountDeleted'],
    );
    assert.ok(events.every((e) => e.type !== 'SessionRevoked' || e.data.reason === 'account-deleted'));
    const after = fold(accountDecider, s, events);
    assert.equal(after.deleted, true);
    assert.equal(after.devices.size, 0);
    assert.deepEqual(after.passwordHash, { iv: '', ct: '' }, 'the state drops its sealed personal fields');
    refused(after, { kind: 'DeleteAccount', at: 11 }, 'NOT_FOUND');
    refused(
      after,
      { kind: 'StartSession', userId: 'u1', deviceId: 'd9', newDevice: device('d9'), session: session('s9'), at: 11 },
      'UNAUTHORIZED',
    );
    refused(after, refresh('s1', 'h-s1', 'h2', 11), 'UNAUTHORIZED');
    refused(after, { kind: 'EndSessions', scope: 'all', at: 11 }, 'NOT_FOUND');
    refused(
      after,
      {
        kind: 'RegisterUser',
        userId: 'u1',
        username: sealed('x'),
        email: sealed(''),
        passwordHash: sealed('p'),
        device: device('d9'),
        session: session('s9'),
        at: 11,
      },
      'CONFLICT',
    );
  });

  it('records the destruction of the data key once, and only for a deleted account', () => {
    refused(account(), { kind: 'RecordDataKeyDestroyed', at: 10 }, 'CONFLICT');
    const deleted = apply(account(), { kind: 'DeleteAccount', at: 10 });
    const events = decide(deleted, { kind: 'RecordDataKeyDestroyed', at: 11 });
    assert.deepEqual(events, [{ type: 'UserDataKeyDestroyed', data: { userId: 'u1', at: 11 } }]);
    assert.deepEqual(decide(fold(accountDecider, deleted, events), { kind: 'RecordDataKeyDestroyed', at: 12 }), []);
  });
});
