/**
 * What both WebSocket connections (:8081 messaging, :8082 calls) get from SocketConnection:
 * the frame checks before decoding, the auth deadline, the session-end close, and releasing
 * what a connection holds exactly once however it ends.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { WebSocket } from 'ws';
import type { AccessClaims } from '../auth/tokens.ts';
import { CLOSE } from './frames.ts';
import { SocketConnection, type SocketBasics } from './socket-connection.ts';

class FakeSocket extends EventEmitter {
  bufferedAmount = 0;
  sent: string[] = [];
  closedWith: number | undefined;
  terminated = false;
  send(data: string, cb?: (err?: Error) => void): void {
    this.sent.push(data);
    cb?.();
  }
  ping(): void {}
  close(code: number): void {
    this.closedWith = code;
  }
  terminate(): void {
    this.terminated = true;
  }
}

class TestSocket extends SocketConnection {
  texts: string[] = [];
  released = 0;
  begun: AccessClaims[] = [];
  protected begin(claims: AccessClaims): void {
    if (this.admit(claims)) this.begun.push(claims);
  }
  protected handleText(text: string): void {
    this.texts.push(text);
  }
  protected release(): void {
    this.released += 1;
  }
}

function setup(options: { allowed?: boolean; authTimeoutMs?: number } = {}) {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino(
    { level: 'debug' },
    new Writable({
      write(c: Buffer, _e, done) {
        lines.push(JSON.parse(c.toString()) as Record<string, unknown>);
        done();
      },
    }),
  );
  const events = { authenticated: 0, gone: 0, resets: 0 };
  const basics = {
    config: {
      queueFrames: 16,
      stallTimeoutMs: 10_000,
      authTimeoutMs: options.authTimeoutMs ?? 60_000,
      maxFrameBytes: 100,
    },
    tokens: {},
    sessions: {},
    connections: undefined,
    limiter: {
      take: () => ({ allowed: options.allowed ?? true, retryAfterMs: 5 }),
      reset: () => {
        events.resets += 1;
      },
    },
    logger,
    authenticated: () => {
      events.authenticated += 1;
    },
    gone: () => {
      events.gone += 1;
    },
  } as unknown as SocketBasics;
  return { lines, events, basics };
}

const frames = (ws: FakeSocket) =>
  ws.sent.map((s) => JSON.parse(s) as { type: string; payload: Record<string, unknown> });
const claims = { userId: 'u1', deviceId: 'd1', sessionId: 's1' } as AccessClaims;
const until = async (cond: () => boolean) => {
  for (let i = 0; i < 1000 && !cond(); i++) await new Promise((r) => setImmediate(r));
  assert.ok(cond(), 'condition reached');
};

describe('SocketConnection (shared by the messaging and call sockets)', () => {
  it('hands text frames to the subclass; refuses binary, oversized and rate-limited frames with error frames', () => {
    const { basics } = setup();
    const ws = new FakeSocket();
    const conn = new TestSocket(ws as unknown as WebSocket, basics, undefined, 'closing test socket');
    ws.emit('message', Buffer.from('{"type":"ping"}'), false);
    assert.deepEqual(conn.texts, ['{"type":"ping"}']);
    ws.emit('message', Buffer.from('x'), true);
    ws.emit('message', Buffer.alloc(101, 'a'), false);
    assert.deepEqual(
      frames(ws).map((f) => f.payload['code']),
      ['INVALID_FRAME', 'FRAME_TOO_LARGE'],
    );
    assert.equal(conn.texts.length, 1, 'refused frames never reach the subclass');
    conn.close(CLOSE.normal, 'done', 'test over');

    const limited = setup({ allowed: false });
    const ws2 = new FakeSocket();
    const conn2 = new TestSocket(ws2 as unknown as WebSocket, limited.basics, undefined, 'closing test socket');
    ws2.emit('message', Buffer.from('{}'), false);
    assert.equal(frames(ws2)[0]?.payload['code'], 'RATE_LIMITED');
    assert.equal(conn2.texts.length, 0);
    conn2.close(CLOSE.normal, 'done', 'test over');
  });

  it('closes a socket that does not authenticate within the deadline, releasing once and logging its own line', async () => {
    const { basics, events, lines } = setup({ authTimeoutMs: 20 });
    const ws = new FakeSocket();
    const conn = new TestSocket(ws as unknown as WebSocket, basics, undefined, 'closing test socket');
    await until(() => conn.closed);
    assert.equal(ws.closedWith, CLOSE.authTimeout);
    ws.emit('close');
    ws.emit('error', new Error('late'));
    assert.equal(conn.released, 1, 'released exactly once');
    assert.equal(events.gone, 1);
    assert.equal(events.resets, 1);
    assert.ok(lines.some((l) => l['msg'] === 'closing test socket' && l['code'] === CLOSE.authTimeout));
  });

  it('claims from the upgrade authenticate at once; a session end sends an error frame and closes 4003', async () => {
    const { basics, events } = setup({ authTimeoutMs: 20 });
    const ws = new FakeSocket();
    const conn = new TestSocket(ws as unknown as WebSocket, basics, claims, 'closing test socket');
    await until(() => conn.begun.length === 1);
    assert.equal(conn.who, claims);
    assert.equal(events.authenticated, 1);
    conn.sessionEnded();
    assert.equal(ws.closedWith, CLOSE.sessionEnded);
    assert.equal(frames(ws).at(-1)?.payload['message'], 'session ended');
    assert.equal(conn.released, 1);
    conn.sessionEnded();
    assert.equal(conn.released, 1, 'a second end changes nothing');
  });
});
