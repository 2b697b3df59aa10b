/**
 * The WebSocket gateway end to end, against a real nats-server: two gateway
 * instances (the sender on one, the recipient on the other), authentication
 * (frame, bearer at the upgrade, deadline, refresh tokens refused, a revoked
 * session closing), messages, receipts and typing across instances, resume
 * without loss or duplicates and the resync beyond what is replayed, limits
 * (frame size, malformed JSON, rate, sockets per user, Origin), heartbeats,
 * presence through the PresenceFeed seam, and a stalled reader.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TestNatsServer } from '../support/nats.ts';
import { startTestGuardyn, uniqueName, type TestGuardyn, useGuardyn } from '../support/guardyn.ts';
import { openSocket, type Frame, type TestSocket } from '../support/ws-client.ts';
import { bearer } from '../../gateways/grpc/client.ts';
import type { PresenceFeed, PresenceUpdate } from '../../gateways/presence-feed.ts';

interface Account {
  userId: string;
  deviceId: string;
  token: string;
  refreshToken: string;
  username: string;
}
const PASSWORD = 'correct horse battery';

async function registerUser(g: TestGuardyn): Promise<Account> {
  const name = uniqueName('ws');
  const r = await g.auth.Register!({
    username: name,
    password: PASSWORD,
    email: '',
    device_name: 'laptop',
    device_type: 'desktop',
  });
  assert.equal(r.result, 'success', JSON.stringify(r.error));
  return {
    userId: r.success.user_id,
    deviceId: r.success.device_id,
    token: r.success.access_token,
    refreshToken: r.success.refresh_token,
    username: name,
  };
}

async function send(g: TestGuardyn, from: Account, to: Account, text: string): Promise<Record<string, any>> {
  const r = await g.messaging.SendMessage!(
    { recipient_user_id: to.userId, encrypted_content: Buffer.from(text), message_type: 'TEXT' },
    bearer(from.token),
  );
  assert.equal(r.result, 'success', JSON.stringify(r.error));
  return r.success;
}

const url = (g: TestGuardyn) => `ws://127.0.0.1:${g.ports.websocket}/ws`;
const text = (f: Frame) => Buffer.from(f.payload['content'] as string, 'base64').toString('utf8');

async function connected(
  g: TestGuardyn,
  who: Account,
  extra: Record<string, unknown> = {},
  resume?: number,
): Promise<TestSocket> {
  const s = await openSocket(url(g));
  s.send('auth', { token: who.token, ...extra });
  if (resume !== undefined) s.send('resume', { last_seq: resume });
  const ok = await s.next('auth_response');
  assert.equal(ok.payload['success'], true, JSON.stringify(ok.payload));
  assert.equal(ok.payload['user_id'], who.userId);
  return s;
}

/** A presence feed for the seam: the test pushes updates; watch answers with a snapshot first. */
class TestPresence implements PresenceFeed {
  readonly watchers = new Set<{ viewer: string; ids: readonly string[]; on: (u: PresenceUpdate) => void }>();
  async watch(viewer: string, ids: readonly string[], on: (u: PresenceUpdate) => void) {
    const w = { viewer, ids, on };
    this.watchers.add(w);
    for (const id of ids) on({ userId: id, status: 'OFFLINE', customStatusText: '', at: Date.now() });
    return () => void this.watchers.delete(w);
  }
  push(u: PresenceUpdate) {
    for (const w of this.watchers) if (w.ids.includes(u.userId)) w.on(u);
  }
}

describe('WebSocket gateway', () => {
  let nats: TestNatsServer;
  let g: TestGuardyn;
  let second: TestGuardyn;
  const presence = new TestPresence();
  useGuardyn((s) => ({ nats, g } = s));
  before(async () => {
    // A second gateway instance (messaging only, over the same views), with short limits for the tests.
    second = await startTestGuardyn(nats.url, {
      roles: ['messaging'],
      dataDir: g.dataDir,
      presence,
      env: {
        GUARDYN_WEBSOCKET__AUTH_TIMEOUT_MS: '300',
        GUARDYN_WEBSOCKET__PING_INTERVAL_MS: '100',
        GUARDYN_WEBSOCKET__IDLE_TIMEOUT_MS: '3000',
        GUARDYN_WEBSOCKET__RESUME_MAX_EVENTS: '3',
        GUARDYN_WEBSOCKET__STALL_TIMEOUT_MS: '500',
        GUARDYN_WEBSOCKET__QUEUE_FRAMES: '8',
        GUARDYN_WEBSOCKET__MAX_SOCKETS_PER_USER: '2',
        GUARDYN_WEBSOCKET__FRAMES_PER_SOCKET: '40',
        GUARDYN_WEBSOCKET__ALLOWED_ORIGINS: 'https://app.guardyn.test',
        GUARDYN_WEBSOCKET__SESSION_CHECK_MS: '250',
      },
    });
  });
  after(async () => second?.stop());

  it('delivers a message sent through gRPC on one instance to a socket on the other, with its seq', async () => {
    const a = await registerUser(g);
    const b = await registerUser(g);
    const s = await connected(second, b);
    try {
      const sent = await send(g, a, b, 'across instances');
      const m = await s.next('message');
      assert.equal(m.payload['message_id'], sent.message_id);
      assert.equal(text(m), 'across instances');
      assert.equal(m.payload['sender_id'], a.userId);
      assert.equal(m.payload['recipient_id'], b.userId);
      assert.equal(m.payload['encrypted'], true);
      assert.equal(m.payload['content_type'], 'text');
      assert.equal(m.payload['seq'], Number(sent.consistency.seq));
      assert.match(m.payload['timestamp'], /^\d{4}-\d\d-\d\dT/);
    } finally {
      await s.close();
    }
  });

  it("tells the sender's sockets, on any instance, when a device of the recipient has received the message", async () => {
    const a = await registerUser(g);
    const b = await registerUser(g);
    const sa = await connected(g, a);
    try {
      const sent = await send(g, a, b, 'receipt please');
      await sleep(300);
      assert.equal(sa.all('delivery_receipt').length, 0, 'no receipt before a device of the recipient has it');
      const sb = await connected(second, b); // the recipient's device connects on the other instance
      try {
        await sb.next('message');
        const receipt = await sa.next('delivery_receipt');
        assert.deepEqual(receipt.payload['message_ids'], [sent.message_id]);
        assert.equal(receipt.payload['user_id'], b.userId);
        assert.equal(receipt.payload['device_id'], b.deviceId);
        assert.equal(receipt.payload['conversation_id'], sent.conversation_id);
        assert.match(receipt.payload['delivered_at'], /^\d{4}-\d\d-\d\dT/);
      } finally {
        await sb.close();
      }
    } finally {
      await sa.close();
    }
  });

  it('send_message, mark_read and typing frames go through the same commands, across instances', async () => {
    const a = await registerUser(g);
    const b = await registerUser(g);
    const sa = await connected(g, a);
    const sb = await connected(second, b);
    try {
      const content = Buffer.from('hello over ws').toString('base64');
      sa.send(
        'send_message',
        { recipient_id: b.userId, content, encrypted: true, client_message_id: 'c-1' },
        { request_id: 'r1' },
      );
      const ack = await sa.next('message_sent');
      assert.equal(ack.payload['client_message_id'], 'c-1');
      assert.equal(ack.payload['request_id'], 'r1');
      const got = await sb.next('message');
      assert.equal(got.payload['message_id'], ack.payload['message_id']);
      assert.equal(text(got), 'hello over ws');
      // The same client_message_id again: the same message, not a second one.
      sa.send('send_message', { recipient_id: b.userId, content, encrypted: true, client_message_id: 'c-1' });
      const again = await sa.next('message_sent');
      assert.equal(again.payload['message_id'], ack.payload['message_id']);

      sb.send('mark_read', {
        conversation_id: got.payload['conversation_id'],
        message_ids: [got.payload['message_id']],
      });
      const marked = await sb.next('mark_read_ack');
      assert.equal(marked.payload['marked_count'], 1);
      const receipt = await sa.next('read_receipt');
      assert.deepEqual(receipt.payload['message_ids'], [got.payload['message_id']]);
      assert.equal(receipt.payload['user_id'], b.userId);
      assert.ok(receipt.payload['seq'] > 0);
      // The sender may not mark its own message read (same authorization as gRPC).
      sa.send('mark_read', {
        conversation_id: got.payload['conversation_id'],
        message_ids: [got.payload['message_id']],
      });
      assert.equal((await sa.next('error')).payload['code'], 'FORBIDDEN');

      sa.send('typing', { conversation_id: b.userId, is_typing: true });
      const typing = await sb.next('typing');
      assert.equal(typing.payload['user_id'], a.userId);
      assert.equal(typing.payload['is_typing'], true);
      assert.equal(typeof typing.payload['seq'], 'number');
      await sleep(300);
      assert.equal(sb.all('message').length, 1, 'the duplicate send delivered nothing new');
    } finally {
      await sa.close();
      await sb.close();
    }
  });

  it('resume after a dropped socket replays what was missed, in order, once; beyond the limit it says resync', async () => {
    const a = await registerUser(g);
    const b = await registerUser(g);
    let s = await connected(second, b);
    await send(g, a, b, 'm1');
    await send(g, a, b, 'm2');
    await s.next('message');
    const last = await s.next('message');
    assert.equal(text(last), 'm2');
    s.ws.terminate(); // dropped, no clean close
    await s.closed;
    for (const t of ['m3', 'm4', 'm5']) await send(g, a, b, t);
    s = await connected(second, b, {}, last.payload['seq']);
    try {
      const replayed = [await s.next('message'), await s.next('message'), await s.next('message')];
      assert.deepEqual(replayed.map(text), ['m3', 'm4', 'm5']);
      const seqs = replayed.map((f) => f.payload['seq'] as number);
      assert.deepEqual(
        [...seqs].sort((x, y) => x - y),
        seqs,
      );
      await send(g, a, b, 'm6');
      assert.equal(text(await s.next('message')), 'm6');
      await sleep(300);
      assert.deepEqual(s.all('message').map(text), ['m3', 'm4', 'm5', 'm6'], 'nothing repeated');
    } finally {
      await s.close();
    }
    // Four missed with a limit of three: resync, then live from the head.
    const r = await connected(second, b, { last_seq: last.payload['seq'] });
    try {
      const resync = await r.next('resync');
      assert.equal(resync.payload['action'], 'GetMessages');
      await send(g, a, b, 'm7');
      assert.deepEqual([text(await r.next('message'))], ['m7']);
      assert.equal(r.all('message').length, 1);
    } finally {
      await r.close();
    }
  });

  it('without resume, a socket starts at the device delivery cursor', async () => {
    const a = await registerUser(g);
    const b = await registerUser(g);
    await send(g, a, b, 'waiting');
    const s = await connected(g, b);
    try {
      assert.equal(text(await s.next('message')), 'waiting');
    } finally {
      await s.close();
    }
  });

  it('closes a socket without auth after the deadline; refuses bad and refresh tokens', async () => {
    const started = Date.now();
    const s = await openSocket(url(second));
    assert.equal(await s.closed, 4002);
    const took = Date.now() - started;
    assert.ok(took >= 250 && took < 2000, `closed after ${took} ms`);

    const b = await registerUser(g);
    for (const token of ['not-a-token', b.refreshToken]) {
      const t = await openSocket(url(g));
      t.send('auth', { token });
      const r = await t.next('auth_response');
      assert.equal(r.payload['success'], false);
      assert.equal(await t.closed, 4001);
    }
  });

  it('accepts a bearer token at the upgrade and refuses a bad one, another path or origin', async () => {
    const b = await registerUser(g);
    const s = await openSocket(url(g), { headers: { authorization: `Bearer ${b.token}` } });
    try {
      const r = await s.next('auth_response');
      assert.equal(r.payload['success'], true);
      s.send('ping', { timestamp: 42 });
      assert.equal((await s.next('pong')).payload['timestamp'], 42);
    } finally {
      await s.close();
    }
    await assert.rejects(openSocket(url(g), { headers: { authorization: 'Bearer nope' } }), /401/);
    await assert.rejects(openSocket(`ws://127.0.0.1:${g.ports.websocket}/other`), /404/);
    await assert.rejects(openSocket(url(second), { origin: 'https://evil.test' }), /403/);
    const ok = await openSocket(url(second), { origin: 'https://app.guardyn.test' });
    await ok.close();
  });

  it('closes the sockets of a revoked session within two seconds', async () => {
    const b = await registerUser(g);
    const s = await connected(second, b);
    const r = await g.auth.Logout!({ access_token: b.token, all_devices: false });
    assert.equal(r.result, 'success', JSON.stringify(r.error));
    const started = Date.now();
    const code = await Promise.race([s.closed, sleep(2500).then(() => -1)]);
    assert.equal(code, 4003, `closed with ${code} after ${Date.now() - started} ms`);
    assert.equal(s.all('error').at(-1)?.payload['message'], 'session ended');
  });

  it('answers oversize frames, malformed JSON and bad fields with error frames, and the socket lives on', async () => {
    const b = await registerUser(g);
    const s = await connected(g, b);
    try {
      s.ws.send('x'.repeat(70 * 1024));
      assert.equal((await s.next('error')).payload['code'], 'FRAME_TOO_LARGE');
      s.ws.send('{not json');
      assert.equal((await s.next('error')).payload['code'], 'PARSE_ERROR');
      s.send('send_message', { recipient_id: 'nobody', content: 'eA==' });
      const bad = await s.next('error');
      assert.equal(bad.payload['code'], 'INVALID_FRAME');
      assert.equal(bad.payload['context']['field'], 'payload.recipient_id');
      s.send('mark_read', { message_ids: [] });
      assert.equal((await s.next('error')).payload['context']['field'], 'payload.message_ids');
      s.send('subscribe', { subscription_type: 'weather' });
      assert.equal((await s.next('error')).payload['code'], 'INVALID_SUBSCRIPTION');
      s.send('dance', {});
      assert.equal((await s.next('error')).payload['context']['field'], 'type');
      s.send('ping', { timestamp: 7 });
      assert.equal((await s.next('pong')).payload['timestamp'], 7);
      assert.equal(s.ws.readyState, s.ws.OPEN);
    } finally {
      await s.close();
    }
  });

  it('limits frames per socket with RATE_LIMITED and sockets per user by closing the oldest', async () => {
    const b = await registerUser(g);
    const s1 = await connected(second, b);
    for (let i = 0; i < 60; i++) s1.send('ping', { timestamp: i });
    const limited = await s1.next('error', (f) => f.payload['code'] === 'RATE_LIMITED');
    assert.ok(Number(limited.payload['context']['retry_after_ms']) > 0);
    const s2 = await connected(second, b);
    const s3 = await connected(second, b);
    assert.equal(await s1.closed, 4004);
    assert.equal(s2.ws.readyState, s2.ws.OPEN);
    await s2.close();
    await s3.close();
  });

  it('pings; closes a socket that stays silent, keeps one that answers', async () => {
    const b = await registerUser(g);
    const silent = await openSocket(url(second), { autoPong: false });
    silent.send('auth', { token: b.token });
    await silent.next('auth_response');
    const alive = await connected(second, b);
    let pings = 0;
    alive.ws.on('ping', () => pings++);
    const code = await Promise.race([silent.closed, sleep(6000).then(() => -1)]);
    assert.ok(code !== -1, 'the silent socket was closed');
    await sleep(1000);
    assert.equal(alive.ws.readyState, alive.ws.OPEN);
    assert.ok(pings >= 3, `pinged ${pings} times`);
    await alive.close();
  });

  it('presence frames come from the PresenceFeed seam', async () => {
    const a = await registerUser(g);
    const b = await registerUser(g);
    const s = await connected(second, b);
    try {
      s.send('subscribe', { subscription_type: 'presence', target_ids: [a.userId] });
      await s.next('subscribed');
      const snapshot = await s.next('presence');
      assert.equal(snapshot.payload['status'], 'offline');
      presence.push({ userId: a.userId, status: 'ONLINE', customStatusText: '', lastSeen: Date.now(), at: Date.now() });
      const online = await s.next('presence');
      assert.equal(online.payload['status'], 'online');
      assert.equal(online.payload['user_id'], a.userId);
      s.send('unsubscribe', { subscription_type: 'presence', target_ids: [a.userId] });
      await s.next('unsubscribed');
      assert.equal(presence.watchers.size, 0);
    } finally {
      await s.close();
    }
  });

  it('shows real presence across processes: a socket on one gateway makes its user ONLINE for a contact on another', async () => {
    // A presence process of its own, beside the gateway instance `g` (which runs the feed but no presence engine).
    const pres = await startTestGuardyn(nats.url, { roles: ['presence'], dataDir: g.dataDir, env: {} });
    const a = await registerUser(g);
    const b = await registerUser(g);
    const stranger = await registerUser(g);
    await send(g, a, b, 'hello'); // a and b share a conversation: they may see each other
    const watcher = await connected(g, b);
    const outsider = await connected(g, stranger);
    try {
      watcher.send('subscribe', { subscription_type: 'presence', target_ids: [a.userId] });
      await watcher.next('subscribed');
      assert.equal((await watcher.next('presence')).payload['status'], 'offline');
      outsider.send('subscribe', { subscription_type: 'presence', target_ids: [a.userId] });
      await outsider.next('subscribed');
      const sa = await connected(second, a);
      let online = await watcher.next('presence');
      while (online.payload['status'] !== 'online') online = await watcher.next('presence');
      assert.equal(online.payload['user_id'], a.userId);
      await sa.close();
      let offline = await watcher.next('presence');
      while (offline.payload['status'] !== 'offline') offline = await watcher.next('presence');
      // Privacy: the stranger shares nothing with a and got no presence frame of a.
      outsider.send('ping', {});
      await outsider.next('pong');
      assert.equal(outsider.all('presence').length, 0);
    } finally {
      await watcher.close();
      await outsider.close();
      await pres.stop();
    }
  });

  it('closes a stalled reader and keeps serving the others, with bounded memory', async () => {
    const a = await registerUser(g);
    const b = await registerUser(g);
    const c = await registerUser(g);
    // Its own instance: the default idle timeout (60 s), so only the stall can close the reader.
    const third = await startTestGuardyn(nats.url, {
      roles: ['messaging'],
      dataDir: g.dataDir,
      env: { GUARDYN_WEBSOCKET__STALL_TIMEOUT_MS: '500', GUARDYN_WEBSOCKET__QUEUE_FRAMES: '8' },
    });
    try {
      const stalled = await connected(third, b);
      const healthy = await connected(third, c);
      // The client stops reading: the kernel buffers fill, then the gateway's.
      (stalled.ws as unknown as { _socket: { pause(): void } })._socket.pause();
      const big = Buffer.alloc(200 * 1024, 7);
      const heapBefore = process.memoryUsage().heapUsed;
      await Promise.all(
        Array.from({ length: 4 }, async () => {
          for (let i = 0; i < 10; i++) {
            const r = await g.messaging.SendMessage!(
              { recipient_user_id: b.userId, encrypted_content: big, message_type: 'FILE' },
              bearer(a.token),
            );
            assert.equal(r.result, 'success');
          }
        }),
      );
      await send(g, a, c, 'still served');
      assert.equal(text(await healthy.next('message')), 'still served');
      // The stalled socket is closed (its queue made no progress for 500 ms).
      const deadline = Date.now() + 8000;
      while (Date.now() < deadline) {
        const metrics = await (await import('../../runtime/metrics.ts')).metricsRegistry.getSingleMetricAsString(
          'guardyn_ws_closed_total',
        );
        if (/reason="slow consumer"/.test(metrics)) break;
        await sleep(100);
      }
      assert.ok(
        Date.now() < deadline,
        `the stalled socket was closed as a slow consumer (got ${stalled.frames.length} frames, ${await (await import('../../runtime/metrics.ts')).metricsRegistry.getSingleMetricAsString('guardyn_ws_closed_total')})`,
      );
      const grown = process.memoryUsage().heapUsed - heapBefore;
      assert.ok(grown < 64 * 1024 * 1024, `heap grew ${grown} bytes`);
      (stalled.ws as unknown as { _socket: { resume(): void } })._socket.resume();
      await Promise.race([stalled.closed, sleep(3000)]);
      assert.equal(healthy.ws.readyState, healthy.ws.OPEN);
      await healthy.close();
    } finally {
      await third.stop();
    }
  });
});
