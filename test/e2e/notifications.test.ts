/**
 * The notification service end to end, against a real nats-server and local
 * HTTP/2 servers speaking FCM and APNs: the HTTP API (register, unregister,
 * refusals, health), a message to an offline device giving exactly one push
 * without content while an online device gets none, retries with back-off,
 * pruning of a token the provider rejects, parking after the retry limit,
 * and the metrics endpoint showing every family.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { withNatsServer, type TestNatsServer } from '../support/nats.ts';
import { startTestGuardyn, uniqueName, type TestGuardyn } from '../support/guardyn.ts';
import {
  startFakeApns,
  startFakeFcm,
  FCM_UNAVAILABLE,
  FCM_UNREGISTERED,
  type FakeApns,
  type FakeFcm,
} from '../support/push-providers.ts';
import { bearer } from '../../gateways/grpc/client.ts';
import { ConnectionTracker } from '../../streams/connections.ts';
import { connectSignals, type OwnedSignals } from '../../streams/signals.ts';
import { EventLog } from '../../streams/log.ts';
import { eventRegistry } from '../../streams/events/index.ts';
import { jetStreamPushQueue, type PushQueue } from '../../streams/push-queue.ts';
import { openTestStores, type Stores } from '../support/stores.ts';
import { silentLogger } from '../../runtime/logger.ts';
import { PushTokensView } from '../../projections/push-tokens/queries.ts';
import type { ParkedPush } from '../../streams/push-jobs.ts';

interface Account {
  userId: string;
  deviceId: string;
  token: string;
  username: string;
}
const PASSWORD = 'correct horse battery';

describe('notifications', () => {
  let nats: TestNatsServer;
  let g: TestGuardyn;
  let fcm: FakeFcm;
  let apns: FakeApns;
  let dir: string;
  let signals: OwnedSignals;
  let log: EventLog;
  let queue: PushQueue;
  let tracker: ConnectionTracker;
  let view: PushTokensView;
  let views: Stores | undefined;
  let base: string;

  before(async () => {
    nats = await withNatsServer();
    [fcm, apns] = await Promise.all([startFakeFcm(), startFakeApns()]);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-push-'));
    fs.writeFileSync(path.join(dir, 'sa.json'), JSON.stringify(fcm.serviceAccount));
    fs.writeFileSync(path.join(dir, 'apns.p8'), apns.key);
    g = await startTestGuardyn(nats.url, {
      roles: ['auth', 'messaging', 'projections', 'notifications'],
      env: {
        GUARDYN_METRICS__PORT: '0',
        GUARDYN_NOTIFICATIONS__FCM_SERVICE_ACCOUNT_FILE: path.join(dir, 'sa.json'),
        GUARDYN_NOTIFICATIONS__FCM_ENDPOINT: fcm.url,
        GUARDYN_NOTIFICATIONS__APNS_KEY_FILE: path.join(dir, 'apns.p8'),
        GUARDYN_NOTIFICATIONS__APNS_KEY_ID: apns.keyId,
        GUARDYN_NOTIFICATIONS__APNS_TEAM_ID: apns.teamId,
        GUARDYN_NOTIFICATIONS__APNS_TOPIC: apns.topic,
        GUARDYN_NOTIFICATIONS__APNS_ENDPOINT: apns.url,
        GUARDYN_NOTIFICATIONS__APNS_SANDBOX_ENDPOINT: apns.url,
        GUARDYN_NOTIFICATIONS__RETRY_BASE_MS: '50',
        GUARDYN_NOTIFICATIONS__RETRY_MAX_MS: '400',
        GUARDYN_NOTIFICATIONS__MAX_ATTEMPTS: '3',
      },
    });
    base = `http://127.0.0.1:${g.ports.notifications}`;
    signals = await connectSignals(nats.url);
    tracker = await ConnectionTracker.start(signals);
    log = await EventLog.connect(nats.url, eventRegistry, silentLogger);
    queue = jetStreamPushQueue(log);
    views = await openTestStores(g.dataDir);
    view = new PushTokensView(views.kv);
  });
  after(async () => {
    tracker?.stop();
    await views?.close();
    await signals?.close();
    await log?.close();
    await g?.stop();
    await Promise.all([fcm?.stop(), apns?.stop()]);
    await nats?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function register(): Promise<Account> {
    const username = uniqueName('push');
    const r = await g.auth.Register!({
      username,
      password: PASSWORD,
      email: '',
      device_name: 'phone',
      device_type: 'android',
    });
    assert.equal(r.result, 'success', JSON.stringify(r.error));
    return { userId: r.success.user_id, deviceId: r.success.device_id, token: r.success.access_token, username };
  }

  async function newDevice(a: Account): Promise<Account> {
    const r = await g.auth.Login!({
      username: a.username,
      password: PASSWORD,
      device_name: 'tablet',
      device_type: 'ios',
    });
    assert.equal(r.result, 'success', JSON.stringify(r.error));
    return { ...a, deviceId: r.success.device_id, token: r.success.access_token };
  }

  function api(
    method: string,
    p: string,
    who: Account | undefined,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    return fetch(`${base}${p}`, {
      method,
      headers: {
        ...(who ? { authorization: `Bearer ${who.token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
  }

  /** Registers a push token and waits until the push-tokens view has it. */
  async function pushToken(who: Account, body: Record<string, unknown>): Promise<void> {
    const res = await api('POST', '/v1/push-tokens', who, body);
    assert.equal(res.status, 200, await res.clone().text());
    const deadline = Date.now() + 10_000;
    while ((await view.device(who.userId, who.deviceId))?.token !== body['token']) {
      if (Date.now() > deadline) assert.fail('the push-tokens view did not get the token');
      await sleep(20);
    }
  }

  async function send(from: Account, to: Account, text: string): Promise<Record<string, any>> {
    const r = await g.messaging.SendMessage!(
      { recipient_user_id: to.userId, encrypted_content: Buffer.from(text), message_type: 'TEXT' },
      bearer(from.token),
    );
    assert.equal(r.result, 'success', JSON.stringify(r.error));
    return r.success;
  }

  const pushesTo = (token: string) => [...fcm.received, ...apns.received].filter((p) => p.token === token);

  async function until(check: () => boolean | Promise<boolean>, what: string, ms = 15_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
      await sleep(20);
    }
  }

  it('GET /health answers ok; unknown paths 404; wrong methods 405', async () => {
    const health = await api('GET', '/health', undefined);
    assert.equal(health.status, 200);
    assert.equal(((await health.json()) as { status: string }).status, 'ok');
    assert.equal((await api('GET', '/nope', undefined)).status, 404);
    assert.equal((await api('PUT', '/v1/push-tokens', undefined)).status, 405);
  });

  it('refuses push-token calls without a valid access token, and bad bodies naming the field, changing nothing', async () => {
    const a = await register();
    const none = await api('POST', '/v1/push-tokens', undefined, { platform: 'fcm', token: 'x' });
    assert.equal(none.status, 401);
    assert.equal(((await none.json()) as any).error.code, 'UNAUTHORIZED');
    const forged = await api('POST', '/v1/push-tokens', { ...a, token: 'not.a.jwt' }, { platform: 'fcm', token: 'x' });
    assert.equal(forged.status, 401);
    const cases: [unknown, string][] = [
      [{ platform: 'webpush', token: 'abc' }, 'platform'],
      [{ platform: 'apns', token: 'not-hex' }, 'token'],
      [{ platform: 'fcm', token: 'has space' }, 'token'],
      [{ platform: 'fcm' }, 'token'],
      [{ platform: 'fcm', token: 'abc', show_sender: 'yes' }, 'show_sender'],
      [{ platform: 'apns', token: 'ab'.repeat(32), environment: 'staging' }, 'environment'],
    ];
    for (const [body, field] of cases) {
      const res = await api('POST', '/v1/push-tokens', a, body);
      assert.equal(res.status, 400, JSON.stringify(body));
      const error = ((await res.json()) as any).error;
      assert.equal(error.code, 'INVALID_REQUEST');
      assert.equal(error.details.field, field, JSON.stringify(body));
    }
    const notJson = await api('POST', '/v1/push-tokens', a, '{', { 'content-type': 'application/json' });
    assert.equal(notJson.status, 400);
    const wrongType = await api('POST', '/v1/push-tokens', a, 'platform=fcm', { 'content-type': 'text/plain' });
    assert.equal(wrongType.status, 415);
    await sleep(200);
    assert.equal(await view.device(a.userId, a.deviceId), undefined, 'nothing was registered');
    // A logged-out session is refused like in the gRPC gateways.
    const out = await g.auth.Logout!({ access_token: a.token, all_devices: false });
    assert.equal(out.result, 'success', JSON.stringify(out.error));
    await until(
      async () => (await api('POST', '/v1/push-tokens', a, { platform: 'fcm', token: 'abc' })).status === 401,
      'the session check',
    );
  });

  it('a message to an offline device gives exactly one push without content; an online device gets none', async () => {
    const alice = await register();
    const bobOnline = await register();
    const bobOffline = await newDevice(bobOnline);
    const apnsToken = 'c0ffee'.repeat(11).slice(0, 64);
    await pushToken(bobOnline, { platform: 'fcm', token: `fcm-online-${bobOnline.deviceId}` });
    await pushToken(bobOffline, { platform: 'apns', token: apnsToken, environment: 'sandbox' });
    // Bob's first device streams (online); the second has no connection.
    const raw = g.messaging.raw as unknown as Record<
      string,
      (req: unknown, md: grpc.Metadata) => grpc.ClientReadableStream<unknown>
    >;
    const stream = raw['ReceiveMessages']!.call(g.messaging.raw, {}, bearer(bobOnline.token));
    stream.on('error', () => undefined);
    stream.on('data', () => undefined);
    await until(() => tracker.isOnline(bobOnline.userId, bobOnline.deviceId), 'the online device to be seen');
    await sleep(100);

    const secret = 'the secret text';
    const sent = await send(alice, bobOnline, secret);
    await until(() => pushesTo(apnsToken).length >= 1, 'the push to the offline device');
    await sleep(1000); // nothing more may come
    const pushes = pushesTo(apnsToken);
    assert.equal(pushes.length, 1, 'exactly one push');
    assert.equal(pushesTo(`fcm-online-${bobOnline.deviceId}`).length, 0, 'no push to the online device');
    const body = pushes[0]!.body;
    assert.deepEqual(Object.keys(body).sort(), ['aps', 'conversation_id', 'group', 'seq', 'type']);
    assert.equal(body['conversation_id'], sent.conversation_id);
    assert.equal(body['seq'], String(sent.consistency?.seq ?? body['seq']));
    const text = JSON.stringify(body);
    for (const leak of [
      secret,
      Buffer.from(secret).toString('base64'),
      alice.username,
      alice.userId,
      sent.message_id,
    ]) {
      assert.ok(!text.includes(leak), `the push carries no ${leak}`);
    }
    stream.cancel();
  });

  it('with show_sender the push names the sender, and only then', async () => {
    const alice = await register();
    const bob = await register();
    const token = `fcm-opt-in-${bob.deviceId}`;
    await pushToken(bob, { platform: 'fcm', token, show_sender: true });
    await send(alice, bob, 'hi');
    await until(() => pushesTo(token).length === 1, 'the push');
    assert.equal(pushesTo(token)[0]!.body['message'].data.sender_name, alice.username);
  });

  it('a group message gives one content-free push to each offline member with a token, none to the sender', async () => {
    const owner = await register();
    const m1 = await register();
    const m2 = await register();
    const tokens = [owner, m1, m2].map((a) => `fcm-group-${a.deviceId}`);
    for (const [i, a] of [owner, m1, m2].entries()) await pushToken(a, { platform: 'fcm', token: tokens[i] });
    const created = await g.messaging.CreateGroup!(
      { group_name: 'team', member_user_ids: [m1.userId, m2.userId] },
      bearer(owner.token),
    );
    assert.equal(created.result, 'success', JSON.stringify(created.error));
    const secret = 'group secret';
    const sent = await g.messaging.SendGroupMessage!(
      { group_id: created.success.group_id, encrypted_content: Buffer.from(secret), message_type: 'TEXT' },
      bearer(owner.token),
    );
    assert.equal(sent.result, 'success', JSON.stringify(sent.error));
    await until(() => pushesTo(tokens[1]!).length === 1 && pushesTo(tokens[2]!).length === 1, 'a push to each member');
    await sleep(500);
    assert.equal(pushesTo(tokens[0]!).length, 0, 'no push to the sender');
    for (const t of tokens.slice(1)) {
      assert.equal(pushesTo(t).length, 1);
      const text = JSON.stringify(pushesTo(t)[0]!.body);
      assert.ok(text.includes(created.success.group_id), 'the push names the group to fetch');
      for (const leak of [secret, Buffer.from(secret).toString('base64'), owner.username, sent.success.message_id])
        assert.ok(!text.includes(leak), `the push carries no ${leak}`);
    }
  });

  it('retries a failing push with back-off until it is delivered', async () => {
    const alice = await register();
    const bob = await register();
    const token = `fcm-retry-${bob.deviceId}`;
    await pushToken(bob, { platform: 'fcm', token });
    fcm.script(token, [FCM_UNAVAILABLE, FCM_UNAVAILABLE]);
    await send(alice, bob, 'hello');
    await until(() => pushesTo(token).length === 3, 'two failures and a delivery');
    const [first, second, third] = pushesTo(token).map((p) => p.at);
    assert.ok(second! - first! >= 40, `first back-off ${second! - first!} ms`);
    assert.ok(third! - second! >= 80, `second back-off ${third! - second!} ms (doubled)`);
    await sleep(500);
    assert.equal(pushesTo(token).length, 3, 'acknowledged once delivered');
  });

  it('removes a token the provider rejects as unregistered', async () => {
    const alice = await register();
    const bob = await register();
    const token = `fcm-gone-${bob.deviceId}`;
    await pushToken(bob, { platform: 'fcm', token });
    fcm.script(token, [FCM_UNREGISTERED]);
    await send(alice, bob, 'are you there');
    await until(async () => (await view.device(bob.userId, bob.deviceId)) === undefined, 'the token to be removed');
    await send(alice, bob, 'again');
    await sleep(800);
    assert.equal(pushesTo(token).length, 1, 'no push after the removal');
  });

  it('parks a push that keeps failing, with its reason', async () => {
    const alice = await register();
    const bob = await register();
    const token = `fcm-parked-${bob.deviceId}`;
    await pushToken(bob, { platform: 'fcm', token });
    fcm.script(token, [FCM_UNAVAILABLE, FCM_UNAVAILABLE, FCM_UNAVAILABLE, FCM_UNAVAILABLE]);
    await send(alice, bob, 'lost');
    await until(() => pushesTo(token).length === 3, 'three attempts');
    let parked: ParkedPush | string | undefined;
    await until(async () => {
      try {
        parked = await queue.lastParked(bob.userId, bob.deviceId);
        return parked !== undefined;
      } catch {
        return false;
      }
    }, 'the parked job');
    assert.ok(typeof parked === 'object', String(parked));
    assert.equal(parked.attempts, 3);
    assert.match(parked.reason, /503 UNAVAILABLE/);
    assert.equal(parked.job.userId, bob.userId);
    await sleep(500);
    assert.equal(pushesTo(token).length, 3, 'no attempt after parking');
  });

  it('serves Prometheus text with every family of the system', async () => {
    const res = await fetch(`http://127.0.0.1:${g.ports.metrics}/metrics`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/plain/);
    const text = await res.text();
    for (const family of [
      'guardyn_rpc_seconds',
      'guardyn_command_seconds',
      'guardyn_command_conflicts_total',
      'guardyn_projection_lag',
      'guardyn_projection_redeliveries_total',
      'guardyn_projection_applied_total',
      'guardyn_ws_sockets',
      'guardyn_pushes_total',
      'guardyn_push_latency_seconds',
      'guardyn_push_provider_seconds',
      'guardyn_push_jobs_total',
      'guardyn_process_process_cpu_seconds_total',
    ]) {
      assert.match(text, new RegExp(`^# TYPE ${family} `, 'm'), `family ${family}`);
    }
    assert.match(text, /guardyn_pushes_total\{provider="fcm",outcome="delivered"\} [1-9]/);
    assert.match(text, /guardyn_pushes_total\{provider="fcm",outcome="token_removed"\} [1-9]/);
    assert.match(text, /guardyn_pushes_total\{provider="fcm",outcome="parked"\} [1-9]/);
    const latency =
      /guardyn_push_latency_seconds_sum\{provider="apns"\} ([\d.e-]+)\nguardyn_push_latency_seconds_count\{provider="apns"\} (\d+)/.exec(
        text,
      );
    assert.ok(latency, 'apns push latency recorded');
    console.log(
      `push latency (message commit → provider accepted), apns: ${((Number(latency[1]) / Number(latency[2])) * 1000).toFixed(1)} ms mean over ${latency[2]}`,
    );
  });
});
