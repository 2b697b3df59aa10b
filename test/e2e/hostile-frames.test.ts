/**
 * Frames whose type names a prototype member, against a real WebSocket gateway
 * and nats-server: `{"type":"constructor"}` before the auth frame and
 * `{"type":"__proto__"}` after it are answered with an INVALID_FRAME error
 * frame; the process keeps serving (the same socket and another client still
 * work, a message still arrives).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TestNatsServer } from '../support/nats.ts';
import { uniqueName, useGuardyn, type TestGuardyn } from '../support/guardyn.ts';
import { openSocket, type TestSocket } from '../support/ws-client.ts';
import { bearer } from '../../gateways/grpc/client.ts';
import { PROTOTYPE_KEYS } from '../support/hostile.ts';

interface Account { userId: string; token: string }

describe('WebSocket frames naming prototype members', () => {
  let g: TestGuardyn;
  useGuardyn((s: { nats: TestNatsServer; g: TestGuardyn }) => ({ g } = s));

  async function register(): Promise<Account> {
    const r = await g.auth.Register!({ username: uniqueName('proto'), password: 'correct horse battery', email: '', device_name: 'laptop', device_type: 'desktop' });
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
    const sent = await g.messaging.SendMessage!({ recipient_user_id: bob.userId, encrypted_content: Buffer.from('still here'), message_type: 'TEXT' }, bearer(alice.token));
    assert.equal(sent.result, 'success', JSON.stringify(sent.error));
    const m = await late.next('message');
    assert.equal(Buffer.from(m.payload['content'] as string, 'base64').toString(), 'still here');
    for (const s of [early, late, other]) await s.close();
  });
});
