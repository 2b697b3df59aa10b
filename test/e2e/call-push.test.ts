/**
 * A ringing call wakes the callee's offline devices with a content-free VoIP
 * push (APNs push type voip on <topic>.voip, FCM high priority), through the
 * same push worker as messages; an online device gets none.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { withNatsServer, type TestNatsServer } from '../support/nats.ts';
import { startTestGuardyn, uniqueName, type TestGuardyn } from '../support/guardyn.ts';
import { startFakeApns, startFakeFcm, type FakeApns, type FakeFcm } from '../support/push-providers.ts';
import { bearer, serviceClient, type ServiceClient } from '../../gateways/grpc/client.ts';
import { openSocket, type TestSocket } from '../support/ws-client.ts';

interface Account {
  userId: string;
  deviceId: string;
  token: string;
  username: string;
}
const PASSWORD = 'correct horse battery';

async function until(check: () => boolean | Promise<boolean>, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe('VoIP pushes for ringing calls', () => {
  let nats: TestNatsServer;
  let g: TestGuardyn;
  let fcm: FakeFcm;
  let apns: FakeApns;
  let dir: string;
  let calls: ServiceClient;
  let socket: TestSocket | undefined;

  before(async () => {
    nats = await withNatsServer();
    [fcm, apns] = await Promise.all([startFakeFcm(), startFakeApns()]);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-callpush-'));
    fs.writeFileSync(path.join(dir, 'sa.json'), JSON.stringify(fcm.serviceAccount));
    fs.writeFileSync(path.join(dir, 'apns.p8'), apns.key);
    g = await startTestGuardyn(nats.url, {
      roles: ['auth', 'messaging', 'projections', 'notifications', 'calls'],
      env: {
        GUARDYN_NOTIFICATIONS__FCM_SERVICE_ACCOUNT_FILE: path.join(dir, 'sa.json'),
        GUARDYN_NOTIFICATIONS__FCM_ENDPOINT: fcm.url,
        GUARDYN_NOTIFICATIONS__APNS_KEY_FILE: path.join(dir, 'apns.p8'),
        GUARDYN_NOTIFICATIONS__APNS_KEY_ID: apns.keyId,
        GUARDYN_NOTIFICATIONS__APNS_TEAM_ID: apns.teamId,
        GUARDYN_NOTIFICATIONS__APNS_TOPIC: apns.topic,
        GUARDYN_NOTIFICATIONS__APNS_ENDPOINT: apns.url,
        GUARDYN_NOTIFICATIONS__APNS_SANDBOX_ENDPOINT: apns.url,
      },
    });
    calls = serviceClient('guardyn.call.CallService', `127.0.0.1:${g.ports.calls}`);
  });
  after(async () => {
    await socket?.close().catch(() => undefined);
    calls?.close();
    await g?.stop();
    await Promise.all([fcm?.stop(), apns?.stop()]);
    await nats?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function account(deviceType = 'android', existing?: Account): Promise<Account> {
    if (existing !== undefined) {
      const r = await g.auth.Login!({
        username: existing.username,
        password: PASSWORD,
        device_name: 'second',
        device_type: deviceType,
      });
      assert.equal(r.result, 'success', JSON.stringify(r.error));
      return { ...existing, deviceId: r.success.device_id, token: r.success.access_token };
    }
    const username = uniqueName('callpush');
    const r = await g.auth.Register!({
      username,
      password: PASSWORD,
      email: '',
      device_name: 'phone',
      device_type: deviceType,
    });
    assert.equal(r.result, 'success', JSON.stringify(r.error));
    return { userId: r.success.user_id, deviceId: r.success.device_id, token: r.success.access_token, username };
  }

  async function pushToken(who: Account, body: Record<string, unknown>): Promise<void> {
    const res = await fetch(`http://127.0.0.1:${g.ports.notifications}/v1/push-tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${who.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    assert.equal(res.status, 200, await res.text());
  }

  it('an offline callee device gets one VoIP push naming only the call; the online device gets none', async () => {
    const alice = await account();
    const bobOnline = await account();
    const bobIos = await account('ios', bobOnline);
    const sent = await g.messaging.SendMessage!(
      { recipient_user_id: bobOnline.userId, encrypted_content: Buffer.from('hi'), message_type: 'TEXT' },
      bearer(alice.token),
    );
    assert.equal(sent.result, 'success');
    const apnsToken = 'beef'.repeat(16);
    const fcmToken = `fcm-${bobOnline.deviceId}`;
    await pushToken(bobIos, { platform: 'apns', token: apnsToken, environment: 'sandbox' });
    await pushToken(bobOnline, { platform: 'fcm', token: fcmToken });
    // The message above may push too: count only call pushes.
    const callPushes = (token: string) =>
      [...apns.received, ...fcm.received].filter(
        (p) => p.token === token && (p.body['type'] === 'call' || p.body['message']?.data?.type === 'call'),
      );
    socket = await openSocket(`ws://127.0.0.1:${g.ports.callsWebsocket}/ws`);
    socket.send('auth', { token: bobOnline.token });
    assert.equal((await socket.next('auth_response')).payload.success, true);

    let started: Record<string, any> | undefined;
    await until(async () => {
      // The conversation must be in the view before Bob can see Alice (the presence rule).
      started = await calls.StartCall!(
        { callee_user_id: bobOnline.userId, media: 'AUDIO', offer: Buffer.from('secret offer') },
        bearer(alice.token),
      );
      return started.result === 'success';
    }, 'a call Bob can see');
    const callId = started!.success.call_id as string;
    await until(() => callPushes(apnsToken).length >= 1, 'the VoIP push');
    const push = callPushes(apnsToken)[0]!;
    assert.equal(push.headers['apns-push-type'], 'voip');
    assert.equal(push.headers['apns-topic'], `${apns.topic}.voip`);
    assert.deepEqual(Object.keys(push.body).sort(), ['aps', 'call_id', 'seq', 'type']);
    assert.equal(push.body['call_id'], callId);
    const text = JSON.stringify(push.body);
    for (const leak of ['secret offer', Buffer.from('secret offer').toString('base64'), alice.userId, alice.username])
      assert.ok(!text.includes(leak), `the push carries no ${leak}`);
    await calls.HangUp!({ call_id: callId }, bearer(alice.token));
    await sleep(500); // nothing more may come
    assert.equal(callPushes(apnsToken).length, 1, 'exactly one push');
    assert.equal(callPushes(fcmToken).length, 0, 'no push to the device with a live socket');
  });
});
