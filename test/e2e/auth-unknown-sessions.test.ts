/**
 * The session check fails closed: an access token signed with the real key but
 * naming a session that never existed is refused by every gateway (gRPC auth
 * and messaging, DeleteAccount and Logout included, the WebSocket gateway and
 * the push-tokens HTTP API) and changes nothing; a session started a moment ago
 * is found on its stream subject, so a login followed at once by calls works
 * even when no projection runs; and Logout ends a session.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { withNatsServer, type TestNatsServer } from '../support/nats.ts';
import { startTestGuardyn, uniqueName, type TestGuardyn } from '../support/guardyn.ts';
import { openSocket } from '../support/ws-client.ts';
import { bearer } from '../../gateways/grpc/client.ts';
import { TokenService } from '../../gateways/auth/tokens.ts';
import { loadConfig } from '../../runtime/config.ts';
import { silentLogger } from '../../runtime/logger.ts';
import { EventLog } from '../../streams/log.ts';
import { eventRegistry } from '../../streams/events/index.ts';
import { STREAMS, subjects } from '../../streams/subjects.ts';

const PASSWORD = 'correct horse battery staple';

interface Session {
  userId: string;
  deviceId: string;
  sessionId: string;
  token: string;
  username: string;
}

const sidOf = (token: string) =>
  (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as { sid: string }).sid;

async function register(g: TestGuardyn): Promise<Session> {
  const username = uniqueName('Ghost');
  const r = await g.auth.Register!({
    username,
    password: PASSWORD,
    email: '',
    device_name: 'laptop',
    device_type: 'desktop',
  });
  assert.equal(r.result, 'success', JSON.stringify(r.error));
  return {
    userId: r.success.user_id,
    deviceId: r.success.device_id,
    sessionId: sidOf(r.success.access_token),
    token: r.success.access_token,
    username,
  };
}

async function login(g: TestGuardyn, a: Session): Promise<Session> {
  const r = await g.auth.Login!({ username: a.username, password: PASSWORD, device_name: 'phone', device_type: 'ios' });
  assert.equal(r.result, 'success', JSON.stringify(r.error));
  return {
    ...a,
    deviceId: r.success.device_id,
    sessionId: sidOf(r.success.access_token),
    token: r.success.access_token,
  };
}

/** An access token signed with the Guardyn's own key, for a session that never existed. */
async function ghostToken(g: TestGuardyn, a: Session): Promise<string> {
  const tokens = await TokenService.create(loadConfig(g.env), silentLogger);
  try {
    return (await tokens.issueAccessToken({ userId: a.userId, deviceId: a.deviceId, sessionId: randomUUID() })).token;
  } finally {
    tokens.close();
  }
}

const unauthorized = (reply: Record<string, any>) => reply.result === 'error' && reply.error.code === 'UNAUTHORIZED';

async function within(ms: number, what: string, check: () => Promise<boolean>): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > ms) assert.fail(`${what}: not within ${ms} ms`);
    await sleep(25);
  }
}

/** What each gateway says of a token: true when the call was allowed. */
function gateways(g: TestGuardyn) {
  return {
    validate: async (token: string) => !unauthorized(await g.auth.ValidateToken!({ access_token: token })),
    send: async (token: string, to: string) => {
      const r = await g.messaging.SendMessage!(
        { recipient_user_id: to, encrypted_content: Buffer.from('x') },
        bearer(token),
      );
      if (!unauthorized(r)) assert.equal(r.result, 'success', JSON.stringify(r.error));
      return r.result === 'success';
    },
    websocketUpgrade: async (token: string) => {
      try {
        const s = await openSocket(`ws://127.0.0.1:${g.ports.websocket}/ws`, {
          headers: { authorization: `Bearer ${token}` },
        });
        const ok = (await s.next('auth_response')).payload['success'] === true;
        await s.close();
        return ok;
      } catch (err) {
        assert.match((err as Error).message, /401/);
        return false;
      }
    },
    websocketFrame: async (token: string) => {
      const s = await openSocket(`ws://127.0.0.1:${g.ports.websocket}/ws`);
      try {
        s.send('auth', { token });
        return (await s.next('auth_response')).payload['success'] === true;
      } finally {
        await s.close();
      }
    },
    pushTokens: async (token: string) => {
      const res = await fetch(`http://127.0.0.1:${g.ports.notifications}/v1/push-tokens`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ platform: 'fcm', token: `device-${randomUUID()}` }),
      });
      await res.arrayBuffer();
      if (res.status !== 401) assert.ok(res.status < 300, `push-tokens answered ${res.status}`);
      return res.status < 300;
    },
  };
}

for (const setup of [
  { name: 'with the projections running', roles: ['auth', 'messaging', 'projections', 'notifications'] as const },
  {
    name: 'with no projection running (the views never catch up)',
    roles: ['auth', 'messaging', 'notifications'] as const,
  },
]) {
  describe(`unknown sessions are refused, ${setup.name}`, () => {
    let nats: TestNatsServer;
    let g: TestGuardyn;
    let log: EventLog;

    before(async () => {
      nats = await withNatsServer();
      g = await startTestGuardyn(nats.url, { roles: [...setup.roles] });
      log = await EventLog.connect(nats.url, eventRegistry, silentLogger, 'unknown-sessions-test');
    });
    after(async () => {
      await log?.close();
      await g?.stop();
      await nats?.stop();
    });

    it('refuses a token of a session that never existed on every gateway, and DeleteAccount and Logout change nothing', async () => {
      const a = await register(g);
      const peer = await register(g);
      const ghost = await ghostToken(g, a);
      const gw = gateways(g);
      assert.equal(await gw.validate(ghost), false, 'ValidateToken');
      assert.equal(await gw.send(ghost, peer.userId), false, 'SendMessage');
      assert.equal(await gw.websocketUpgrade(ghost), false, 'WebSocket upgrade');
      assert.equal(await gw.websocketFrame(ghost), false, 'WebSocket auth frame');
      assert.equal(await gw.pushTokens(ghost), false, 'push-tokens API');
      assert.ok(unauthorized(await g.auth.ListDevices!({ access_token: ghost })), 'ListDevices');
      assert.ok(
        unauthorized(await g.auth.RevokeDevice!({ access_token: ghost, device_id: a.deviceId })),
        'RevokeDevice',
      );
      assert.ok(
        unauthorized(await g.auth.DeleteAccount!({ access_token: ghost, password: PASSWORD })),
        'DeleteAccount',
      );
      assert.ok(
        unauthorized(await g.auth.Logout!({ access_token: ghost, all_devices: true })),
        'Logout of all devices',
      );
      const single = await g.auth.Logout!({ access_token: ghost, all_devices: false });
      assert.equal(single.result, 'success', JSON.stringify(single.error));
      assert.equal(single.success.sessions_invalidated, 0, 'a session that never existed ends nothing');
      // Nothing changed: the account, its device and its real session are as they were.
      const kinds: string[] = [];
      for await (const c of log.readSubject(STREAMS.accounts, subjects.user(a.userId)))
        kinds.push(...c.events.map((e) => e.type));
      assert.deepEqual(
        kinds.filter((k) => k !== 'UserRegistered' && k !== 'DeviceRegistered' && k !== 'SessionStarted'),
        [],
        kinds.join(','),
      );
      assert.equal(await gw.validate(a.token), true, 'the real session is alive');
      assert.equal(await gw.send(a.token, peer.userId), true);
      const devices = await g.auth.ListDevices!({ access_token: a.token });
      assert.equal(devices.success.devices.length, 1);
      // The refusal is not remembered for good: it is still a refusal a while later.
      await sleep(1100);
      assert.equal(await gw.validate(ghost), false, 'still refused once the brief negative cache has expired');
    });

    it('serves a login followed at once by calls on every gateway, and Logout ends the session', async () => {
      const a = await register(g);
      const peer = await register(g);
      const gw = gateways(g);
      const b = await login(g, a);
      assert.equal(await gw.validate(b.token), true, 'ValidateToken at once');
      const c = await login(g, a);
      assert.equal(await gw.send(c.token, peer.userId), true, 'SendMessage at once');
      const d = await login(g, a);
      assert.equal(await gw.websocketFrame(d.token), true, 'WebSocket auth at once');
      const e = await login(g, a);
      assert.equal(await gw.pushTokens(e.token), true, 'push-tokens API at once');
      const out = await g.auth.Logout!({ access_token: b.token, all_devices: false });
      assert.equal(out.result, 'success', JSON.stringify(out.error));
      assert.equal(out.success.sessions_invalidated, 1);
      await within(2000, 'the logged-out session is refused', async () => !(await gw.validate(b.token)));
      await within(2000, 'messaging refuses it', async () => !(await gw.send(b.token, peer.userId)));
      assert.equal(await gw.websocketFrame(b.token), false, 'the WebSocket gateway refuses it');
      assert.equal(await gw.validate(c.token), true, 'other sessions live on');
    });
  });
}
