/**
 * Frames whose type names a prototype member, against a real WebSocket gateway
 * and nats-server: `{"type":"constructor"}` before the auth frame and
 * `{"type":"__proto__"}` after it are answered with an INVALID_FRAME error
 * frame; the process keeps serving (the same socket and another client still
 * work, a message still arrives). Bad frames are the client's mistakes: they
 * write no error line to the log.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { withNatsServer, type TestNatsServer } from '../support/nats.ts';
import { startTestGuardyn, uniqueName, type TestGuardyn } from '../support/guardyn.ts';
import { capturedLogger, LEVEL } from '../support/log-capture.ts';
import { openSocket, type TestSocket } from '../support/ws-client.ts';
import { bearer } from '../../gateways/grpc/client.ts';
import { PROTOTYPE_KEYS } from '../support/hostile.ts';

interface Account {
  userId: string;
  token: string;
}

describe('WebSocket frames naming prototype members', () => {
  let nats: TestNatsServer;
  let g: TestGuardyn;
  const { logger, lines } = capturedLogger('info');
  before(async () => {
    nats = await withNatsServer();
    g = await startTestGuardyn(nats.url, { logger });
  });
  after(async () => {
    await g?.stop();
    await nats?.stop();
  });

  async function register(): Promise<Account> {
    const r = await g.auth.Register!({
      username: uniqueName('proto'),
      password: 'correct horse battery',
      email: '',
      device_name: 'laptop',
      device_type: 'desktop',
    });
    assert.equal(r.result, 'success', JSON.stringify(r.error));
    return { userId: r.success.user_id, token: r.success.access_token };
  }

  const url = () => `ws://127.0.0.1:${g.ports.websocket}/ws`;

  async function authenticated(who: Account): Promise<TestSocket> {
    const s = await openSocket(url());
    s.send('auth', { token: who.token });
    assert.equal((await s.next('auth_response')).payload['success'], true);
    return s;
  }

  const invalidType = async (s: TestSocket, type: string) => {
    const e = await s.next('error');
    assert.equal(e.payload['code'], 'INVALID_FRAME', `${type}: ${JSON.stringify(e.payload)}`);
    assert.equal(e.payload['context']?.['field'], 'type');
  };

  it('answers an error frame before and after auth, and every client keeps being served', async () => {
    const alice = await register();
    const bob = await register();

    // Before the auth frame.
    const early = await openSocket(url());
    early.ws.send('{"type":"constructor","payload":{}}');
    await invalidType(early, 'constructor');
    early.send('auth', { token: alice.token });
    assert.equal((await early.next('auth_response')).payload['success'], true, 'the socket still authenticates');

    // After it: every prototype name, with and without a payload.
    const late = await authenticated(bob);
    late.ws.send('{"type":"__proto__"}');
    await invalidType(late, '__proto__');
    for (const type of PROTOTYPE_KEYS) {
      late.ws.send(JSON.stringify({ type, payload: {} }));
      await invalidType(late, type);
    }
    late.send('ping', { timestamp: 7 });
    assert.equal((await late.next('pong')).payload['timestamp'], 7);

    // Another client: a new socket, and a message delivered live.
    const other = await authenticated(alice);
    const sent = await g.messaging.SendMessage!(
      { recipient_user_id: bob.userId, encrypted_content: Buffer.from('still here'), message_type: 'TEXT' },
      bearer(alice.token),
    );
    assert.equal(sent.result, 'success', JSON.stringify(sent.error));
    const m = await late.next('message');
    assert.equal(Buffer.from(m.payload['content'] as string, 'base64').toString(), 'still here');
    for (const s of [early, late, other]) await s.close();
  });

  it('bad frames (not JSON, binary, unknown or prototype types, bad fields) write no error line', async () => {
    const carol = await register();
    const s = await authenticated(carol);
    const before = lines.length;
    const bad = [
      '{',
      'null',
      '[]',
      '{"type":"toString"}',
      '{"type":"send_message","payload":{"recipient_id":"x"}}',
      '{"type":"auth","payload":{"__proto__":{"token":"t"}}}',
    ];
    for (let i = 0; i < 20; i++) for (const text of bad) s.ws.send(text);
    s.ws.send(Buffer.from([0xff, 0x00]), { binary: true });
    const answered = 20 * bad.length + 1;
    // Each is answered (INVALID_FRAME, PARSE_ERROR, or RATE_LIMITED once the socket's frame limit is reached).
    for (let i = 0; i < answered; i++) await s.next('error');
    const next = await authenticated(carol);
    next.send('ping', { timestamp: 1 });
    await next.next('pong');
    await next.close();
    const fresh = lines.slice(before);
    assert.deepEqual(
      fresh.filter((l) => l['level'] >= LEVEL.error).map((l) => l['msg']),
      [],
      'no error line',
    );
    assert.ok(fresh.filter((l) => l['level'] >= LEVEL.warn).length <= 20, `${fresh.length} lines`);
    await s.close();
  });
});
