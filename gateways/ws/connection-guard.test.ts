/**
 * A fault in one WebSocket connection's code closes that socket (1011) with an
 * incident id in the log, and never reaches the process.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { WebSocket } from 'ws';
import { WsConnection, type WsContext } from './connection.ts';
import { CLOSE } from './frames.ts';

class FakeSocket extends EventEmitter {
  bufferedAmount = 0;
  closedWith: number | undefined;
  terminated = false;
  send(): void {}
  ping(): void {}
  close(code: number): void {
    this.closedWith = code;
  }
  terminate(): void {
    this.terminated = true;
  }
}

describe('WebSocket per-connection fault boundary', () => {
  it('a throw while handling a frame closes that socket with 1011 and logs an incident', () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = pino(
      { level: 'info' },
      new Writable({
        write(c: Buffer, _e, done) {
          lines.push(JSON.parse(c.toString()) as Record<string, unknown>);
          done();
        },
      }),
    );
    let gone = 0;
    const ctx = {
      config: { queueFrames: 16, stallTimeoutMs: 10_000, authTimeoutMs: 60_000, maxFrameBytes: 65_536 },
      limiter: {
        take: () => {
          throw new Error('limiter bug');
        },
        reset: () => undefined,
      },
      logger,
      gone: () => {
        gone += 1;
      },
    } as unknown as WsContext & { gone(): void };
    const a = new FakeSocket();
    const b = new FakeSocket();
    const first = new WsConnection(a as unknown as WebSocket, ctx, undefined);
    const second = new WsConnection(b as unknown as WebSocket, ctx, undefined);
    // Without the boundary the throw escapes the socket's 'message' listener (an uncaught exception).
    assert.doesNotThrow(() => a.emit('message', Buffer.from('{"type":"ping","payload":{"timestamp":1}}'), false));
    assert.equal(a.closedWith, CLOSE.internal);
    assert.equal(first.closed, true);
    assert.equal(gone, 1, 'the connection released what it held');
    assert.equal(second.closed, false, 'the other connection is untouched');
    assert.equal(b.closedWith, undefined);
    const incident = lines.find((l) => typeof l['incident'] === 'string');
    assert.ok(incident, 'an incident id is logged');
    assert.equal(incident['connection'], first.id);
    second.close(CLOSE.normal, 'done', 'test over');
  });
});
