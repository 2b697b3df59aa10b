import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isLeft, isRight, type Either } from 'fp-ts/lib/Either.js';
import fc from 'fast-check';
import { fold, type DomainError } from '../handler/decider.ts';
import { callDecider, type CallCommand, type CallEvent, type CallState, type Device } from './decider.ts';

const caller: Device = { userId: 'u-caller', deviceId: 'd-caller' };
const phone: Device = { userId: 'u-callee', deviceId: 'd-phone' };
const laptop: Device = { userId: 'u-callee', deviceId: 'd-laptop' };
const stranger: Device = { userId: 'u-other', deviceId: 'd-other' };
const T0 = 1_000_000;

function run(
  state: CallState,
  command: CallCommand,
): { result: Either<DomainError, readonly CallEvent[]>; state: CallState } {
  const result = callDecider.decide(command, state);
  return { result, state: isRight(result) ? fold(callDecider, state, result.right) : state };
}
function ok(state: CallState, command: CallCommand): CallState {
  const r = run(state, command);
  assert.ok(isRight(r.result), `expected ${command.kind} to pass, got ${JSON.stringify(r.result)}`);
  return r.state;
}
function refused(state: CallState, command: CallCommand, code: string): void {
  const r = callDecider.decide(command, state);
  assert.ok(isLeft(r), `expected ${command.kind} to be refused`);
  assert.equal(r.left.code, code, r.left.message);
}
const start = (over: Partial<Extract<CallCommand, { kind: 'StartCall' }>> = {}): CallCommand => ({
  kind: 'StartCall',
  callId: 'c1',
  caller,
  calleeUserId: phone.userId,
  calleeDeviceIds: [phone.deviceId, laptop.deviceId],
  media: 'AUDIO',
  at: T0,
  ringTimeoutMs: 45_000,
  ...over,
});
const ringing = () => ok(null, start());

describe('call decider', () => {
  test('start: started and ringing on the callee devices, in one decision', () => {
    const r = callDecider.decide(start(), null);
    assert.ok(isRight(r));
    assert.deepEqual(
      r.right.map((e) => e.type),
      ['CallStarted', 'CallRinging'],
    );
    const s = fold(callDecider, null, r.right)!;
    assert.equal(s.status, 'RINGING');
    assert.equal(s.ringUntil, T0 + 45_000);
    assert.deepEqual(s.calleeDeviceIds, ['d-phone', 'd-laptop']);
  });

  test('calling oneself is INVALID_REQUEST naming callee_user_id', () => {
    const r = callDecider.decide(start({ calleeUserId: caller.userId }), null);
    assert.ok(isLeft(r));
    assert.equal(r.left.code, 'INVALID_REQUEST');
    assert.equal(r.left.field, 'callee_user_id');
  });

  test('one answer wins: a second device is refused with CONFLICT; the same device again changes nothing', () => {
    const answered = ok(ringing(), { kind: 'AnswerCall', by: phone, at: T0 + 1000 });
    assert.equal(answered!.status, 'ACTIVE');
    assert.equal(answered!.answeredDeviceId, 'd-phone');
    refused(answered, { kind: 'AnswerCall', by: laptop, at: T0 + 1100 }, 'CONFLICT');
    const again = callDecider.decide({ kind: 'AnswerCall', by: phone, at: T0 + 1200 }, answered);
    assert.ok(isRight(again) && again.right.length === 0);
  });

  test('hang up after the answer: HUNG_UP with the duration from the answer', () => {
    const active = ok(ringing(), { kind: 'AnswerCall', by: laptop, at: T0 + 2000 });
    const done = ok(active, { kind: 'HangUp', by: caller, at: T0 + 2000 + 61_500 });
    assert.equal(done!.status, 'ENDED');
    assert.equal(done!.endReason, 'HUNG_UP');
    assert.equal(done!.durationSeconds, 61);
  });

  test('an answer after hang-up is a CONFLICT and changes nothing', () => {
    const cancelled = ok(ringing(), { kind: 'HangUp', by: caller, at: T0 + 500 });
    assert.equal(cancelled!.endReason, 'CANCELLED');
    refused(cancelled, { kind: 'AnswerCall', by: phone, at: T0 + 600 }, 'CONFLICT');
    refused(cancelled, { kind: 'HangUp', by: caller, at: T0 + 700 }, 'CONFLICT');
    refused(cancelled, { kind: 'RejectCall', by: phone, reason: 'BUSY', at: T0 + 700 }, 'CONFLICT');
  });

  test('reject: busy or declined ends the call with that reason', () => {
    const busy = ok(ringing(), { kind: 'RejectCall', by: phone, reason: 'BUSY', at: T0 + 10 });
    assert.equal(busy!.endReason, 'REJECTED_BUSY');
    const declined = ok(ringing(), { kind: 'RejectCall', by: laptop, reason: 'DECLINED', at: T0 + 10 });
    assert.equal(declined!.endReason, 'REJECTED_DECLINED');
  });

  test('missed: only once the ring deadline passed; an answer after the deadline is refused', () => {
    const s = ringing();
    const early = callDecider.decide({ kind: 'MissCall', at: T0 + 44_999 }, s);
    assert.ok(isRight(early) && early.right.length === 0, 'before the deadline nothing changes');
    refused(s, { kind: 'AnswerCall', by: phone, at: T0 + 45_000 }, 'CONFLICT');
    const missed = ok(s, { kind: 'MissCall', at: T0 + 45_000 });
    assert.equal(missed!.endReason, 'MISSED');
    const after = callDecider.decide({ kind: 'MissCall', at: T0 + 90_000 }, missed);
    assert.ok(isRight(after) && after.right.length === 0, 'a second miss changes nothing');
  });

  test('a device outside the call is NOT_FOUND for every action; the caller cannot answer its own call', () => {
    const s = ringing();
    for (const by of [stranger, { userId: phone.userId, deviceId: 'd-not-rung' }]) {
      refused(s, { kind: 'AnswerCall', by, at: T0 + 1 }, 'NOT_FOUND');
      refused(s, { kind: 'RejectCall', by, reason: 'DECLINED', at: T0 + 1 }, 'NOT_FOUND');
      refused(s, { kind: 'HangUp', by, at: T0 + 1 }, 'NOT_FOUND');
    }
    refused(s, { kind: 'AnswerCall', by: caller, at: T0 + 1 }, 'NOT_FOUND');
    refused(null, { kind: 'AnswerCall', by: phone, at: T0 }, 'NOT_FOUND');
  });

  test('once answered, the callee device that did not answer cannot hang up the call', () => {
    const active = ok(ringing(), { kind: 'AnswerCall', by: phone, at: T0 + 1 });
    refused(active, { kind: 'HangUp', by: laptop, at: T0 + 2 }, 'CONFLICT');
  });

  test('any sequence of commands: an ended call stays ended, refusals change nothing, at most one answer is recorded', () => {
    const device = fc.constantFrom(caller, phone, laptop, stranger);
    const command: fc.Arbitrary<CallCommand> = fc.oneof(
      fc.record({
        kind: fc.constant('AnswerCall' as const),
        by: device,
        at: fc.integer({ min: T0, max: T0 + 60_000 }),
      }),
      fc.record({
        kind: fc.constant('RejectCall' as const),
        by: device,
        reason: fc.constantFrom('BUSY' as const, 'DECLINED' as const),
        at: fc.integer({ min: T0, max: T0 + 60_000 }),
      }),
      fc.record({ kind: fc.constant('HangUp' as const), by: device, at: fc.integer({ min: T0, max: T0 + 60_000 }) }),
      fc.record({ kind: fc.constant('MissCall' as const), at: fc.integer({ min: T0, max: T0 + 60_000 }) }),
    );
    fc.assert(
      fc.property(fc.array(command, { maxLength: 12 }), (commands) => {
        let state = ringing();
        let answers = 0;
        for (const c of commands) {
          const before = state;
          const r = run(state, c);
          if (isLeft(r.result)) assert.equal(r.state, before);
          else answers += r.result.right.filter((e) => e.type === 'CallAnswered').length;
          if (before!.status === 'ENDED')
            assert.ok(r.state!.status === 'ENDED' && r.state!.endedAt === before!.endedAt);
          state = r.state;
        }
        assert.ok(answers <= 1);
      }),
    );
  });
});
