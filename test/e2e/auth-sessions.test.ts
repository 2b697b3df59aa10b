/**
 * Sessions, devices and account deletion over real gRPC against a real
 * nats-server: Logout, RefreshToken, ValidateToken, ListDevices, RevokeDevice
 * and DeleteAccount, their refusals, revocation reaching both gateways within
 * 2 s, refresh-token reuse, and crypto-shredding (no plaintext personal data
 * on the stream; nothing readable of a deleted user in the views or a rebuild).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SignJWT, generateKeyPair } from 'jose';
import { withNatsServer, type TestNatsServer } from '../support/nats.ts';
import { startTestGuardyn, uniqueName, type TestGuardyn } from '../support/guardyn.ts';
import { bearer } from '../../gateways/grpc/client.ts';
import { TokenService } from '../../gateways/auth/tokens.ts';
import { ACCESS_PERMISSIONS } from '../../gateways/grpc/auth/auth-sessions.ts';
import { loadConfig } from '../../runtime/config.ts';
import { silentLogger } from '../../runtime/logger.ts';
import { DataKeys, dataKeyKey } from '../../stores/data-keys.ts';
import { EventLog } from '../../streams/log.ts';
import { eventRegistry } from '../../streams/events/index.ts';
import { STREAMS, subjects } from '../../streams/subjects.ts';
import { openEmbeddedStores } from '../../stores/embedded.ts';
import { openTestStores, type Stores } from '../support/stores.ts';
import { rebuildView } from '../../projections/runtime/rebuild.ts';
import { usersProjection } from '../../projections/users/projector.ts';

const PASSWORD = 'correct horse battery staple';

interface Session {
  userId: string;
  deviceId: string;
  sessionId: string;
  token: string;
  refresh: string;
}
interface Account extends Session {
  username: string;
  email: string;
}

const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as { sid: string; exp: number };

function session(success: Record<string, any>): Session {
  return {
    userId: success.user_id,
    deviceId: success.device_id,
    sessionId: claimsOf(success.access_token).sid,
    token: success.access_token,
    refresh: success.refresh_token,
  };
}

async function registerUser(
  g: TestGuardyn,
  options: { name?: string; email?: string; deviceName?: string } = {},
): Promise<Account> {
  const username = options.name ?? uniqueName('Sess');
  const email = options.email ?? '';
  const r = await g.auth.Register!({
    username,
    password: PASSWORD,
    email,
    device_name: options.deviceName ?? 'laptop',
    device_type: 'desktop',
  });
  assert.equal(r.result, 'success', JSON.stringify(r.error));
  return { ...session(r.success), username, email };
}

async function loginUser(
  g: TestGuardyn,
  a: Account,
  device: { device_id?: string; device_name?: string; key_bundle?: unknown } = {},
): Promise<Session> {
  const r = await g.auth.Login!({ username: a.username, password: PASSWORD, device_type: 'ios', ...device });
  assert.equal(r.result, 'success', JSON.stringify(r.error));
  return session(r.success);
}

function expectError(reply: Record<string, any>, code: string, field?: string): void {
  assert.equal(reply.result, 'error', `expected ${code}, got ${JSON.stringify(reply)}`);
  assert.equal(reply.error.code, code, JSON.stringify(reply.error));
  if (field !== undefined) assert.equal(reply.error.details.field, field, JSON.stringify(reply.error));
}

/** Polls `check` until it holds or `ms` pass; returns the time it took. */
async function within(ms: number, what: string, check: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await check()) return Date.now() - started;
    if (Date.now() - started > ms) assert.fail(`${what}: not within ${ms} ms`);
    await sleep(25);
  }
}

const validate = (g: TestGuardyn, token: string) => g.auth.ValidateToken!({ access_token: token });
const refused = async (g: TestGuardyn, token: string) => {
  const r = await validate(g, token);
  return r.result === 'error' && r.error.code === 'UNAUTHORIZED';
};

describe('sessions, devices and account deletion over gRPC', () => {
  let nats: TestNatsServer;
  let g: TestGuardyn;
  let log: EventLog;

  before(async () => {
    nats = await withNatsServer();
    g = await startTestGuardyn(nats.url);
    log = await EventLog.connect(nats.url, eventRegistry, silentLogger, 'auth-sessions-test');
  });
  after(async () => {
    await log?.close();
    await g?.stop();
    await nats?.stop();
  });

  it('ValidateToken tells the real user, device, session, expiry and permissions', async () => {
    const a = await registerUser(g);
    const second = await loginUser(g, a, { device_name: 'phone' });
    for (const [s, reply] of [
      [a, await validate(g, a.token)],
      [second, await g.auth.ValidateToken!({}, bearer(second.token))],
    ] as const) {
      assert.equal(reply.result, 'success', JSON.stringify(reply.error));
      assert.equal(reply.success.user_id, a.userId);
      assert.equal(reply.success.device_id, s.deviceId);
      assert.equal(reply.success.session_id, s.sessionId);
      assert.equal(Number(reply.success.expires_at.seconds), claimsOf(s.token).exp);
      assert.ok(Math.abs(Number(reply.success.expires_at.seconds) - (Date.now() / 1000 + 900)) < 60);
      assert.deepEqual(reply.success.permissions, [...ACCESS_PERMISSIONS]);
    }
    assert.notEqual(a.sessionId, second.sessionId);
    assert.notEqual(a.deviceId, second.deviceId);
  });

  it('refuses missing, malformed, forged, expired and revoked tokens on every session RPC', async () => {
    const a = await registerUser(g);
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const forged = await new SignJWT({ did: a.deviceId, sid: a.sessionId, typ: 'access' })
      .setProtectedHeader({ alg: 'EdDSA' })
      .setSubject(a.userId)
      .setIssuer('guardyn')
      .setAudience('guardyn')
      .setIssuedAt()
      .setExpirationTime('5m')
      .setJti('j')
      .sign(privateKey);
    // A token signed with the real key an hour ago: expired.
    const pastTokens = await TokenService.create(loadConfig(g.env), silentLogger, { now: () => Date.now() - 3600_000 });
    const expired = (
      await pastTokens.issueAccessToken({ userId: a.userId, deviceId: a.deviceId, sessionId: a.sessionId })
    ).token;
    pastTokens.close();
    const victim = await loginUser(g, a);
    assert.equal((await g.auth.Logout!({ access_token: victim.token })).success.sessions_invalidated, 1);

    const calls: [string, Record<string, unknown>][] = [
      ['ValidateToken', {}],
      ['Logout', { all_devices: true }],
      ['ListDevices', {}],
      ['RevokeDevice', { device_id: a.deviceId }],
      ['DeleteAccount', { password: PASSWORD }],
    ];
    for (const [method, request] of calls) {
      expectError(await g.auth[method]!(request), 'UNAUTHORIZED');
      expectError(await g.auth[method]!({ ...request, access_token: 'a.b.c' }), 'UNAUTHORIZED');
      expectError(await g.auth[method]!({ ...request, access_token: forged }), 'UNAUTHORIZED');
      expectError(await g.auth[method]!({ ...request, access_token: expired }), 'UNAUTHORIZED');
      expectError(await g.auth[method]!(request, bearer(victim.token)), 'UNAUTHORIZED');
    }
    const ended = await validate(g, victim.token);
    assert.equal(ended.error.message, 'session ended');
    // Nothing was changed by any of the refused calls.
    assert.equal((await validate(g, a.token)).result, 'success');
    const devices = await g.auth.ListDevices!({ access_token: a.token });
    assert.equal(devices.success.devices.length, 2);
  });

  it('Logout ends this session only: refused within 2 s by both gateways, refresh token dead, other sessions alive', async () => {
    const a = await registerUser(g);
    const b = await loginUser(g, a, { device_name: 'phone' });
    const peer = await registerUser(g);
    const out = await g.auth.Logout!({ access_token: a.token });
    assert.equal(out.result, 'success', JSON.stringify(out.error));
    assert.equal(out.success.sessions_invalidated, 1);
    const took = await within(2000, 'the logged-out token is refused', () => refused(g, a.token));
    assert.ok(took <= 2000);
    await within(2000, 'messaging refuses the logged-out token', async () => {
      const r = await g.messaging.SendMessage!(
        { recipient_user_id: peer.userId, encrypted_content: Buffer.from('x') },
        bearer(a.token),
      );
      return r.result === 'error' && r.error.code === 'UNAUTHORIZED';
    });
    expectError(await g.auth.RefreshToken!({ refresh_token: a.refresh }), 'UNAUTHORIZED');
    assert.equal((await validate(g, b.token)).result, 'success', 'the other session is alive');
    const sent = await g.messaging.SendMessage!(
      { recipient_user_id: peer.userId, encrypted_content: Buffer.from('x') },
      bearer(b.token),
    );
    assert.equal(sent.result, 'success', JSON.stringify(sent.error));
    const again = await g.auth.Logout!({ access_token: a.token });
    assert.equal(again.success.sessions_invalidated, 0, 'logging out an ended session ends nothing');
    expectError(await g.auth.Logout!({ access_token: a.token, all_devices: true }), 'UNAUTHORIZED');
  });

  it('Logout with all_devices ends every live session of the user and counts them', async () => {
    const a = await registerUser(g);
    const b = await loginUser(g, a, { device_name: 'phone' });
    const c = await loginUser(g, a, { device_id: b.deviceId });
    const d = await loginUser(g, a, { device_name: 'tablet' });
    assert.equal((await g.auth.Logout!({ access_token: d.token })).success.sessions_invalidated, 1);
    const other = await registerUser(g);
    const all = await g.auth.Logout!({ access_token: b.token, all_devices: true });
    assert.equal(all.result, 'success', JSON.stringify(all.error));
    assert.equal(all.success.sessions_invalidated, 3, 'a, b and c; d had ended already');
    for (const s of [a, b, c, d]) await within(2000, 'every session is refused', () => refused(g, s.token));
    assert.equal((await validate(g, other.token)).result, 'success', 'another user is untouched');
    const fresh = await loginUser(g, a);
    assert.equal((await validate(g, fresh.token)).result, 'success', 'the user can log in again');
  });

  it('RefreshToken rotates single-use tokens; reuse of a spent one revokes the whole session', async () => {
    const a = await registerUser(g);
    const other = await loginUser(g, a);
    const r1 = await g.auth.RefreshToken!({ refresh_token: a.refresh });
    assert.equal(r1.result, 'success', JSON.stringify(r1.error));
    assert.notEqual(r1.success.refresh_token, a.refresh);
    assert.equal(r1.success.access_token_expires_in, 900);
    const v1 = await validate(g, r1.success.access_token);
    assert.equal(v1.success.session_id, a.sessionId, 'the same session (token family)');
    assert.equal(v1.success.device_id, a.deviceId);
    const r2 = await g.auth.RefreshToken!({ refresh_token: r1.success.refresh_token });
    assert.equal(r2.result, 'success', JSON.stringify(r2.error));

    const reuse = await g.auth.RefreshToken!({ refresh_token: a.refresh });
    expectError(reuse, 'UNAUTHORIZED');
    expectError(await g.auth.RefreshToken!({ refresh_token: r2.success.refresh_token }), 'UNAUTHORIZED');
    for (const token of [a.token, r1.success.access_token, r2.success.access_token]) {
      await within(2000, 'every access token of the family is refused', () => refused(g, token));
    }
    assert.equal((await validate(g, other.token)).result, 'success', 'other sessions of the user survive');

    const kinds: string[] = [];
    for await (const c of log.readSubject(STREAMS.accounts, subjects.user(a.userId))) {
      for (const e of c.events)
        kinds.push(e.type === 'SessionRevoked' ? `SessionRevoked:${(e.data as { reason: string }).reason}` : e.type);
    }
    assert.deepEqual(kinds.slice(-2), ['SessionRevoked:refresh-reuse', 'RefreshTokenReused']);
  });

  it('RefreshToken refuses malformed, unknown and revoked-session tokens', async () => {
    expectError(await g.auth.RefreshToken!({}), 'INVALID_REQUEST', 'refresh_token');
    expectError(await g.auth.RefreshToken!({ refresh_token: 'not a token!' }), 'INVALID_REQUEST', 'refresh_token');
    expectError(await g.auth.RefreshToken!({ refresh_token: 'x'.repeat(257) }), 'INVALID_REQUEST', 'refresh_token');
    expectError(
      await g.auth.RefreshToken!({ refresh_token: Buffer.alloc(32, 7).toString('base64url') }),
      'UNAUTHORIZED',
    );
    const a = await registerUser(g);
    const b = await loginUser(g, a);
    assert.equal(
      (await g.auth.RevokeDevice!({ access_token: a.token, device_id: b.deviceId })).success.sessions_invalidated,
      1,
    );
    expectError(await g.auth.RefreshToken!({ refresh_token: b.refresh }), 'UNAUTHORIZED');
    assert.equal((await g.auth.RefreshToken!({ refresh_token: a.refresh })).result, 'success');
  });

  it('ListDevices and RevokeDevice: own devices only, revocation ends the device, withdraws its keys, and it cannot return', async () => {
    const a = await registerUser(g, { deviceName: 'Work laptop' });
    const bundle = {
      identity_key: Buffer.alloc(32, 1),
      signed_pre_key: Buffer.alloc(32, 2),
      signed_pre_key_signature: Buffer.alloc(64, 3),
      one_time_pre_keys: [Buffer.alloc(32, 4)],
    };
    const phone = await loginUser(g, a, { device_name: 'Pocket phone', key_bundle: bundle });
    const stranger = await registerUser(g);

    const listed = await g.auth.ListDevices!({ access_token: a.token });
    assert.equal(listed.result, 'success', JSON.stringify(listed.error));
    assert.deepEqual(
      listed.success.devices.map((d: any) => [d.device_id, d.device_name, d.is_current]),
      [
        [a.deviceId, 'Work laptop', true],
        [phone.deviceId, 'Pocket phone', false],
      ],
    );

    expectError(
      await g.auth.RevokeDevice!({ access_token: a.token, device_id: stranger.deviceId }),
      'NOT_FOUND',
      'device_id',
    );
    expectError(
      await g.auth.RevokeDevice!({ access_token: a.token, device_id: '00000000-0000-4000-8000-000000000000' }),
      'NOT_FOUND',
      'device_id',
    );
    expectError(
      await g.auth.RevokeDevice!({ access_token: a.token, device_id: 'not-a-uuid' }),
      'INVALID_REQUEST',
      'device_id',
    );
    expectError(await g.auth.RevokeDevice!({ access_token: a.token }), 'INVALID_REQUEST', 'device_id');
    assert.equal((await validate(g, stranger.token)).result, 'success', "the stranger's device is untouched");

    const bundleBefore = await g.auth.GetKeyBundle!(
      { user_id: a.userId, device_id: phone.deviceId },
      bearer(stranger.token),
    );
    assert.equal(bundleBefore.result, 'success', JSON.stringify(bundleBefore.error));

    const revoked = await g.auth.RevokeDevice!({ access_token: a.token, device_id: phone.deviceId });
    assert.equal(revoked.result, 'success', JSON.stringify(revoked.error));
    assert.deepEqual({ ...revoked.success }, { device_id: phone.deviceId, sessions_invalidated: 1 });
    await within(2000, "the revoked device's token is refused", () => refused(g, phone.token));
    const after = await g.auth.ListDevices!({ access_token: a.token });
    assert.deepEqual(
      after.success.devices.map((d: any) => d.device_id),
      [a.deviceId],
    );
    expectError(
      await g.auth.Login!({ username: a.username, password: PASSWORD, device_id: phone.deviceId }),
      'NOT_FOUND',
      'device_id',
    );
    expectError(
      await g.auth.RevokeDevice!({ access_token: a.token, device_id: phone.deviceId }),
      'NOT_FOUND',
      'device_id',
    );
    expectError(
      await g.auth.GetKeyBundle!({ user_id: a.userId, device_id: phone.deviceId }, bearer(stranger.token)),
      'NOT_FOUND',
    );

    // Revoking the calling device logs it out.
    const self = await g.auth.RevokeDevice!({ access_token: a.token, device_id: a.deviceId });
    assert.equal(self.success.sessions_invalidated, 1);
    await within(2000, 'the calling device is logged out', () => refused(g, a.token));
  });

  it('DeleteAccount: a wrong password changes nothing; deletion ends everything, leaves nothing readable, and the name stays taken', async () => {
    const tag = `${process.pid}${Date.now() % 100000}`;
    const victim = await registerUser(g, {
      name: `Vict1m_${tag}`,
      email: `victim.${tag}@example.org`,
      deviceName: `Desk of victim ${tag}`,
    });
    const phone = await loginUser(g, victim, { device_name: `Phone of victim ${tag}` });
    const survivor = await registerUser(g, {
      name: `Surv1vor_${tag}`,
      email: `survivor.${tag}@example.org`,
      deviceName: `Desk of survivor ${tag}`,
    });
    const victimSecrets = [
      victim.username,
      victim.username.toLowerCase(),
      victim.email,
      `Desk of victim ${tag}`,
      `Phone of victim ${tag}`,
    ];
    const survivorSecrets = [survivor.username, survivor.email, `Desk of survivor ${tag}`];

    expectError(
      await g.auth.DeleteAccount!({ access_token: victim.token, password: 'not the password at all' }),
      'UNAUTHORIZED',
    );
    expectError(await g.auth.DeleteAccount!({ access_token: victim.token }), 'INVALID_REQUEST', 'password');
    expectError(
      await g.auth.DeleteAccount!({ access_token: victim.token, password: 'x'.repeat(129) }),
      'INVALID_REQUEST',
      'password',
    );
    assert.equal((await validate(g, victim.token)).result, 'success', 'a refused deletion changes nothing');
    assert.equal((await loginUser(g, victim, { device_id: phone.deviceId })).userId, victim.userId);

    const gone = await g.auth.DeleteAccount!({ access_token: phone.token, password: PASSWORD });
    assert.equal(gone.result, 'success', JSON.stringify(gone.error));
    assert.equal(gone.success.user_id, victim.userId);

    for (const token of [victim.token, phone.token])
      await within(2000, 'tokens of a deleted account are refused', () => refused(g, token));
    expectError(await g.auth.Login!({ username: victim.username, password: PASSWORD }), 'UNAUTHORIZED');
    expectError(await g.auth.RefreshToken!({ refresh_token: victim.refresh }), 'UNAUTHORIZED');
    expectError(
      await g.auth.Register!({ username: victim.username.toUpperCase(), password: PASSWORD }),
      'CONFLICT',
      'username',
    );
    // The directory answers from the users view first: once it has applied the deletion, the user is gone for senders.
    await within(30_000, 'a deleted user is no recipient', async () => {
      const sent = await g.messaging.SendMessage!(
        { recipient_user_id: victim.userId, encrypted_content: Buffer.from('x') },
        bearer(survivor.token),
      );
      return sent.result === 'error' && sent.error.code === 'NOT_FOUND';
    });

    // The views: nothing of the victim left (once they caught up), the survivor intact.
    const live = await openTestStores(g.dataDir);
    const freshDir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-rebuild-'));
    const fresh = await openEmbeddedStores(freshDir);
    try {
      assert.equal(await live.kv.get(dataKeyKey(victim.userId)), undefined, 'the data key is destroyed');
      // Only the sessions view's tombstone (`sessions/gone/<userId>`: a random id, no personal data) may name the user.
      const tombstone = `sessions\u0000gone\u0000${victim.userId}`;
      await within(2000, 'the views forget the deleted user', async () => {
        const lines = (await dump(live)).split('\n');
        return (
          !containsAny(lines.join('\n'), victimSecrets) &&
          lines.filter((l) => l.includes(victim.userId)).every((l) => l === tombstone)
        );
      });
      const liveBytes = await dump(live);
      for (const s of survivorSecrets) assert.ok(liveBytes.includes(s), `the survivor's ${s} is still in the view`);

      // Rebuild the users view from the stream into fresh stores (data keys read where they live).
      const projection = { ...usersProjection(fresh.kv, new DataKeys(live.kv)), name: `users_check_${tag}` };
      await rebuildView(log, projection, silentLogger);
      const rebuilt = await dump(fresh);
      for (const s of victimSecrets) assert.ok(!rebuilt.includes(s), `a rebuild shows no ${s}`);
      assert.ok(!rebuilt.includes(victim.userId), 'a rebuild ends with the deleted user removed');
      for (const s of survivorSecrets) assert.ok(rebuilt.includes(s), `a rebuild shows the survivor's ${s}`);
      // Not even the store's file ever held the victim's plaintext.
      const file = fs.readFileSync(path.join(freshDir, 'data.mdb')).toString('latin1');
      for (const s of victimSecrets) assert.ok(!file.includes(s), `the rebuilt store's file has no ${s}`);
      assert.ok(file.includes(survivor.email), 'the file scan does see plaintext where there is some');
    } finally {
      await live.close();
      await fresh.close();
      fs.rmSync(freshDir, { recursive: true, force: true });
    }

    // The log: audit events present, and no plaintext personal data of anyone in any ACCOUNTS message.
    const kinds: string[] = [];
    for await (const c of log.readSubject(STREAMS.accounts, subjects.user(victim.userId)))
      kinds.push(...c.events.map((e) => e.type));
    assert.deepEqual(kinds.slice(-2), ['AccountDeleted', 'UserDataKeyDestroyed']);
    assert.equal(kinds.filter((k) => k === 'DeviceRevoked').length, 2);
    const raw = await rawStream(log, STREAMS.accounts);
    assert.ok(raw.includes('"UserRegistered"') && raw.includes(victim.userId), 'the scan reads the stored bodies');
    for (const s of [...victimSecrets, ...survivorSecrets])
      assert.ok(!raw.includes(s), `ACCOUNTS holds no plaintext ${s}`);
  });
});

function containsAny(haystack: string, needles: readonly string[]): boolean {
  return needles.some((n) => haystack.includes(n));
}

/** Every key and value of a store's key-value port, as one latin1 string. */
async function dump(stores: Stores): Promise<string> {
  const parts: string[] = [];
  let start: Uint8Array = new Uint8Array(0);
  for (;;) {
    const rows = await stores.kv.scan({ start, end: new Uint8Array([0xff, 0xff, 0xff, 0xff]), limit: 1000 });
    for (const r of rows) parts.push(Buffer.from(r.key).toString('latin1'), Buffer.from(r.value).toString('latin1'));
    if (rows.length < 1000) break;
    start = Buffer.concat([rows[rows.length - 1]!.key, Buffer.from([0])]);
  }
  return parts.join('\n');
}

/** Every message of a stream as stored: subject, headers and body bytes. */
async function rawStream(log: EventLog, stream: string): Promise<string> {
  const last = await log.lastSeq(stream);
  const parts: string[] = [];
  for (let seq = 1; seq <= last; seq++) {
    const m = await log.jsm.direct.getMessage(stream, { seq });
    if (!m) continue;
    parts.push(m.subject);
    for (const k of m.header?.keys() ?? []) parts.push(`${k}: ${m.header!.values(k).join(',')}`);
    parts.push(Buffer.from(m.data).toString('latin1'));
  }
  return parts.join('\n');
}
