/**
 * The key RPCs of AuthService over real gRPC against a real nats-server:
 * publishing bundles at Register and Login, GetKeyBundle (one one-time
 * pre-key per call, never the same one twice, also across two gateway
 * processes), UploadPreKeys, RotateSignedPreKey, MLS key packages, and the
 * withdrawal of a device's keys.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { SignJWT, generateKeyPair } from 'jose';
import { withNatsServer, type TestNatsServer } from '../support/nats.ts';
import { startTestGuardyn, uniqueName, type TestGuardyn } from '../support/guardyn.ts';
import { bearer } from '../../gateways/grpc/client.ts';
import { EventLog } from '../../streams/log.ts';
import { eventRegistry } from '../../streams/events/index.ts';
import { silentLogger } from '../../runtime/logger.ts';
import { CommandHandler } from '../../commands/handler/handler.ts';
import { withdrawDeviceKeys } from '../../commands/device/device-keys.ts';
import { openTestStores, type Stores } from '../support/stores.ts';
import { KeysView } from '../../projections/keys/queries.ts';

interface Account {
  userId: string;
  deviceId: string;
  token: string;
  username: string;
}
interface Bundle {
  identity_key: Buffer;
  signed_pre_key: Buffer;
  signed_pre_key_signature: Buffer;
  one_time_pre_keys: Buffer[];
}

const PASSWORD = 'correct horse battery';
const keys = (n: number, tag: string) => Array.from({ length: n }, (_, i) => Buffer.from(`${tag}-otk-${i}`));
const bundleOf = (tag: string, oneTime: Buffer[] = keys(3, tag)) => ({
  identity_key: Buffer.from(`${tag}-identity`),
  signed_pre_key: Buffer.from(`${tag}-spk`),
  signed_pre_key_signature: Buffer.from(`${tag}-sig`),
  one_time_pre_keys: oneTime,
});
const texts = (bs: Buffer[]) => bs.map((b) => b.toString());

async function register(
  g: TestGuardyn,
  keyBundle: ReturnType<typeof bundleOf> | null,
  name = uniqueName('keys'),
): Promise<Account> {
  const r = await g.auth.Register!({
    username: name,
    password: PASSWORD,
    device_name: 'laptop',
    device_type: 'desktop',
    ...(keyBundle ? { key_bundle: keyBundle } : {}),
  });
  assert.equal(r.result, 'success', JSON.stringify(r.error));
  return { userId: r.success.user_id, deviceId: r.success.device_id, token: r.success.access_token, username: name };
}

async function login(
  g: TestGuardyn,
  a: Account,
  keyBundle: ReturnType<typeof bundleOf> | null,
  deviceId = '',
): Promise<Account> {
  const r = await g.auth.Login!({
    username: a.username,
    password: PASSWORD,
    device_id: deviceId,
    device_name: 'phone',
    device_type: 'ios',
    ...(keyBundle ? { key_bundle: keyBundle } : {}),
  });
  assert.equal(r.result, 'success', JSON.stringify(r.error));
  return { ...a, deviceId: r.success.device_id, token: r.success.access_token };
}

async function forgedToken(a: Account): Promise<string> {
  const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  return new SignJWT({ did: a.deviceId, sid: 'x', typ: 'access' })
    .setProtectedHeader({ alg: 'EdDSA' })
    .setSubject(a.userId)
    .setIssuer('guardyn')
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(privateKey);
}

async function eventually(check: () => Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    assert.ok(Date.now() < deadline, `timed out waiting until ${what}`);
    await sleep(25);
  }
}

describe('AuthService keys over gRPC', () => {
  let nats: TestNatsServer;
  let g: TestGuardyn;
  let second: TestGuardyn;
  let views: Stores;

  before(async () => {
    nats = await withNatsServer();
    g = await startTestGuardyn(nats.url);
    // Another auth gateway with its own (empty) views and aggregate cache, sharing the token signing key as a deployment would.
    const key = fs.readFileSync(path.join(g.dataDir, 'keys', 'jwt-ed25519.pem'), 'utf8');
    second = await startTestGuardyn(nats.url, { roles: ['auth'], env: { GUARDYN_AUTH__JWT_PRIVATE_KEY: key } });
    views = await openTestStores(g.dataDir);
  });
  after(async () => {
    await views?.close();
    await second?.stop();
    await g?.stop();
    await nats?.stop();
  });

  it('publishes the bundle given at Register and at Login on a new device, and answers for every device with an empty device_id', async () => {
    const alice = await register(g, bundleOf('a1'));
    const bob = await register(g, null);
    const one = await g.auth.GetKeyBundle!({ user_id: alice.userId, device_id: alice.deviceId }, bearer(bob.token));
    assert.equal(one.result, 'success', JSON.stringify(one.error));
    assert.equal(one.success.user_id, alice.userId);
    assert.equal(one.success.device_id, alice.deviceId);
    const b: Bundle = one.success.key_bundle;
    assert.equal(b.identity_key.toString(), 'a1-identity');
    assert.equal(b.signed_pre_key.toString(), 'a1-spk');
    assert.equal(b.signed_pre_key_signature.toString(), 'a1-sig');
    assert.deepEqual(texts(b.one_time_pre_keys), ['a1-otk-0'], 'exactly one one-time pre-key, the oldest');
    assert.ok(Number(one.success.key_bundle.created_at.seconds) > 0);
    assert.deepEqual(one.success.bundles, [], 'bundles is only filled for an empty device_id');

    const phone = await login(g, alice, bundleOf('a2'));
    assert.notEqual(phone.deviceId, alice.deviceId);
    // Logging in again on a known device does not publish anything new.
    await login(g, alice, bundleOf('ignored'), phone.deviceId);
    const tablet = await login(g, alice, null); // a third device without keys
    const viaPhone = await g.auth.GetKeyBundle!(
      { user_id: alice.userId, device_id: phone.deviceId },
      bearer(bob.token),
    );
    assert.equal(viaPhone.success.key_bundle.identity_key.toString(), 'a2-identity');
    assert.deepEqual(texts(viaPhone.success.key_bundle.one_time_pre_keys), ['a2-otk-0']);

    const all = await g.auth.GetKeyBundle!({ user_id: alice.userId }, bearer(bob.token));
    assert.equal(all.result, 'success', JSON.stringify(all.error));
    assert.equal(all.success.device_id, alice.deviceId, 'the primary device is the oldest one');
    assert.equal(all.success.key_bundle.identity_key.toString(), 'a1-identity');
    const byDevice = new Map<string, Bundle>(
      all.success.bundles.map((x: { device_id: string; key_bundle: Bundle }) => [x.device_id, x.key_bundle]),
    );
    assert.deepEqual(
      [...byDevice.keys()],
      [alice.deviceId, phone.deviceId],
      'one bundle per device with keys, oldest first; the keyless device is left out',
    );
    assert.deepEqual(
      texts(byDevice.get(alice.deviceId)!.one_time_pre_keys),
      ['a1-otk-1'],
      'each device gave up its next key',
    );
    assert.deepEqual(texts(byDevice.get(phone.deviceId)!.one_time_pre_keys), ['a2-otk-1']);
    assert.deepEqual(
      texts(all.success.key_bundle.one_time_pre_keys),
      ['a1-otk-1'],
      "the top-level bundle is the primary device's, not a further key",
    );

    const keyless = await g.auth.GetKeyBundle!(
      { user_id: alice.userId, device_id: tablet.deviceId },
      bearer(bob.token),
    );
    assert.equal(keyless.error?.code, 'NOT_FOUND');
    assert.match(keyless.error.message, /not published a key bundle/);
  });

  it('refuses GetKeyBundle without a valid token, with malformed ids, and for unknown users and devices', async () => {
    const alice = await register(g, bundleOf('r1'));
    const bob = await register(g, null);
    const request = { user_id: alice.userId, device_id: alice.deviceId };
    assert.equal((await g.auth.GetKeyBundle!(request)).error.code, 'UNAUTHORIZED');
    assert.equal((await g.auth.GetKeyBundle!(request, bearer(await forgedToken(bob)))).error.code, 'UNAUTHORIZED');
    assert.equal((await g.auth.GetKeyBundle!(request, bearer('a.b.c'))).error.code, 'UNAUTHORIZED');
    const cases: [Record<string, unknown>, string][] = [
      [{ user_id: 'not-a-uuid', device_id: alice.deviceId }, 'user_id'],
      [{ device_id: alice.deviceId }, 'user_id'],
      [{ user_id: alice.userId, device_id: 'NOT-A-UUID' }, 'device_id'],
    ];
    for (const [req, field] of cases) {
      const r = await g.auth.GetKeyBundle!(req, bearer(bob.token));
      assert.equal(r.error?.code, 'INVALID_REQUEST', JSON.stringify(req));
      assert.equal(r.error.details.field, field);
    }
    const ghost = '00000000-0000-4000-8000-000000000000';
    const unknownUser = await g.auth.GetKeyBundle!({ user_id: ghost, device_id: alice.deviceId }, bearer(bob.token));
    assert.equal(unknownUser.error?.code, 'NOT_FOUND');
    const unknownDevice = await g.auth.GetKeyBundle!({ user_id: alice.userId, device_id: ghost }, bearer(bob.token));
    assert.equal(unknownDevice.error?.code, 'NOT_FOUND');
    assert.equal((await g.auth.GetKeyBundle!({ user_id: ghost }, bearer(bob.token))).error?.code, 'NOT_FOUND');
    const noKeys = await g.auth.GetKeyBundle!({ user_id: bob.userId }, bearer(alice.token));
    assert.equal(noKeys.error?.code, 'NOT_FOUND');
    // None of the refusals used up a key.
    const fetched = await g.auth.GetKeyBundle!(request, bearer(bob.token));
    assert.deepEqual(texts(fetched.success.key_bundle.one_time_pre_keys), ['r1-otk-0']);
  });

  it('hands 50 concurrent callers on two gateways 50 different one-time pre-keys, and the 51st the bundle without one', async () => {
    const alice = await register(g, bundleOf('c1', keys(20, 'c1')));
    const more = await g.auth.UploadPreKeys!({
      access_token: alice.token,
      one_time_pre_keys: keys(50, 'c1').slice(20),
    });
    assert.equal(more.result, 'success', JSON.stringify(more.error));
    assert.deepEqual({ ...more.success }, { keys_uploaded: 30, total_keys_available: 50 });
    const callers = await Promise.all(Array.from({ length: 5 }, () => register(g, null)));
    // Warm both gateways (token and session checks) so that the 50 calls really race each other.
    for (const gateway of [g, second]) {
      for (const c of callers)
        assert.equal(
          (await gateway.auth.GetKeyBundle!({ user_id: c.userId }, bearer(c.token))).error?.code,
          'NOT_FOUND',
        );
    }
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => {
        const gateway = i % 2 === 0 ? g : second;
        return gateway.auth.GetKeyBundle!(
          { user_id: alice.userId, device_id: alice.deviceId },
          bearer(callers[i % 5]!.token),
        );
      }),
    );
    const handed: string[] = [];
    for (const r of results) {
      assert.equal(r.result, 'success', JSON.stringify(r.error));
      assert.equal(r.success.key_bundle.identity_key.toString(), 'c1-identity');
      assert.equal(r.success.key_bundle.one_time_pre_keys.length, 1);
      handed.push(r.success.key_bundle.one_time_pre_keys[0].toString());
    }
    assert.equal(new Set(handed).size, 50, 'no key was handed out twice');
    assert.deepEqual(new Set(handed), new Set(texts(keys(50, 'c1'))));
    for (const gateway of [second, g]) {
      const last = await gateway.auth.GetKeyBundle!(
        { user_id: alice.userId, device_id: alice.deviceId },
        bearer(callers[0]!.token),
      );
      assert.equal(last.result, 'success', JSON.stringify(last.error));
      assert.deepEqual(
        last.success.key_bundle.one_time_pre_keys,
        [],
        'none left: the bundle without a one-time pre-key',
      );
      assert.equal(last.success.key_bundle.signed_pre_key.toString(), 'c1-spk');
    }
  });

  it('uploads one-time pre-keys without touching the identity or signed pre-key, ignoring duplicates, within bounds', async () => {
    const alice = await register(g, bundleOf('u1', keys(2, 'u1')));
    const bob = await register(g, null);
    const up = await g.auth.UploadPreKeys!({
      access_token: alice.token,
      one_time_pre_keys: [Buffer.from('u1-otk-1'), Buffer.from('new-1'), Buffer.from('new-1'), Buffer.from('new-2')],
    });
    assert.equal(up.result, 'success', JSON.stringify(up.error));
    assert.deepEqual(
      { ...up.success },
      { keys_uploaded: 2, total_keys_available: 4 },
      'a key already available and a repeat are not counted',
    );
    const viaHeader = await second.auth.UploadPreKeys!(
      { one_time_pre_keys: [Buffer.from('new-3')] },
      bearer(alice.token),
    );
    assert.deepEqual({ ...viaHeader.success }, { keys_uploaded: 1, total_keys_available: 5 });
    const handed: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await g.auth.GetKeyBundle!({ user_id: alice.userId, device_id: alice.deviceId }, bearer(bob.token));
      assert.equal(r.success.key_bundle.identity_key.toString(), 'u1-identity');
      assert.equal(r.success.key_bundle.signed_pre_key.toString(), 'u1-spk');
      assert.equal(r.success.key_bundle.signed_pre_key_signature.toString(), 'u1-sig');
      handed.push(...texts(r.success.key_bundle.one_time_pre_keys));
    }
    assert.deepEqual(handed, ['u1-otk-0', 'u1-otk-1', 'new-1', 'new-2', 'new-3'], 'oldest first');

    const refusals: [Record<string, unknown>, string][] = [
      [{ one_time_pre_keys: [] }, 'one_time_pre_keys'],
      [{ one_time_pre_keys: keys(101, 'many') }, 'one_time_pre_keys'],
      [{ one_time_pre_keys: [Buffer.alloc(1025, 1)] }, 'one_time_pre_keys[0]'],
      [{ one_time_pre_keys: [Buffer.from('fine'), Buffer.alloc(0)] }, 'one_time_pre_keys[1]'],
    ];
    for (const [req, field] of refusals) {
      const r = await g.auth.UploadPreKeys!({ access_token: alice.token, ...req });
      assert.equal(r.error?.code, 'INVALID_REQUEST', field);
      assert.equal(r.error.details.field, field);
    }
    // At most 500 available: five uploads of 100 fill the device, one more key is refused.
    for (let i = 0; i < 5; i++) {
      const r = await g.auth.UploadPreKeys!({ access_token: alice.token, one_time_pre_keys: keys(100, `fill${i}`) });
      assert.equal(r.result, 'success', JSON.stringify(r.error));
    }
    const full = await g.auth.UploadPreKeys!({
      access_token: alice.token,
      one_time_pre_keys: [Buffer.from('one too many')],
    });
    assert.equal(full.error?.code, 'INVALID_REQUEST');
    assert.equal(full.error.details.field, 'one_time_pre_keys');
    assert.match(full.error.message, /at most 500/);

    assert.equal((await g.auth.UploadPreKeys!({ one_time_pre_keys: [Buffer.from('x')] })).error.code, 'UNAUTHORIZED');
    assert.equal(
      (await g.auth.UploadPreKeys!({ access_token: await forgedToken(alice), one_time_pre_keys: [Buffer.from('x')] }))
        .error.code,
      'UNAUTHORIZED',
    );
    const noBundle = await g.auth.UploadPreKeys!({ access_token: bob.token, one_time_pre_keys: [Buffer.from('x')] });
    assert.equal(noBundle.error?.code, 'NOT_FOUND', 'a device without a bundle cannot take one-time pre-keys');
  });

  it('rotates the signed pre-key of the calling device only', async () => {
    const alice = await register(g, bundleOf('s1'));
    const bob = await register(g, null);
    const r = await g.auth.RotateSignedPreKey!({
      access_token: alice.token,
      signed_pre_key: Buffer.from('s1-spk-2'),
      signed_pre_key_signature: Buffer.from('s1-sig-2'),
    });
    assert.equal(r.result, 'success', JSON.stringify(r.error));
    assert.ok(Number(r.success.rotated_at.seconds) > 0);
    const b = await second.auth.GetKeyBundle!({ user_id: alice.userId, device_id: alice.deviceId }, bearer(bob.token));
    assert.equal(b.success.key_bundle.signed_pre_key.toString(), 's1-spk-2');
    assert.equal(b.success.key_bundle.signed_pre_key_signature.toString(), 's1-sig-2');
    assert.equal(b.success.key_bundle.identity_key.toString(), 's1-identity');
    assert.deepEqual(texts(b.success.key_bundle.one_time_pre_keys), ['s1-otk-0'], 'one-time pre-keys untouched');
    const refusals: [Record<string, unknown>, string][] = [
      [{ signed_pre_key: Buffer.alloc(0), signed_pre_key_signature: Buffer.from('x') }, 'signed_pre_key'],
      [{ signed_pre_key: Buffer.from('x'), signed_pre_key_signature: Buffer.alloc(1025) }, 'signed_pre_key_signature'],
    ];
    for (const [req, field] of refusals) {
      const bad = await g.auth.RotateSignedPreKey!({ access_token: alice.token, ...req });
      assert.equal(bad.error?.code, 'INVALID_REQUEST', field);
      assert.equal(bad.error.details.field, field);
    }
    assert.equal(
      (
        await g.auth.RotateSignedPreKey!({
          signed_pre_key: Buffer.from('x'),
          signed_pre_key_signature: Buffer.from('y'),
        })
      ).error.code,
      'UNAUTHORIZED',
    );
    assert.equal(
      (
        await g.auth.RotateSignedPreKey!(
          { signed_pre_key: Buffer.from('x'), signed_pre_key_signature: Buffer.from('y') },
          bearer(await forgedToken(alice)),
        )
      ).error.code,
      'UNAUTHORIZED',
    );
    assert.equal(
      (
        await g.auth.RotateSignedPreKey!({
          access_token: bob.token,
          signed_pre_key: Buffer.from('x'),
          signed_pre_key_signature: Buffer.from('y'),
        })
      ).error.code,
      'NOT_FOUND',
    );
  });

  it('stores MLS key packages per device and hands each out once, oldest first, also under concurrency', async () => {
    const alice = await register(g, null);
    const bob = await register(g, null);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await g.auth.UploadMlsKeyPackage!({ access_token: alice.token, key_package: Buffer.from(`mls-${i}`) });
      assert.equal(r.result, 'success', JSON.stringify(r.error));
      assert.match(r.success.package_id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      assert.ok(Number(r.success.uploaded_at.seconds) > 0);
      ids.push(r.success.package_id);
    }
    const again = await g.auth.UploadMlsKeyPackage!({ access_token: alice.token, key_package: Buffer.from('mls-0') });
    assert.equal(again.success.package_id, ids[0], 'the same package uploaded again keeps its id');

    const first = await g.auth.GetMlsKeyPackage!(
      { user_id: alice.userId, device_id: alice.deviceId },
      bearer(bob.token),
    );
    assert.equal(first.result, 'success', JSON.stringify(first.error));
    assert.deepEqual(
      { ...first.success, key_package: first.success.key_package.toString() },
      { user_id: alice.userId, device_id: alice.deviceId, key_package: 'mls-0', package_id: ids[0] },
    );

    const racing = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        (i % 2 === 0 ? g : second).auth.GetMlsKeyPackage!(
          { user_id: alice.userId, device_id: alice.deviceId },
          bearer(bob.token),
        ),
      ),
    );
    const won = racing.filter((r) => r.result === 'success');
    assert.equal(won.length, 4);
    assert.deepEqual(
      new Set(won.map((r) => r.success.package_id)),
      new Set(ids.slice(1)),
      'each package handed out once',
    );
    for (const r of racing.filter((x) => x.result !== 'success')) {
      assert.equal(r.error.code, 'NOT_FOUND');
      assert.equal(r.error.message, 'no key package available');
    }

    const refusals: [Record<string, unknown>, string][] = [
      [{ key_package: Buffer.alloc(0) }, 'key_package'],
      [{ key_package: Buffer.alloc(64 * 1024 + 1, 7) }, 'key_package'],
    ];
    for (const [req, field] of refusals) {
      const bad = await g.auth.UploadMlsKeyPackage!({ access_token: alice.token, ...req });
      assert.equal(bad.error?.code, 'INVALID_REQUEST', field);
      assert.equal(bad.error.details.field, field);
    }
    assert.equal((await g.auth.UploadMlsKeyPackage!({ key_package: Buffer.from('x') })).error.code, 'UNAUTHORIZED');
    assert.equal(
      (await g.auth.UploadMlsKeyPackage!({ access_token: await forgedToken(alice), key_package: Buffer.from('x') }))
        .error.code,
      'UNAUTHORIZED',
    );
    assert.equal(
      (await g.auth.GetMlsKeyPackage!({ user_id: alice.userId, device_id: alice.deviceId })).error.code,
      'UNAUTHORIZED',
    );
    assert.equal(
      (
        await g.auth.GetMlsKeyPackage!(
          { user_id: alice.userId, device_id: alice.deviceId },
          bearer(await forgedToken(bob)),
        )
      ).error.code,
      'UNAUTHORIZED',
    );
    const malformed = await g.auth.GetMlsKeyPackage!({ user_id: alice.userId, device_id: 'nope' }, bearer(bob.token));
    assert.deepEqual([malformed.error?.code, malformed.error?.details.field], ['INVALID_REQUEST', 'device_id']);
    const missingDevice = await g.auth.GetMlsKeyPackage!({ user_id: alice.userId }, bearer(bob.token));
    assert.deepEqual([missingDevice.error?.code, missingDevice.error?.details.field], ['INVALID_REQUEST', 'device_id']);
    const unknown = await g.auth.GetMlsKeyPackage!(
      { user_id: alice.userId, device_id: '00000000-0000-4000-8000-000000000000' },
      bearer(bob.token),
    );
    assert.equal(unknown.error?.code, 'NOT_FOUND');
    assert.match(unknown.error.message, /unknown device/);
  });

  it('withdraws every key of a device: the bundle and packages are gone and the view holds nothing of it', async () => {
    const alice = await register(g, bundleOf('w1'));
    const bob = await register(g, null);
    const phone = await login(g, alice, bundleOf('w2'));
    const up = await g.auth.UploadPreKeys!({ access_token: alice.token, one_time_pre_keys: keys(5, 'w1-more') });
    assert.equal(up.success.total_keys_available, 8);
    const pkg = await g.auth.UploadMlsKeyPackage!({ access_token: alice.token, key_package: Buffer.from('w1-mls') });
    assert.equal(pkg.result, 'success');
    const view = new KeysView(views.kv);
    await eventually(async () => {
      const d = await view.device(alice.userId, alice.deviceId);
      return d.bundle !== undefined && d.oneTimePreKeys.length === 8 && d.mlsKeyPackages.length === 1;
    }, 'the keys view has the device');
    assert.equal((await view.device(alice.userId, alice.deviceId)).bundle?.identityKey.toString(), 'w1-identity');

    // Withdrawn from outside the gateways (another process, as the sessions code would): they must notice at once.
    const log = await EventLog.connect(nats.url, eventRegistry, silentLogger, 'keys-test');
    try {
      const handler = new CommandHandler(log);
      const done = await withdrawDeviceKeys({ handler }, alice.userId, alice.deviceId, 'test-withdraw');
      assert.equal(done.withdrawn, true);
      assert.equal(done.stream, 'ACCOUNTS');
      const twice = await withdrawDeviceKeys({ handler }, alice.userId, alice.deviceId, 'test-withdraw');
      assert.equal(twice.withdrawn, false, 'idempotent');
    } finally {
      await log.close();
    }
    for (const gateway of [g, second]) {
      const bundle = await gateway.auth.GetKeyBundle!(
        { user_id: alice.userId, device_id: alice.deviceId },
        bearer(bob.token),
      );
      assert.equal(bundle.error?.code, 'NOT_FOUND');
      const mls = await gateway.auth.GetMlsKeyPackage!(
        { user_id: alice.userId, device_id: alice.deviceId },
        bearer(bob.token),
      );
      assert.equal(mls.error?.code, 'NOT_FOUND');
    }
    const all = await g.auth.GetKeyBundle!({ user_id: alice.userId }, bearer(bob.token));
    assert.deepEqual(
      all.success.bundles.map((x: { device_id: string }) => x.device_id),
      [phone.deviceId],
      'only the other device is left',
    );
    assert.equal(all.success.device_id, phone.deviceId);
    const upload = await g.auth.UploadPreKeys!({ access_token: alice.token, one_time_pre_keys: [Buffer.from('late')] });
    assert.equal(upload.error?.code, 'NOT_FOUND');
    await eventually(async () => {
      const d = await view.device(alice.userId, alice.deviceId);
      return d.bundle === undefined && d.oneTimePreKeys.length === 0 && d.mlsKeyPackages.length === 0;
    }, 'the keys view dropped the device');
    assert.ok((await view.device(alice.userId, phone.deviceId)).bundle, 'the other device keeps its keys');
  });
});
