/**
 * PresenceService over real gRPC against a real nats-server: every RPC's
 * success and refusal paths, privacy (only users sharing a conversation or a
 * group see each other; INVISIBLE shows OFFLINE without last_seen), Subscribe
 * (a snapshot, then each change once, typing included), and status following
 * reality with short timeouts: ONLINE → AWAY → OFFLINE for a stream, a
 * heartbeat that stops, and a gateway process killed with SIGKILL.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import { withNatsServer, type TestNatsServer } from '../support/nats.ts';
import { withEventLog } from '../support/event-log.ts';
import { startTestGuardyn, uniqueName, type TestGuardyn } from '../support/guardyn.ts';
import { bearer, serviceClient, type ServiceClient } from '../../gateways/grpc/client.ts';
import { freePort } from '../../runtime/free-port.ts';

const GUARDYN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'guardyn.js');
const PASSWORD = 'correct horse battery';
const ROLES = ['auth', 'messaging', 'presence', 'projections'] as const;

interface Account {
  userId: string;
  deviceId: string;
  token: string;
  username: string;
}
type Msg = Record<string, any>;

async function registerUser(g: TestGuardyn): Promise<Account> {
  const name = uniqueName('pres');
  const r = await g.auth.Register!({
    username: name,
    password: PASSWORD,
    email: '',
    device_name: 'laptop',
    device_type: 'desktop',
  });
  assert.equal(r.result, 'success', JSON.stringify(r.error));
  return { userId: r.success.user_id, deviceId: r.success.device_id, token: r.success.access_token, username: name };
}

async function converse(g: TestGuardyn, from: Account, to: Account): Promise<void> {
  const r = await g.messaging.SendMessage!(
    { recipient_user_id: to.userId, encrypted_content: Buffer.from('hi'), message_type: 'TEXT' },
    bearer(from.token),
  );
  assert.equal(r.result, 'success', JSON.stringify(r.error));
  // The conversations view must hold it before presence counts the two as sharing a conversation.
  await eventually(
    async () =>
      (await g.messaging.GetConversations!({ min_seq: r.success.consistency.seq }, bearer(from.token))).success
        .conversations.length > 0,
    'conversation in the view',
  );
}

async function eventually(check: () => Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

const statusOf = async (g: TestGuardyn, viewer: Account, subject: Account): Promise<Msg> => {
  const r = await g.presence.GetStatus!({ user_id: subject.userId }, bearer(viewer.token));
  assert.equal(r.result, 'success', JSON.stringify(r.error));
  return r.success;
};

async function waitForStatus(
  g: TestGuardyn,
  viewer: Account,
  subject: Account,
  status: string,
  ms = 10_000,
): Promise<Msg> {
  let last: Msg | undefined;
  await eventually(
    async () => (last = await statusOf(g, viewer, subject)).status === status,
    `${status} (last: ${JSON.stringify(last?.status)})`,
    ms,
  );
  return last!;
}

function errorOf(r: Msg, code: string, field?: string): void {
  assert.equal(r.result, 'error', JSON.stringify(r));
  assert.equal(r.error.code, code, JSON.stringify(r.error));
  if (field !== undefined) assert.equal(r.error.details.field, field, JSON.stringify(r.error));
}

interface Stream {
  readonly updates: Msg[];
  readonly ended: Promise<grpc.StatusObject>;
  waitFor(n: number, ms?: number): Promise<Msg[]>;
  cancel(): Promise<void>;
}

function openStream(
  client: ServiceClient,
  method: string,
  who: Account | undefined,
  request: Record<string, unknown>,
): Stream {
  const raw = client.raw as unknown as Record<
    string,
    (req: unknown, md: grpc.Metadata) => grpc.ClientReadableStream<Msg>
  >;
  const call = raw[method]!.call(client.raw, request, who ? bearer(who.token) : new grpc.Metadata());
  const updates: Msg[] = [];
  call.on('data', (m: Msg) => updates.push(m));
  call.on('error', () => undefined);
  const ended = new Promise<grpc.StatusObject>((resolve) => call.on('status', resolve));
  return {
    updates,
    ended,
    async waitFor(n, ms = 10_000) {
      await eventually(async () => updates.length >= n, `${n} updates (got ${JSON.stringify(updates)})`, ms);
      return updates;
    },
    async cancel() {
      call.cancel();
      // A cancelled call ends with CANCELLED at once; never let a lost status hold the suite.
      await Promise.race([ended, sleep(5000)]);
    },
  };
}

const subscribe = (g: TestGuardyn, who: Account | undefined, userIds: string[]) =>
  openStream(g.presence, 'Subscribe', who, { user_ids: userIds });

describe('presence RPCs', () => {
  let nats: TestNatsServer;
  let g: TestGuardyn;
  let alice: Account, bob: Account, carol: Account;

  before(async () => {
    nats = await withNatsServer();
    g = await startTestGuardyn(nats.url, { roles: [...ROLES] });
    [alice, bob, carol] = [await registerUser(g), await registerUser(g), await registerUser(g)];
    await converse(g, alice, bob);
  });
  after(async () => {
    await g?.stop();
    await nats?.stop();
  });

  it('UpdateStatus sets the status others see; refuses bad requests, naming the field', async () => {
    const r = await g.presence.UpdateStatus!(
      { status: 'DO_NOT_DISTURB', custom_status_text: 'in a meeting' },
      bearer(alice.token),
    );
    assert.equal(r.result, 'success', JSON.stringify(r.error));
    assert.equal(r.success.status, 'DO_NOT_DISTURB');
    assert.ok(Number(r.success.updated_at.seconds) > 0);
    const seen = await waitForStatus(g, bob, alice, 'DO_NOT_DISTURB');
    assert.equal(seen.custom_status_text, 'in a meeting');
    assert.ok(
      seen.last_seen !== null && Number(seen.last_seen.seconds) > 0,
      'the heartbeat of the call recorded last_seen',
    );

    errorOf(await g.presence.UpdateStatus!({ status: 'ONLINE' }), 'UNAUTHORIZED');
    errorOf(await g.presence.UpdateStatus!({ status: 'ONLINE', access_token: 'nope' }), 'UNAUTHORIZED');
    errorOf(await g.presence.UpdateStatus!({ status: 9 }, bearer(alice.token)), 'INVALID_REQUEST', 'status');
    errorOf(
      await g.presence.UpdateStatus!({ status: 'ONLINE', custom_status_text: 'x'.repeat(257) }, bearer(alice.token)),
      'INVALID_REQUEST',
      'custom_status_text',
    );
    errorOf(
      await g.presence.UpdateStatus!({ status: 'ONLINE', custom_status_text: 'a\nb' }, bearer(alice.token)),
      'INVALID_REQUEST',
      'custom_status_text',
    );
    // Nothing of the refused calls changed what bob sees.
    assert.equal((await statusOf(g, bob, alice)).custom_status_text, 'in a meeting');
  });

  it('GetStatus shows only users who share a conversation or group; refuses bad ids', async () => {
    assert.equal((await statusOf(g, alice, alice)).status, 'DO_NOT_DISTURB', 'a user sees themself');
    errorOf(await g.presence.GetStatus!({ user_id: alice.userId }, bearer(carol.token)), 'NOT_FOUND', 'user_id');
    errorOf(
      await g.presence.GetStatus!({ user_id: '123e4567-e89b-42d3-a456-426614174000' }, bearer(bob.token)),
      'NOT_FOUND',
      'user_id',
    );
    errorOf(await g.presence.GetStatus!({ user_id: 'not-a-uuid' }, bearer(bob.token)), 'INVALID_REQUEST', 'user_id');
    errorOf(await g.presence.GetStatus!({ user_id: alice.userId }), 'UNAUTHORIZED');
    // carol never shared anything with bob: still unseen after bob talks to alice.
    errorOf(await g.presence.GetStatus!({ user_id: bob.userId }, bearer(carol.token)), 'NOT_FOUND');
  });

  it('GetBulkStatus answers for visible users only and allows at most 100 ids', async () => {
    const r = await g.presence.GetBulkStatus!(
      { user_ids: [alice.userId, carol.userId, bob.userId, alice.userId] },
      bearer(bob.token),
    );
    assert.equal(r.result, 'success', JSON.stringify(r.error));
    assert.deepEqual(
      r.success.presences.map((p: Msg) => p.user_id),
      [alice.userId, bob.userId],
    );
    assert.equal(r.success.presences[0].status, 'DO_NOT_DISTURB');
    const many = Array.from({ length: 101 }, (_, i) => `123e4567-e89b-42d3-a456-${String(i).padStart(12, '0')}`);
    errorOf(await g.presence.GetBulkStatus!({ user_ids: many }, bearer(bob.token)), 'INVALID_REQUEST', 'user_ids');
    errorOf(await g.presence.GetBulkStatus!({ user_ids: [] }, bearer(bob.token)), 'INVALID_REQUEST', 'user_ids');
    errorOf(
      await g.presence.GetBulkStatus!({ user_ids: [alice.userId, 'x'] }, bearer(bob.token)),
      'INVALID_REQUEST',
      'user_ids[1]',
    );
    const hundred = await g.presence.GetBulkStatus!({ user_ids: many.slice(0, 100) }, bearer(bob.token));
    assert.equal(hundred.result, 'success');
    assert.deepEqual(hundred.success.presences, [], 'unknown users are left out like hidden ones');
  });

  it('INVISIBLE shows OFFLINE without last_seen to others, INVISIBLE to the user', async () => {
    const r = await g.presence.UpdateStatus!(
      { status: 'INVISIBLE', custom_status_text: 'hidden' },
      bearer(alice.token),
    );
    assert.equal(r.success.status, 'INVISIBLE');
    const seen = await waitForStatus(g, bob, alice, 'OFFLINE');
    assert.equal(seen.last_seen, null);
    assert.equal(seen.custom_status_text, '');
    const bulk = await g.presence.GetBulkStatus!({ user_ids: [alice.userId] }, bearer(bob.token));
    assert.equal(bulk.success.presences[0].status, 'OFFLINE');
    assert.equal(bulk.success.presences[0].last_seen, null);
    const self = await statusOf(g, alice, alice);
    assert.equal(self.status, 'INVISIBLE');
    assert.ok(self.last_seen !== null);
    await g.presence.UpdateStatus!({ status: 'ONLINE', custom_status_text: '' }, bearer(alice.token));
    await waitForStatus(g, bob, alice, 'ONLINE');
  });

  it('UpdateLastSeen records the caller present now', async () => {
    const before = Date.now();
    const r = await g.presence.UpdateLastSeen!({}, bearer(bob.token));
    assert.equal(r.result, 'success', JSON.stringify(r.error));
    assert.ok(Number(r.success.last_seen.seconds) * 1000 >= before - 1000);
    const seen = await waitForStatus(g, alice, bob, 'ONLINE');
    assert.equal(seen.last_seen.seconds, r.success.last_seen.seconds);
    errorOf(await g.presence.UpdateLastSeen!({}), 'UNAUTHORIZED');
  });

  it('SetTyping relays to the peer, is rate limited, and refuses bad peers', async () => {
    const sub = subscribe(g, bob, [alice.userId]);
    await sub.waitFor(1);
    const r = await g.presence.SetTyping!({ conversation_user_id: bob.userId, is_typing: true }, bearer(alice.token));
    assert.deepEqual(r.success, { acknowledged: true });
    const typing = (await sub.waitFor(2))[1]!;
    assert.equal(typing.user_id, alice.userId);
    assert.equal(typing.is_typing, true);
    assert.equal(typing.typing_in_conversation_with, bob.userId);
    assert.equal((await statusOf(g, bob, alice)).is_typing, true);
    assert.equal((await statusOf(g, carol, carol)).is_typing, false);
    await g.presence.SetTyping!({ conversation_user_id: bob.userId, is_typing: false }, bearer(alice.token));
    const stopped = (await sub.waitFor(3))[2]!;
    assert.equal(stopped.is_typing, false);
    assert.equal(stopped.typing_in_conversation_with, '');
    await sub.cancel();

    const toCarol = await g.presence.SetTyping!(
      { conversation_user_id: carol.userId, is_typing: true },
      bearer(alice.token),
    );
    assert.deepEqual(toCarol.success, { acknowledged: false }, 'not relayed to a user who may not see alice');
    errorOf(
      await g.presence.SetTyping!({ conversation_user_id: alice.userId, is_typing: true }, bearer(alice.token)),
      'INVALID_REQUEST',
      'conversation_user_id',
    );
    errorOf(
      await g.presence.SetTyping!(
        { conversation_user_id: '123e4567-e89b-42d3-a456-426614174000', is_typing: true },
        bearer(alice.token),
      ),
      'NOT_FOUND',
      'conversation_user_id',
    );
    errorOf(
      await g.presence.SetTyping!({ conversation_user_id: 'nope', is_typing: true }, bearer(alice.token)),
      'INVALID_REQUEST',
      'conversation_user_id',
    );
    errorOf(await g.presence.SetTyping!({ conversation_user_id: bob.userId, is_typing: true }), 'UNAUTHORIZED');
    const answers = [];
    for (let i = 0; i < 6; i++)
      answers.push(
        await g.presence.SetTyping!({ conversation_user_id: carol.userId, is_typing: true }, bearer(bob.token)),
      );
    const limited = answers.filter((a) => a.result === 'error');
    assert.ok(limited.length >= 1, 'the sixth signal within a second is refused');
    assert.equal(limited[0]!.error.code, 'RATE_LIMITED');
    assert.ok(Number(limited[0]!.error.details.retry_after_seconds) >= 1);
  });

  it('Subscribe: a snapshot, then each change once; group members see each other, strangers never', async () => {
    const [dave, erin] = [await registerUser(g), await registerUser(g)];
    const created = await g.messaging.CreateGroup!(
      { group_name: 'team', member_user_ids: [dave.userId], mls_group_state: Buffer.from('mls') },
      bearer(erin.token),
    );
    assert.equal(created.result, 'success', JSON.stringify(created.error));
    await eventually(
      async () => (await g.presence.GetStatus!({ user_id: dave.userId }, bearer(erin.token))).result === 'success',
      'the group in the view',
    );

    const sub = subscribe(g, erin, [dave.userId, carol.userId]);
    const [snapshot] = await sub.waitFor(1);
    assert.equal(snapshot!.user_id, dave.userId);
    assert.equal(snapshot!.status, 'OFFLINE');
    assert.equal(snapshot!.last_seen, null, 'never seen');

    await g.presence.UpdateStatus!({ status: 'ONLINE', custom_status_text: '' }, bearer(dave.token));
    await sub.waitFor(2);
    await g.presence.UpdateStatus!({ status: 'AWAY', custom_status_text: 'lunch' }, bearer(dave.token));
    await sub.waitFor(3);
    await g.presence.UpdateStatus!({ status: 'AWAY', custom_status_text: 'lunch' }, bearer(dave.token)); // no change
    await g.presence.UpdateStatus!({ status: 'DO_NOT_DISTURB', custom_status_text: '' }, bearer(dave.token));
    await sub.waitFor(4);
    await sleep(300);
    assert.deepEqual(
      sub.updates.map((u) => [u.user_id, u.status, u.custom_status_text]),
      [
        [dave.userId, 'OFFLINE', ''],
        [dave.userId, 'ONLINE', ''],
        [dave.userId, 'AWAY', 'lunch'],
        [dave.userId, 'DO_NOT_DISTURB', ''],
      ],
    );
    assert.ok(sub.updates.slice(1).every((u) => u.last_seen !== null && u.updated_at !== null));
    await sub.cancel();

    // The subscriber's own stream made erin present.
    assert.equal((await statusOf(g, dave, erin)).last_seen !== null, true);
  });

  it('Subscribe refuses bad requests and ends on a revoked session', async () => {
    const none = subscribe(g, undefined, [alice.userId]);
    assert.equal((await none.ended).code, grpc.status.UNAUTHENTICATED);
    const bad = subscribe(g, alice, ['x']);
    const badStatus = await bad.ended;
    assert.equal(badStatus.code, grpc.status.INVALID_ARGUMENT);
    assert.equal(badStatus.metadata.get('guardyn-error-field')[0], 'user_ids[0]');
    const tooMany = subscribe(
      g,
      alice,
      Array.from({ length: 101 }, (_, i) => `123e4567-e89b-42d3-a456-${String(i).padStart(12, '0')}`),
    );
    assert.equal((await tooMany.ended).code, grpc.status.INVALID_ARGUMENT);

    const login = await g.auth.Login!({
      username: carol.username,
      password: PASSWORD,
      device_name: 'tablet',
      device_type: 'android',
    });
    const carol2: Account = { ...carol, deviceId: login.success.device_id, token: login.success.access_token };
    const live = subscribe(g, carol2, [carol.userId]);
    await live.waitFor(1);
    const out = await g.auth.Logout!({ access_token: carol2.token, all_devices: false });
    assert.equal(out.result, 'success', JSON.stringify(out.error));
    const status = await Promise.race([
      live.ended,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('stream still open')), 5000)),
    ]);
    assert.equal(status.code, grpc.status.UNAUTHENTICATED);
  });

  it('Health answers HEALTHY', async () => {
    const h = await g.presence.Health!({});
    assert.equal(h.status, 'HEALTHY');
  });
});

const FAST = {
  GUARDYN_PRESENCE__AWAY_AFTER_MS: '1500',
  GUARDYN_PRESENCE__HEARTBEAT_TIMEOUT_MS: '1500',
  GUARDYN_PRESENCE__INSTANCE_BEAT_MS: '200',
  GUARDYN_PRESENCE__INSTANCE_TIMEOUT_MS: '1500',
};

describe('presence follows reality', () => {
  let nats: TestNatsServer;
  let g: TestGuardyn;
  let alice: Account, bob: Account;
  const children: ChildProcess[] = [];

  before(async () => {
    nats = await withNatsServer();
    g = await startTestGuardyn(nats.url, { roles: [...ROLES], env: FAST });
    [alice, bob] = [await registerUser(g), await registerUser(g)];
    await converse(g, alice, bob);
  });
  after(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await g?.stop();
    await nats?.stop();
  });

  it('a stream makes the user ONLINE, idleness AWAY, its end OFFLINE with last_seen', async () => {
    const watch = subscribe(g, bob, [alice.userId]);
    await watch.waitFor(1);
    const stream = openStream(g.messaging, 'ReceiveMessages', alice, {});
    const online = await waitForStatus(g, bob, alice, 'ONLINE');
    assert.ok(online.last_seen !== null);
    await waitForStatus(g, bob, alice, 'AWAY', 8000);
    // Activity (a heartbeat) brings alice back, and she goes AWAY again when idle.
    await g.presence.UpdateLastSeen!({}, bearer(alice.token));
    await waitForStatus(g, bob, alice, 'ONLINE');
    await waitForStatus(g, bob, alice, 'AWAY', 8000);
    const before = Date.now();
    await stream.cancel();
    const offline = await waitForStatus(g, bob, alice, 'OFFLINE', 8000);
    assert.ok(Number(offline.last_seen.seconds) * 1000 >= before - 5000, 'last_seen is about when she left');
    // The watcher saw each transition once, in order.
    const seq = watch.updates.map((u) => u.status).filter((s, i, all) => i === 0 || s !== all[i - 1]);
    assert.deepEqual(seq.slice(-5), ['ONLINE', 'AWAY', 'ONLINE', 'AWAY', 'OFFLINE']);
    await watch.cancel();
  });

  it('a heartbeat-only device goes OFFLINE when the heartbeats stop', async () => {
    await g.presence.UpdateLastSeen!({}, bearer(bob.token));
    await waitForStatus(g, alice, bob, 'ONLINE');
    await waitForStatus(g, alice, bob, 'OFFLINE', 8000);
  });

  it('UpdateStatus OFFLINE signs the device off at once', async () => {
    await g.presence.UpdateLastSeen!({}, bearer(bob.token));
    await waitForStatus(g, alice, bob, 'ONLINE');
    const r = await g.presence.UpdateStatus!({ status: 'OFFLINE', custom_status_text: '' }, bearer(bob.token));
    assert.equal(r.success.status, 'OFFLINE');
    assert.equal((await statusOf(g, alice, bob)).status, 'OFFLINE');
  });

  it('two presence instances: each sees every change, and their engines commit each transition once', async () => {
    const second = await startTestGuardyn(nats.url, { roles: ['presence'], dataDir: g.dataDir, env: FAST });
    try {
      const commits = (who: Account) =>
        withEventLog(nats.url, async (log) =>
          Object.values(await log.subjectCounts('PRESENCE', `presence.user.${who.userId}`)).reduce((a, b) => a + b, 0),
        );
      const carl = await registerUser(g);
      await converse(g, carl, bob);
      const watch = subscribe(second, bob, [carl.userId]);
      await watch.waitFor(1);
      const before = await commits(carl);
      const stream = openStream(g.messaging, 'ReceiveMessages', carl, {});
      await watch.waitFor(2);
      await stream.cancel();
      await watch.waitFor(3);
      await sleep(500);
      assert.deepEqual(
        watch.updates.map((u) => u.status),
        ['OFFLINE', 'ONLINE', 'OFFLINE'],
        'the second instance saw each change once',
      );
      assert.equal(
        (await commits(carl)) - before,
        2,
        'one commit for ONLINE, one for OFFLINE, though two engines decided',
      );
      await watch.cancel();
    } finally {
      await second.stop();
    }
  });

  it('a gateway process killed with SIGKILL takes its devices OFFLINE', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [GUARDYN, 'serve', 'messaging'], {
      env: { ...process.env, ...g.env, ...FAST, GUARDYN_PORT: String(port) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    children.push(child);
    const gateway = serviceClient('guardyn.messaging.MessagingService', `127.0.0.1:${port}`);
    try {
      await eventually(
        async () => (await gateway.Health!({}).catch(() => ({ status: '' }))).status === 'HEALTHY',
        'the child gateway',
        30_000,
      );
      openStream(gateway, 'ReceiveMessages', alice, {});
      await waitForStatus(g, bob, alice, 'ONLINE');
      child.kill('SIGKILL');
      const killedAt = Date.now();
      await waitForStatus(g, bob, alice, 'OFFLINE', 10_000);
      assert.ok(Date.now() - killedAt >= 500, 'offline through the instance timeout, not a clean close');
    } finally {
      gateway.close();
    }
  });
});
