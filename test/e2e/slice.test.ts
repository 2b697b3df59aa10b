/**
 * The first vertical slice over real gRPC against a real nats-server:
 * Register, Login, SendMessage and GetMessages, their refusals of bad input,
 * idempotency and concurrency.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { SignJWT, generateKeyPair } from 'jose';
import type { TestNatsServer } from '../support/nats.ts';
import { startTestGuardyn, uniqueName, type TestGuardyn, useGuardyn } from '../support/guardyn.ts';
import { bearer } from '../../gateways/grpc/client.ts';

interface Account {
  userId: string;
  deviceId: string;
  token: string;
  username: string;
}

async function registerUser(g: TestGuardyn, name = uniqueName()): Promise<Account> {
  const r = await g.auth.Register!({
    username: name,
    password: 'correct horse battery',
    email: '',
    device_name: 'laptop',
    device_type: 'desktop',
  });
  assert.equal(r.result, 'success', JSON.stringify(r.error));
  return { userId: r.success.user_id, deviceId: r.success.device_id, token: r.success.access_token, username: name };
}

async function send(g: TestGuardyn, from: Account, to: Account, text: string, extra: Record<string, unknown> = {}) {
  return g.messaging.SendMessage!(
    { recipient_user_id: to.userId, encrypted_content: Buffer.from(text), message_type: 'TEXT', ...extra },
    bearer(from.token),
  );
}

describe('vertical slice over gRPC', () => {
  let nats: TestNatsServer;
  let g: TestGuardyn;

  useGuardyn((started) => ({ nats, g } = started));

  it('registers, logs in on a new device, and lists both devices', async () => {
    const name = uniqueName('Alice');
    const a = await registerUser(g, name);
    assert.match(a.userId, /^[0-9a-f-]{36}$/);
    const login = await g.auth.Login!({
      username: name.toLowerCase(),
      password: 'correct horse battery',
      device_name: 'phone',
      device_type: 'ios',
    });
    assert.equal(login.result, 'success', JSON.stringify(login.error));
    assert.equal(login.success.user_id, a.userId);
    assert.notEqual(login.success.device_id, a.deviceId);
    assert.equal(login.success.profile.username, name);
    assert.equal(login.success.devices.length, 2);
    assert.equal(login.success.devices.filter((d: { is_current: boolean }) => d.is_current).length, 1);
    assert.equal(login.success.consistency.stream, 'ACCOUNTS');
    assert.ok(Number(login.success.consistency.seq) > 0);
    const again = await g.auth.Login!({
      username: name,
      password: 'correct horse battery',
      device_id: login.success.device_id,
      device_name: 'phone',
      device_type: 'ios',
    });
    assert.equal(again.success.devices.length, 2);
  });

  it('refuses a taken username case-insensitively, with CONFLICT', async () => {
    const name = uniqueName('Bob');
    await registerUser(g, name);
    const dup = await g.auth.Register!({
      username: name.toUpperCase(),
      password: 'another password',
      email: '',
      device_name: '',
      device_type: '',
    });
    assert.equal(dup.result, 'error');
    assert.equal(dup.error.code, 'CONFLICT');
  });

  it('answers a wrong password and an unknown user alike', async () => {
    const name = uniqueName();
    await registerUser(g, name);
    const wrong = await g.auth.Login!({ username: name, password: 'not the password' });
    const unknown = await g.auth.Login!({ username: uniqueName('ghost'), password: 'not the password' });
    assert.equal(wrong.error.code, 'UNAUTHORIZED');
    assert.deepEqual({ ...wrong.error }, { ...unknown.error });
  });

  it('sends and reads back messages newest first, paging by cursor, with read-your-writes', async () => {
    const a = await registerUser(g);
    const b = await registerUser(g);
    let last: Record<string, any> = {};
    for (let i = 0; i < 7; i++) {
      last = await send(g, a, b, `ciphertext ${i}`, { client_timestamp: { seconds: 1700000000 + i, nanos: 5 } });
      assert.equal(last.result, 'success', JSON.stringify(last.error));
    }
    assert.equal(last.success.delivery_status, 'SENT');
    const minSeq = last.success.consistency.seq;
    const page1 = await g.messaging.GetMessages!(
      { conversation_user_id: a.userId, limit: 3, min_seq: minSeq },
      bearer(b.token),
    );
    assert.equal(page1.result, 'success', JSON.stringify(page1.error));
    assert.equal(page1.success.stale, false);
    assert.deepEqual(
      page1.success.messages.map((m: { encrypted_content: Buffer }) => m.encrypted_content.toString()),
      ['ciphertext 6', 'ciphertext 5', 'ciphertext 4'],
    );
    assert.equal(page1.success.has_more, true);
    assert.equal(page1.success.messages[0].client_timestamp.seconds, '1700000006');
    assert.equal(page1.success.messages[0].sender_user_id, a.userId);
    assert.equal(page1.success.messages[0].recipient_user_id, b.userId);
    const seen: string[] = page1.success.messages.map((m: { message_id: string }) => m.message_id);
    let cursor = page1.success.next_cursor;
    while (cursor) {
      const next = await g.messaging.GetMessages!(
        { conversation_id: page1.success.messages[0].conversation_id, limit: 3, cursor },
        bearer(a.token),
      );
      assert.equal(next.result, 'success', JSON.stringify(next.error));
      seen.push(...next.success.messages.map((m: { message_id: string }) => m.message_id));
      cursor = next.success.next_cursor;
      if (!cursor) assert.equal(next.success.has_more, false);
    }
    assert.equal(seen.length, 7);
    assert.equal(new Set(seen).size, 7);
    const legacy = await g.messaging.GetMessages!(
      { conversation_user_id: b.userId, pagination: { page: 2, page_size: 3 } },
      bearer(a.token),
    );
    assert.deepEqual(
      legacy.success.messages.map((m: { encrypted_content: Buffer }) => m.encrypted_content.toString()),
      ['ciphertext 3', 'ciphertext 2', 'ciphertext 1'],
    );
    assert.equal(legacy.success.pagination.total_items, 7);
    assert.equal(legacy.success.pagination.current_page, 2);
  });

  it('honours the time range of GetMessages', async () => {
    const a = await registerUser(g);
    const b = await registerUser(g);
    const before = Date.now();
    const first = await send(g, a, b, 'early');
    await sleep(30);
    const cut = Date.now();
    await sleep(30);
    const second = await send(g, a, b, 'late');
    const s = (ms: number) => ({ seconds: String(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1e6 });
    const onlyLate = await g.messaging.GetMessages!(
      { conversation_user_id: b.userId, start_time: s(cut), min_seq: second.success.consistency.seq },
      bearer(a.token),
    );
    assert.deepEqual(
      onlyLate.success.messages.map((m: { encrypted_content: Buffer }) => m.encrypted_content.toString()),
      ['late'],
    );
    const onlyEarly = await g.messaging.GetMessages!(
      { conversation_user_id: b.userId, start_time: s(before - 1000), end_time: s(cut) },
      bearer(a.token),
    );
    assert.deepEqual(
      onlyEarly.success.messages.map((m: { message_id: string }) => m.message_id),
      [first.success.message_id],
    );
  });

  it('keeps one message for a resent client_message_id', async () => {
    const a = await registerUser(g);
    const b = await registerUser(g);
    const first = await send(g, a, b, 'once', { client_message_id: 'client-1' });
    const resent = await send(g, a, b, 'once', { client_message_id: 'client-1' });
    assert.equal(resent.result, 'success');
    assert.equal(resent.success.message_id, first.success.message_id);
    // After the views caught up, the resend is answered from the message index too.
    await g.messaging.GetMessages!(
      { conversation_user_id: b.userId, min_seq: first.success.consistency.seq },
      bearer(a.token),
    );
    const third = await send(g, a, b, 'once', { client_message_id: 'client-1' });
    assert.equal(third.success.message_id, first.success.message_id);
    const all = await g.messaging.GetMessages!({ conversation_user_id: b.userId }, bearer(a.token));
    assert.equal(all.success.messages.length, 1);
  });

  it('does not let a third user read the conversation', async () => {
    const a = await registerUser(g);
    const b = await registerUser(g);
    const c = await registerUser(g);
    const sent = await send(g, a, b, 'private');
    const conversationId = sent.success.conversation_id;
    const byId = await g.messaging.GetMessages!(
      { conversation_id: conversationId, min_seq: sent.success.consistency.seq },
      bearer(c.token),
    );
    assert.equal(byId.result, 'error');
    assert.equal(byId.error.code, 'NOT_FOUND');
    const byPeer = await g.messaging.GetMessages!({ conversation_user_id: a.userId }, bearer(c.token));
    assert.equal(byPeer.success.messages.length, 0);
    const owner = await g.messaging.GetMessages!({ conversation_id: conversationId }, bearer(b.token));
    assert.equal(owner.success.messages.length, 1);
  });

  it('refuses bad input with INVALID_REQUEST naming the field, and changes nothing', async () => {
    const a = await registerUser(g);
    const b = await registerUser(g);
    const cases: [string, Record<string, unknown>, string][] = [
      ['Register', { username: 'x', password: 'long enough pw' }, 'username'],
      ['Register', { username: uniqueName(), password: 'short' }, 'password'],
      ['Register', { username: uniqueName(), password: 'long enough pw', email: 'not-an-email' }, 'email'],
      ['Register', { username: 'bad name!', password: 'long enough pw' }, 'username'],
      [
        'Register',
        {
          username: uniqueName(),
          password: 'long enough pw',
          key_bundle: {
            identity_key: Buffer.alloc(0),
            signed_pre_key: Buffer.from([1]),
            signed_pre_key_signature: Buffer.from([1]),
          },
        },
        'key_bundle.identity_key',
      ],
      ['Login', { username: uniqueName(), password: 'long enough pw', device_id: 'NOT-A-UUID' }, 'device_id'],
    ];
    for (const [method, request, field] of cases) {
      const r = await g.auth[method]!(request);
      assert.equal(r.error?.code, 'INVALID_REQUEST', `${method} ${JSON.stringify(request)}`);
      assert.equal(r.error.details.field, field);
    }
    const sends: [Record<string, unknown>, string][] = [
      [{ recipient_user_id: b.userId, encrypted_content: Buffer.alloc(0) }, 'encrypted_content'],
      [{ recipient_user_id: b.userId, encrypted_content: Buffer.alloc(256 * 1024 + 1) }, 'encrypted_content'],
      [{ recipient_user_id: 'nope', encrypted_content: Buffer.from('x') }, 'recipient_user_id'],
      [{ encrypted_content: Buffer.from('x') }, 'recipient_user_id'],
      [{ recipient_user_id: b.userId, encrypted_content: Buffer.from('x'), message_type: 99 }, 'message_type'],
      [
        {
          recipient_user_id: b.userId,
          encrypted_content: Buffer.from('x'),
          client_timestamp: { seconds: '99999999999999', nanos: 0 },
        },
        'client_timestamp',
      ],
      [
        { recipient_user_id: b.userId, encrypted_content: Buffer.from('x'), client_message_id: 'x'.repeat(129) },
        'client_message_id',
      ],
    ];
    for (const [request, field] of sends) {
      const r = await g.messaging.SendMessage!(request, bearer(a.token));
      assert.equal(r.error?.code, 'INVALID_REQUEST', JSON.stringify(Object.keys(request)));
      assert.equal(r.error.details.field, field);
    }
    const unknownRecipient = await send(g, a, { ...b, userId: '00000000-0000-4000-8000-000000000000' }, 'x');
    assert.equal(unknownRecipient.error.code, 'NOT_FOUND');
    const gets: [Record<string, unknown>, string][] = [
      [{}, 'conversation_user_id'],
      [{ conversation_user_id: b.userId, limit: 101 }, 'limit'],
      [{ conversation_user_id: b.userId, cursor: 'garbage' }, 'cursor'],
      [{ conversation_user_id: b.userId, pagination: { page: 1000, page_size: 100 } }, 'pagination.page'],
    ];
    for (const [request, field] of gets) {
      const r = await g.messaging.GetMessages!(request, bearer(a.token));
      assert.equal(r.error?.code, 'INVALID_REQUEST', JSON.stringify(request));
      assert.equal(r.error.details.field, field);
    }
    const none = await g.messaging.GetMessages!({ conversation_user_id: b.userId }, bearer(a.token));
    assert.equal(none.success.messages.length, 0, 'no refused send left a message');
  });

  it('refuses missing, forged, expired and mismatched tokens with UNAUTHORIZED', async () => {
    const a = await registerUser(g);
    const b = await registerUser(g);
    const request = { recipient_user_id: b.userId, encrypted_content: Buffer.from('x') };
    const missing = await g.messaging.SendMessage!(request);
    assert.equal(missing.error.code, 'UNAUTHORIZED');
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const forged = await new SignJWT({ did: a.deviceId, sid: 'x', typ: 'access' })
      .setProtectedHeader({ alg: 'EdDSA' })
      .setSubject(a.userId)
      .setIssuer('guardyn')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
    assert.equal((await g.messaging.SendMessage!(request, bearer(forged))).error.code, 'UNAUTHORIZED');
    assert.equal((await g.messaging.SendMessage!({ ...request, access_token: 'a.b.c' })).error.code, 'UNAUTHORIZED');
    const tampered = a.token.slice(0, -4) + (a.token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    assert.equal((await g.messaging.SendMessage!(request, bearer(tampered))).error.code, 'UNAUTHORIZED');
    const other = await g.auth.Login!({ username: a.username, password: 'correct horse battery' });
    const mismatch = await g.messaging.SendMessage!(
      { ...request, access_token: other.success.access_token },
      bearer(a.token),
    );
    assert.equal(mismatch.error.code, 'UNAUTHORIZED');
    const both = await g.messaging.SendMessage!({ ...request, access_token: a.token }, bearer(a.token));
    assert.equal(both.result, 'success');
  });

  it('lands 20 concurrent senders on one conversation through two gateways, in stream order, with no conflict leaking', async () => {
    // Another instance with its own (empty) views, sharing the token signing key as a deployment would.
    const key = fs.readFileSync(path.join(g.dataDir, 'keys', 'jwt-ed25519.pem'), 'utf8');
    const second = await startTestGuardyn(nats.url, {
      roles: ['messaging'],
      env: { GUARDYN_AUTH__JWT_PRIVATE_KEY: key },
    });
    try {
      const a = await registerUser(g);
      const b = await registerUser(g);
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => {
          const gateway = i % 2 === 0 ? g : second;
          const [from, to] = i % 3 === 0 ? [b, a] : [a, b];
          return gateway.messaging.SendMessage!(
            { recipient_user_id: to.userId, encrypted_content: Buffer.from(`m${i}`), client_message_id: `c${i}` },
            bearer(from.token),
          );
        }),
      );
      for (const r of results) assert.equal(r.result, 'success', JSON.stringify(r.error));
      const maxSeq = Math.max(...results.map((r) => Number(r.success.consistency.seq)));
      const page = await g.messaging.GetMessages!(
        { conversation_user_id: b.userId, limit: 100, min_seq: String(maxSeq) },
        bearer(a.token),
      );
      assert.equal(page.success.messages.length, 20);
      const seqs = page.success.messages.map((m: { seq: string }) => Number(m.seq));
      assert.deepEqual(
        seqs,
        [...seqs].sort((x, y) => y - x),
        'newest first by stream sequence',
      );
      assert.deepEqual(
        new Set(page.success.messages.map((m: { message_id: string }) => m.message_id)),
        new Set(results.map((r) => r.success.message_id)),
      );
    } finally {
      await second.stop();
    }
  });

  it('answers Health on both services', async () => {
    const [auth, messaging] = await Promise.all([g.auth.Health!({}), g.messaging.Health!({})]);
    assert.equal(auth.status, 'HEALTHY');
    assert.equal(messaging.status, 'HEALTHY');
    assert.equal(messaging.components.nats, 'ok');
  });
});
