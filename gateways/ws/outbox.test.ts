import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo, Socket } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { Outbox } from './outbox.ts';

/** A connected pair of real sockets: the server side (what an Outbox writes to) and its client. */
async function socketPair(): Promise<{ server: WebSocket; client: WebSocket; close(): Promise<void> }> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
  await once(wss, 'listening');
  const accepted = once(wss, 'connection') as Promise<[WebSocket]>;
  const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`, { perMessageDeflate: false });
  const [[server]] = await Promise.all([accepted, once(client, 'open')]);
  return {
    server,
    client,
    close: async () => {
      client.terminate();
      server.terminate();
      await new Promise((r) => wss.close(r));
    },
  };
}

const options = { highWaterBytes: 256 * 1024, maxFrames: 64, stallMs: 10_000, onSlow: () => undefined };

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
      stallMs: 1000,
      onSlow: (r) => (slow = r),
    });
    assert.equal(out.whenWritable(), undefined);
    out.send('y'.repeat(20));
    // Checked against times given here, not the clock: a busy machine may take long between two lines.
    const since = Date.now();
    const wait = out.whenWritable();
    assert.ok(wait !== undefined);
    assert.equal(out.checkStall(since), false);
    assert.equal(out.checkStall(since + 999), false);
    assert.equal(out.checkStall(since + 5000), true);
    assert.match(slow, /no progress/);
    await wait; // released
  });

  it('sends the frames written to a socket in one turn of the event loop in one write, as text frames', async () => {
    const pair = await socketPair();
    try {
      const transport = (pair.server as unknown as { _socket: Socket })._socket as Socket & {
        _write: (...a: unknown[]) => void;
        _writev: (...a: unknown[]) => void;
      };
      let writes = 0;
      const { _write, _writev } = transport;
      transport._write = function (...a: unknown[]) {
        writes++;
        return _write.apply(this, a);
      };
      transport._writev = function (...a: unknown[]) {
        writes++;
        return _writev.apply(this, a);
      };
      const received: { text: string; binary: boolean }[] = [];
      pair.client.on('message', (d, binary) => received.push({ text: d.toString(), binary }));
      const out = new Outbox(pair.server, options);
      const shared = Buffer.from(JSON.stringify({ type: 'message', payload: { seq: 1, content: 'é' } }), 'utf8');
      const expected: string[] = [];
      for (let i = 0; i < 50; i++) {
        const text = i % 2 === 0 ? shared.toString('utf8') : JSON.stringify({ type: 'pong', payload: { n: i } });
        expected.push(text);
        if (i % 2 === 0) out.send(shared);
        else out.push(text, false);
      }
      const deadline = Date.now() + 10_000;
      while (received.length < 50 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      assert.deepEqual(
        received.map((r) => r.text),
        expected,
      );
      assert.ok(
        received.every((r) => !r.binary),
        'frames given as bytes are text frames',
      );
      assert.ok(writes <= 2, `50 frames of one turn took ${writes} writes`);
    } finally {
      await pair.close();
    }
  });

  it('writes again after a turn: frames of later turns still go out', async () => {
    const pair = await socketPair();
    try {
      const received: string[] = [];
      pair.client.on('message', (d) => received.push(d.toString()));
      const out = new Outbox(pair.server, options);
      for (let turn = 0; turn < 3; turn++) {
        out.push(`{"turn":${turn}}`, false);
        const deadline = Date.now() + 10_000;
        while (received.length <= turn && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      }
      assert.deepEqual(received, ['{"turn":0}', '{"turn":1}', '{"turn":2}']);
      out.close();
      out.push('{"after":"close"}', false);
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(received.length, 3, 'nothing is sent once closed');
    } finally {
      await pair.close();
    }
  });
});
