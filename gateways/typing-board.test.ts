import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Signal, Signals } from '../streams/signals.ts';
import type { TypingSignal } from '../streams/typing.ts';
import { TypingBoard } from './typing-board.ts';

/** Signals that hand what the test publishes to the one subscriber, and record its subject. */
function fakeSignals() {
  const subscribed: string[] = [];
  let listener: ((s: Signal) => void) | undefined;
  const signals: Signals = {
    publish: () => undefined,
    subscribe(subject, onSignal) {
      subscribed.push(subject);
      listener = onSignal;
      return () => {
        listener = undefined;
      };
    },
    flush: () => Promise.resolve(),
    closed: false,
  };
  const deliver = (data: string | TypingSignal) =>
    listener?.({ subject: 'typing.user.b', data: Buffer.from(typeof data === 'string' ? data : JSON.stringify(data)) });
  return { signals, subscribed, deliver, listening: () => listener !== undefined };
}

const typing = (isTyping: boolean): TypingSignal => ({
  fromUserId: 'a',
  fromDeviceId: 'd',
  toUserId: 'b',
  conversationId: 'c',
  isTyping,
  at: 1,
});

describe('the typing board', () => {
  it('follows every typing signal through the signals port, until stopped', () => {
    const { signals, subscribed, deliver, listening } = fakeSignals();
    const board = new TypingBoard(signals, 60_000);
    assert.deepEqual(subscribed, ['typing.user.>']);
    deliver(typing(true));
    assert.equal(board.isTyping('a', 'b'), true);
    assert.equal(board.isTyping('b', 'a'), false);
    deliver('not json');
    deliver({ ...typing(false), isTyping: 'no' as unknown as boolean });
    assert.equal(board.isTyping('a', 'b'), true, 'malformed signals change nothing');
    deliver(typing(false));
    assert.equal(board.isTyping('a', 'b'), false);
    board.stop();
    assert.equal(listening(), false);
  });

  it('forgets a typing signal that is not repeated within its time', async () => {
    const { signals, deliver } = fakeSignals();
    const board = new TypingBoard(signals, 50);
    deliver(typing(true));
    assert.equal(board.isTyping('a', 'b'), true);
    const end = Date.now() + 5000;
    while (board.isTyping('a', 'b') && Date.now() < end) await sleep(10);
    assert.equal(board.isTyping('a', 'b'), false);
    board.stop();
  });
});
