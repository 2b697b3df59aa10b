import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isLeft, isRight, type Either } from 'fp-ts/lib/Either.js';
import { fold, type DomainError } from '../handler/decider.ts';
import {
  deviceKeysDecider,
  MAX_AVAILABLE_ONE_TIME_PRE_KEYS,
  MAX_KEY_BYTES,
  MAX_MLS_KEY_PACKAGE_BYTES,
  MAX_ONE_TIME_PRE_KEYS_PER_UPLOAD,
  MAX_STORED_MLS_KEY_PACKAGES,
  type DeviceKeysCommand,
  type DeviceKeysEvent,
  type DeviceKeysState,
} from './decider.ts';
import { eventRegistry } from '../../streams/events/index.ts';

const bytes = (s: string) => Buffer.from(s);
const keys = (n: number, tag = 'k') => Array.from({ length: n }, (_, i) => bytes(`${tag}${i}`));
const bundle = (oneTime: Uint8Array[] = keys(3)) => ({
  identityKey: bytes('ik'),
  signedPreKey: bytes('spk'),
  signedPreKeySignature: bytes('sig'),
  oneTimePreKeys: oneTime,
});

function ok(r: Either<DomainError, readonly DeviceKeysEvent[]>): readonly DeviceKeysEvent[] {
  assert.ok(isRight(r), isLeft(r) ? r.left.message : '');
  return r.right;
}
function refused(r: Either<DomainError, readonly DeviceKeysEvent[]>): DomainError {
  assert.ok(isLeft(r), 'expected a refusal');
  return r.left;
}
function run(state: DeviceKeysState, command: DeviceKeysCommand): DeviceKeysState {
  return fold(deviceKeysDecider, state, ok(deviceKeysDecider.decide(command, state)));
}
function published(oneTime?: Uint8Array[]): DeviceKeysState {
  return run(deviceKeysDecider.initialState, {
    kind: 'PublishDeviceKeys',
    userId: 'u1',
    deviceId: 'd1',
    bundle: bundle(oneTime),
    at: 10,
  });
}

describe('device-keys decider', () => {
  it('publishes a bundle with server-assigned one-time pre-key ids, and is idempotent for the same bundle', () => {
    const events = ok(
      deviceKeysDecider.decide(
        {
          kind: 'PublishDeviceKeys',
          userId: 'u1',
          deviceId: 'd1',
          bundle: bundle([bytes('a'), bytes('b'), bytes('a')]),
          at: 10,
        },
        deviceKeysDecider.initialState,
      ),
    );
    assert.equal(events.length, 1);
    const e = events[0]!;
    assert.equal(e.type, 'DeviceKeysPublished');
    if (e.type !== 'DeviceKeysPublished') return;
    assert.deepEqual(
      e.data.oneTimePreKeys.map((k) => [k.keyId, Buffer.from(k.key).toString()]),
      [
        [1, 'a'],
        [2, 'b'],
      ],
      'a repeated key is stored once',
    );
    const s = fold(deviceKeysDecider, deviceKeysDecider.initialState, events);
    assert.equal(s.oneTimePreKeys.size, 2);
    assert.equal(s.nextKeyId, 3);
    assert.deepEqual(
      ok(
        deviceKeysDecider.decide(
          { kind: 'PublishDeviceKeys', userId: 'u1', deviceId: 'd1', bundle: bundle(), at: 11 },
          s,
        ),
      ),
      [],
    );
    const other = refused(
      deviceKeysDecider.decide(
        {
          kind: 'PublishDeviceKeys',
          userId: 'u1',
          deviceId: 'd1',
          bundle: { ...bundle(), identityKey: bytes('other') },
          at: 11,
        },
        s,
      ),
    );
    assert.equal(other.code, 'CONFLICT');
  });

  it('refuses empty and oversize keys naming the field', () => {
    const empty = refused(
      deviceKeysDecider.decide(
        {
          kind: 'PublishDeviceKeys',
          userId: 'u1',
          deviceId: 'd1',
          bundle: { ...bundle(), signedPreKey: new Uint8Array(0) },
          at: 1,
        },
        deviceKeysDecider.initialState,
      ),
    );
    assert.deepEqual([empty.code, empty.field], ['INVALID_REQUEST', 'key_bundle.signed_pre_key']);
    const big = refused(
      deviceKeysDecider.decide(
        { kind: 'AddOneTimePreKeys', keys: [bytes('x'), Buffer.alloc(MAX_KEY_BYTES + 1)], at: 1 },
        published(),
      ),
    );
    assert.deepEqual([big.code, big.field], ['INVALID_REQUEST', 'one_time_pre_keys[1]']);
    const rot = refused(
      deviceKeysDecider.decide(
        { kind: 'RotateSignedPreKey', signedPreKey: bytes('x'), signature: Buffer.alloc(MAX_KEY_BYTES + 1), at: 1 },
        published(),
      ),
    );
    assert.equal(rot.field, 'signed_pre_key_signature');
  });

  it('adds one-time pre-keys, ignoring those already available, and never touches the identity or signed pre-key', () => {
    const s = published([bytes('a'), bytes('b')]);
    const events = ok(
      deviceKeysDecider.decide(
        { kind: 'AddOneTimePreKeys', keys: [bytes('b'), bytes('c'), bytes('c'), bytes('d')], at: 20 },
        s,
      ),
    );
    assert.deepEqual(
      events.map((e) => e.type),
      ['OneTimePreKeysAdded'],
    );
    const after = fold(deviceKeysDecider, s, events);
    assert.deepEqual(
      [...after.oneTimePreKeys.entries()].map(([id, k]) => [id, Buffer.from(k).toString()]),
      [
        [1, 'a'],
        [2, 'b'],
        [3, 'c'],
        [4, 'd'],
      ],
    );
    assert.deepEqual(after.bundle, s.bundle);
    assert.deepEqual(
      ok(deviceKeysDecider.decide({ kind: 'AddOneTimePreKeys', keys: [bytes('a')], at: 21 }, after)),
      [],
      'only duplicates: nothing to commit',
    );
  });

  it(`keeps at most ${MAX_AVAILABLE_ONE_TIME_PRE_KEYS} available one-time pre-keys and ${MAX_ONE_TIME_PRE_KEYS_PER_UPLOAD} per upload`, () => {
    let s = published([]);
    for (let i = 0; i < MAX_AVAILABLE_ONE_TIME_PRE_KEYS / MAX_ONE_TIME_PRE_KEYS_PER_UPLOAD; i++) {
      s = run(s, { kind: 'AddOneTimePreKeys', keys: keys(MAX_ONE_TIME_PRE_KEYS_PER_UPLOAD, `b${i}-`), at: 30 + i });
    }
    assert.equal(s.oneTimePreKeys.size, MAX_AVAILABLE_ONE_TIME_PRE_KEYS);
    const over = refused(deviceKeysDecider.decide({ kind: 'AddOneTimePreKeys', keys: [bytes('one more')], at: 40 }, s));
    assert.equal(over.code, 'INVALID_REQUEST');
    assert.equal(over.field, 'one_time_pre_keys');
    assert.match(over.message, /at most 500/);
    const tooMany = refused(
      deviceKeysDecider.decide(
        { kind: 'AddOneTimePreKeys', keys: keys(MAX_ONE_TIME_PRE_KEYS_PER_UPLOAD + 1), at: 40 },
        published([]),
      ),
    );
    assert.equal(tooMany.field, 'one_time_pre_keys');
    const none = refused(deviceKeysDecider.decide({ kind: 'AddOneTimePreKeys', keys: [], at: 40 }, published([])));
    assert.equal(none.field, 'one_time_pre_keys');
    // After one is consumed there is room for exactly one more.
    const consumed = run(s, { kind: 'ConsumeOneTimePreKey', byUserId: 'u2', at: 41 });
    assert.equal(
      run(consumed, { kind: 'AddOneTimePreKeys', keys: [bytes('one more')], at: 42 }).oneTimePreKeys.size,
      MAX_AVAILABLE_ONE_TIME_PRE_KEYS,
    );
  });

  it('hands out one-time pre-keys oldest first, then nothing, never the same one twice', () => {
    let s = published([bytes('a'), bytes('b')]);
    const handed: number[] = [];
    for (let i = 0; i < 3; i++) {
      const events = ok(deviceKeysDecider.decide({ kind: 'ConsumeOneTimePreKey', byUserId: 'u2', at: 50 + i }, s));
      for (const e of events) if (e.type === 'OneTimePreKeyConsumed') handed.push(e.data.keyId);
      s = fold(deviceKeysDecider, s, events);
    }
    assert.deepEqual(handed, [1, 2]);
    assert.equal(s.oneTimePreKeys.size, 0);
    assert.ok(s.bundle, 'the bundle stays');
    // New keys never reuse an id.
    s = run(s, { kind: 'AddOneTimePreKeys', keys: [bytes('a')], at: 60 });
    assert.deepEqual([...s.oneTimePreKeys.keys()], [3]);
  });

  it('refuses to hand out or top up keys of a device that never published a bundle', () => {
    for (const command of [
      { kind: 'ConsumeOneTimePreKey', byUserId: 'u2', at: 1 },
      { kind: 'AddOneTimePreKeys', keys: [bytes('a')], at: 1 },
      { kind: 'RotateSignedPreKey', signedPreKey: bytes('a'), signature: bytes('b'), at: 1 },
    ] as const) {
      assert.equal(
        refused(deviceKeysDecider.decide(command, deviceKeysDecider.initialState)).code,
        'NOT_FOUND',
        command.kind,
      );
    }
  });

  it('rotates the signed pre-key only', () => {
    const s = published();
    const after = run(s, { kind: 'RotateSignedPreKey', signedPreKey: bytes('spk2'), signature: bytes('sig2'), at: 70 });
    assert.equal(Buffer.from(after.bundle!.signedPreKey).toString(), 'spk2');
    assert.equal(Buffer.from(after.bundle!.signedPreKeySignature).toString(), 'sig2');
    assert.equal(after.bundle!.signedPreKeyAt, 70);
    assert.deepEqual(after.bundle!.identityKey, s.bundle!.identityKey);
    assert.deepEqual(after.oneTimePreKeys, s.oneTimePreKeys);
    assert.deepEqual(
      ok(
        deviceKeysDecider.decide(
          { kind: 'RotateSignedPreKey', signedPreKey: bytes('spk2'), signature: bytes('sig2'), at: 71 },
          after,
        ),
      ),
      [],
    );
  });

  it('stores MLS key packages (bounded), hands them out oldest first and once, and keeps a re-upload under its first id', () => {
    let s = deviceKeysDecider.initialState;
    s = run(s, { kind: 'UploadMlsKeyPackage', packageId: 'p1', keyPackage: bytes('one'), at: 1 });
    s = run(s, { kind: 'UploadMlsKeyPackage', packageId: 'p2', keyPackage: bytes('two'), at: 2 });
    assert.deepEqual(
      ok(
        deviceKeysDecider.decide({ kind: 'UploadMlsKeyPackage', packageId: 'p3', keyPackage: bytes('one'), at: 3 }, s),
      ),
      [],
    );
    const first = ok(deviceKeysDecider.decide({ kind: 'ConsumeMlsKeyPackage', byUserId: 'u2', at: 4 }, s));
    assert.deepEqual(
      first.map((e) => e.type === 'MlsKeyPackageConsumed' && e.data.packageId),
      ['p1'],
    );
    s = fold(deviceKeysDecider, s, first);
    s = run(s, { kind: 'ConsumeMlsKeyPackage', byUserId: 'u2', at: 5 });
    const none = refused(deviceKeysDecider.decide({ kind: 'ConsumeMlsKeyPackage', byUserId: 'u2', at: 6 }, s));
    assert.deepEqual([none.code, none.message], ['NOT_FOUND', 'no key package available']);
    const big = refused(
      deviceKeysDecider.decide(
        {
          kind: 'UploadMlsKeyPackage',
          packageId: 'px',
          keyPackage: Buffer.alloc(MAX_MLS_KEY_PACKAGE_BYTES + 1),
          at: 7,
        },
        s,
      ),
    );
    assert.deepEqual([big.code, big.field], ['INVALID_REQUEST', 'key_package']);
    for (let i = 0; i < MAX_STORED_MLS_KEY_PACKAGES; i++)
      s = run(s, { kind: 'UploadMlsKeyPackage', packageId: `q${i}`, keyPackage: bytes(`pkg${i}`), at: 10 + i });
    const full = refused(
      deviceKeysDecider.decide(
        { kind: 'UploadMlsKeyPackage', packageId: 'qx', keyPackage: bytes('pkg-x'), at: 200 },
        s,
      ),
    );
    assert.deepEqual([full.code, full.field], ['INVALID_REQUEST', 'key_package']);
  });

  it('withdraws everything for good, idempotently', () => {
    let s = run(published(), { kind: 'UploadMlsKeyPackage', packageId: 'p1', keyPackage: bytes('one'), at: 1 });
    s = run(s, { kind: 'WithdrawDeviceKeys', at: 2 });
    assert.equal(s.withdrawn, true);
    assert.equal(s.bundle, undefined);
    assert.equal(s.oneTimePreKeys.size, 0);
    assert.equal(s.mlsKeyPackages.size, 0);
    assert.deepEqual(ok(deviceKeysDecider.decide({ kind: 'WithdrawDeviceKeys', at: 3 }, s)), []);
    for (const command of [
      { kind: 'PublishDeviceKeys', userId: 'u1', deviceId: 'd1', bundle: bundle(), at: 4 },
      { kind: 'ConsumeOneTimePreKey', byUserId: 'u2', at: 4 },
      { kind: 'AddOneTimePreKeys', keys: [bytes('z')], at: 4 },
      { kind: 'UploadMlsKeyPackage', packageId: 'p9', keyPackage: bytes('nine'), at: 4 },
      { kind: 'ConsumeMlsKeyPackage', byUserId: 'u2', at: 4 },
    ] as const) {
      assert.equal(refused(deviceKeysDecider.decide(command, s)).code, 'NOT_FOUND', command.kind);
    }
    // A device that never published is sealed as well.
    assert.equal(
      ok(deviceKeysDecider.decide({ kind: 'WithdrawDeviceKeys', at: 1 }, deviceKeysDecider.initialState)).length,
      1,
    );
  });

  it('round-trips every event through the registry', () => {
    let s = published();
    const all: DeviceKeysEvent[] = [];
    const step = (c: DeviceKeysCommand) => {
      const events = ok(deviceKeysDecider.decide(c, s));
      all.push(...events);
      s = fold(deviceKeysDecider, s, events);
    };
    all.push(
      ...ok(
        deviceKeysDecider.decide(
          { kind: 'PublishDeviceKeys', userId: 'u1', deviceId: 'd1', bundle: bundle(), at: 10 },
          deviceKeysDecider.initialState,
        ),
      ),
    );
    step({ kind: 'AddOneTimePreKeys', keys: [bytes('new')], at: 11 });
    step({ kind: 'ConsumeOneTimePreKey', byUserId: 'u2', at: 12 });
    step({ kind: 'RotateSignedPreKey', signedPreKey: bytes('s2'), signature: bytes('g2'), at: 13 });
    step({ kind: 'UploadMlsKeyPackage', packageId: 'p1', keyPackage: bytes('mls'), at: 14 });
    step({ kind: 'ConsumeMlsKeyPackage', byUserId: 'u2', at: 15 });
    step({ kind: 'WithdrawDeviceKeys', at: 16 });
    assert.equal(new Set(all.map((e) => e.type)).size, 7);
    for (const e of all) {
      const stored = JSON.parse(JSON.stringify(eventRegistry.encode(e)));
      const back = eventRegistry.decode(stored);
      assert.equal(back.type, e.type);
      assert.equal(JSON.stringify(eventRegistry.encode(back)), JSON.stringify(eventRegistry.encode(e)));
    }
  });
});
