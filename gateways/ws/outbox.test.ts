import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { WebSocket } from 'ws';
import { Outbox } from './outbox.ts';

/** A socket whose transport never flushes (a stalled reader): everything stays buffered. */
function stalledSocket() {
  const sent: string[] = [];
  const ws = {
    bufferedAmount: 0,
    send(data: string) {
      sent.push(data);
      this.bufferedAmount += data.length;
    },
  };
  return { ws, sent };
}

describe('Outbox', () => {
  it('bounds what waits: drops typing and presence first, then closes the socket as slow', () => {
    const { ws, sent } = stalledSocket();
    let slow = '';
    let dropped = 0;
    const out = new Outbox(ws as unknown as WebSocket, {
      highWaterBytes: 100,
      maxFrames: 4,
      stallMs: 1000,
      onSlow: (r) => (slow = r),
      onDrop: () => dropped++,
    });
    out.push('x'.repeat(200), false); // over the high-water mark: later frames wait
    assert.equal(sent.length, 1);
    out.push('typing-1', true);
    out.push('reply-1', false);
    out.push('typing-2', true);
    out.push('reply-2', false);
    assert.equal(out.queued, 4);
    out.push('typing-3', true); // full: a droppable newcomer is dropped
    assert.equal(dropped, 1);
    out.push('reply-3', false); // full: the oldest droppable makes room
    assert.equal(dropped, 2);
    assert.equal(out.queued, 4);
    out.push('reply-4', false);
    out.push('reply-5', false); // nothing droppable left: slow consumer
    assert.match(slow, /queue full/);
    assert.equal(out.queued, 0, 'released on close');
  });

  it('holds stored events until writable, and closes a socket that makes no progress', async () => {
    const { ws } = stalledSocket();
    let slow = '';
    const out = new Outbox(ws as unknown as WebSocket, {
      highWaterBytes: 10,
      maxFrames: 4,
      stallMs: 50,
      onSlow: (r) => (slow = r),
    });
    assert.equal(out.whenWritable(), undefined);
    out.send('y'.repeat(20));
    const wait = out.whenWritable();
    assert.ok(wait !== undefined);
    assert.equal(out.checkStall(Date.now()), false);
    await sleep(60);
    assert.equal(out.checkStall(Date.now()), true);
    assert.match(slow, /no progress/);
    await wait; // released
  });
});
