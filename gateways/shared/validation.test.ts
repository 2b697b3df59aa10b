import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as t from 'io-ts';
import { isLeft, isRight, type Either } from 'fp-ts/lib/Either.js';
import type { ErrorResponseShape } from './errors.ts';
import { messagingService } from '../grpc/proto.ts';
import {
  BoundedArray,
  BoundedBytes,
  BoundedString,
  decodeRequest,
  DeviceName,
  Email,
  EnumName,
  LoginPassword,
  LoginUsername,
  OptionalTimestamp,
  OptionalUuid,
  PageSize,
  PageSizeWithDefault,
  Password,
  SearchQuery,
  StreamSeq,
  Username,
  Uuid,
} from './validation.ts';

function ok<T>(result: Either<ErrorResponseShape, T>): T {
  assert.ok(isRight(result), `expected success, got ${JSON.stringify(isLeft(result) ? result.left : null)}`);
  return result.right;
}

function fails<T>(result: Either<ErrorResponseShape, T>, field: string, message?: string | RegExp): ErrorResponseShape {
  assert.ok(isLeft(result), `expected a failure on ${field}, got ${JSON.stringify(result)}`);
  assert.equal(result.left.code, 'INVALID_REQUEST');
  assert.deepEqual(result.left.details, { field });
  assert.ok(result.left.message.startsWith(`invalid request: ${field} `), result.left.message);
  if (typeof message === 'string') assert.equal(result.left.message, message);
  else if (message !== undefined) assert.match(result.left.message, message);
  return result.left;
}

/** Decodes one value in a one-field request named `f`. */
const one = <A, O>(codec: t.Type<A, O, unknown>, value: unknown) => decodeRequest(t.type({ f: codec }), { f: value });

describe('decodeRequest', () => {
  const Register = t.type({
    username: Username,
    password: Password,
    key_bundle: t.type({
      identity_key: BoundedBytes(64, { min: 1 }),
      one_time_pre_keys: BoundedArray(BoundedBytes(64, { min: 1 }), 3),
    }),
  });
  const good = {
    username: 'alice',
    password: 'long enough pw',
    key_bundle: { identity_key: Buffer.from([1]), one_time_pre_keys: [] },
  };

  test('returns the decoded value when everything is valid', () => {
    const value = ok(decodeRequest(Register, good));
    assert.equal(value.username, 'alice');
  });

  test('names the field and says what it must be', () => {
    fails(
      decodeRequest(Register, { ...good, username: 'al' }),
      'username',
      "invalid request: username must be 3-32 characters of letters, digits and '_'",
    );
  });

  test('names nested fields by their path and list items by index', () => {
    fails(
      decodeRequest(Register, { ...good, key_bundle: { ...good.key_bundle, identity_key: Buffer.alloc(0) } }),
      'key_bundle.identity_key',
      'invalid request: key_bundle.identity_key must be non-empty and at most 64 bytes',
    );
    fails(
      decodeRequest(Register, {
        ...good,
        key_bundle: { ...good.key_bundle, one_time_pre_keys: [Buffer.from([1]), 'x'] },
      }),
      'key_bundle.one_time_pre_keys[1]',
      'invalid request: key_bundle.one_time_pre_keys[1] must be bytes',
    );
    fails(
      decodeRequest(Register, {
        ...good,
        key_bundle: {
          ...good.key_bundle,
          one_time_pre_keys: [Buffer.from([1]), Buffer.from([1]), Buffer.from([1]), Buffer.from([1])],
        },
      }),
      'key_bundle.one_time_pre_keys',
      'invalid request: key_bundle.one_time_pre_keys must have at most 3 items',
    );
  });

  test('reports the first failing field in declaration order', () => {
    fails(decodeRequest(Register, { ...good, username: '', password: '' }), 'username');
  });

  test('explains plain io-ts failures: missing, wrong type, not a message', () => {
    fails(
      decodeRequest(Register, { password: 'long enough pw', key_bundle: good.key_bundle }),
      'username',
      /username must be 3-32/,
    );
    fails(decodeRequest(t.type({ flag: t.boolean }), {}), 'flag', 'invalid request: flag is required');
    fails(
      decodeRequest(t.type({ flag: t.boolean }), { flag: 'yes' }),
      'flag',
      'invalid request: flag must be true or false',
    );
    fails(decodeRequest(t.type({ name: t.string }), { name: 3 }), 'name', 'invalid request: name must be a string');
    fails(
      decodeRequest(Register, { ...good, key_bundle: 'x' }),
      'key_bundle',
      'invalid request: key_bundle must be a message',
    );
    fails(decodeRequest(Register, null), 'request', 'invalid request: request must be a message');
  });

  test('skips union member indexes in the path', () => {
    const codec = t.type({ target: t.union([t.type({ user_id: Uuid }), t.type({ group_id: Uuid })]) });
    fails(decodeRequest(codec, { target: { user_id: 'nope' } }), 'target.user_id');
  });

  test('an enum-like field names the values it accepts, also when empty is one of them', () => {
    const Thumbnail = t.type({
      format: t.union([t.literal(''), EnumName(['jpeg', 'png'] as const, 'ThumbnailFormat')]),
      sort_by: t.union([t.literal(''), EnumName(['created_at', 'size_bytes'] as const, 'SortBy')]),
    });
    for (const format of ['jpg', 'JPEG', 3, null]) {
      fails(
        decodeRequest(Thumbnail, { format, sort_by: '' }),
        'format',
        'invalid request: format must be one of "jpeg", "png" (or empty)',
      );
    }
    fails(
      decodeRequest(Thumbnail, { format: '', sort_by: 'CREATED_AT' }),
      'sort_by',
      'invalid request: sort_by must be one of "created_at", "size_bytes" (or empty)',
    );
    fails(one(t.keyof({ fcm: null, apns: null }), 'gcm'), 'f', 'invalid request: f must be one of "fcm", "apns"');
    fails(one(t.literal('v1'), 'v2'), 'f', 'invalid request: f must be "v1"');
    fails(
      one(t.union([t.literal('a'), t.literal('b'), t.undefined]), 'c'),
      'f',
      'invalid request: f must be one of "a", "b"',
    );
    // An alternative that is not enum-like speaks with its own message.
    fails(
      one(t.union([t.literal(''), BoundedString('Name', 4)]), 'too long'),
      'f',
      'invalid request: f must be at most 4 characters',
    );
    fails(
      one(t.union([t.literal('auto'), BoundedString('Name', 4)]), 'too long'),
      'f',
      'invalid request: f must be "auto"; or must be at most 4 characters',
    );
    fails(one(t.union([t.boolean, t.undefined, t.null]), 'yes'), 'f', 'invalid request: f must be true or false');
  });

  test('validates what proto-loader really hands over', () => {
    const method = messagingService['GetMessages'];
    assert.ok(method);
    const raw = method.requestDeserialize(
      method.requestSerialize({
        access_token: 't',
        conversation_id: '123e4567-e89b-12d3-a456-426614174000',
        limit: 0,
        min_seq: '42',
        start_time: { seconds: 1700000000, nanos: 5 },
      }),
    );
    // t.exact drops the fields the codec does not name (access_token, pagination, ...).
    const GetMessages = t.exact(
      t.type({
        conversation_id: Uuid,
        limit: PageSize,
        min_seq: StreamSeq,
        start_time: OptionalTimestamp,
        end_time: OptionalTimestamp,
      }),
    );
    const value = ok(decodeRequest(GetMessages, raw));
    assert.deepEqual(value, {
      conversation_id: '123e4567-e89b-12d3-a456-426614174000',
      limit: 50,
      min_seq: 42,
      start_time: { seconds: 1700000000, nanos: 5 },
      end_time: null,
    });
    const rawBad = method.requestDeserialize(
      method.requestSerialize({ conversation_id: '123e4567-e89b-12d3-a456-426614174000', limit: 101 }),
    );
    fails(
      decodeRequest(GetMessages, rawBad),
      'limit',
      'invalid request: limit must be 1-100 (0 selects the default, 50)',
    );
  });
});

describe('codecs', () => {
  test('Username: 3-32 of letters, digits and _ exactly (no trimming, no . or -)', () => {
    for (const v of ['abc', 'A_b_c9', '___', 'x'.repeat(32)]) assert.equal(ok(one(Username, v)).f, v);
    for (const v of [
      'ab',
      'x'.repeat(33),
      ' alice',
      'alice ',
      'al ice',
      'alïce',
      'ali@ce',
      'a.b.c',
      'a-b-c',
      'alice\n',
      '',
      42,
      null,
    ]) {
      fails(one(Username, v), 'f', "invalid request: f must be 3-32 characters of letters, digits and '_'");
    }
  });

  test('Password: 12-128 characters of anything, counted as code points', () => {
    for (const v of ['123456789012', 'p'.repeat(128), '🔑'.repeat(12), '🔑'.repeat(128), ' spaces and ümlauts '])
      assert.equal(ok(one(Password, v)).f, v);
    fails(one(Password, '12345678901'), 'f', 'invalid request: f must be 12-128 characters');
    fails(one(Password, '🔑'.repeat(11)), 'f', 'invalid request: f must be 12-128 characters');
    for (const v of ['p'.repeat(129), '🔑'.repeat(129), '', 123456789012]) fails(one(Password, v), 'f');
  });

  test('LoginUsername and LoginPassword: what older rules allowed still signs in', () => {
    for (const v of ['abc', 'A.b-c_9', 'x'.repeat(32)]) assert.equal(ok(one(LoginUsername, v)).f, v);
    for (const v of ['ab', 'x'.repeat(33), 'al ice', 'ali@ce', '', 7])
      fails(one(LoginUsername, v), 'f', /must be 3-32 characters/);
    for (const v of ['x', '12345678', 'p'.repeat(128)]) assert.equal(ok(one(LoginPassword, v)).f, v);
    for (const v of ['', 'p'.repeat(129), null]) fails(one(LoginPassword, v), 'f', /must be 1-128 characters/);
  });

  test('SearchQuery: 1-32 of letters, digits and _', () => {
    for (const v of ['a', 'Ann_', 'x'.repeat(32), '0']) assert.equal(ok(one(SearchQuery, v)).f, v);
    for (const v of ['', 'x'.repeat(33), 'an n', 'a.b', 'a-b', 'a%', 'a*', 'ä', '\u0000', 5, null]) {
      fails(one(SearchQuery, v), 'f', "invalid request: f must be 1-32 characters of letters, digits and '_'");
    }
  });

  test('Email: empty or a plausible address of at most 254 characters', () => {
    for (const v of ['', 'a@b.co', 'first.last+tag@sub.example.org']) assert.equal(ok(one(Email, v)).f, v);
    const long = `${'a'.repeat(250)}@b.co`;
    for (const v of ['a', 'a@b', '@b.co', 'a@.co', 'a b@c.de', 'a@b..co', 'a@@b.co', long, 'a@b.co\n'])
      fails(one(Email, v), 'f', /must be empty or an email address/);
  });

  test('Uuid: lower-case canonical only; OptionalUuid also takes empty', () => {
    const id = '123e4567-e89b-12d3-a456-426614174000';
    assert.equal(ok(one(Uuid, id)).f, id);
    for (const v of [id.toUpperCase(), `{${id}}`, id.replace(/-/g, ''), `${id} `, '', 'not-a-uuid']) {
      fails(
        one(Uuid, v),
        'f',
        'invalid request: f must be a lower-case UUID like 123e4567-e89b-12d3-a456-426614174000',
      );
    }
    assert.equal(ok(one(OptionalUuid, '')).f, undefined);
    assert.equal(ok(one(OptionalUuid, id)).f, id);
    fails(one(OptionalUuid, 'x'), 'f', /must be empty or a lower-case UUID/);
  });

  test('DeviceName: at most 64 characters, no control characters', () => {
    for (const v of ['', "Alice's Pixel 8", 'é'.repeat(64)]) assert.equal(ok(one(DeviceName, v)).f, v);
    for (const v of ['x'.repeat(65), 'line\nbreak', 'tab\there', 'nul\u0000', 'del\u007f']) {
      fails(one(DeviceName, v), 'f', 'invalid request: f must be at most 64 characters, without control characters');
    }
  });

  test('BoundedString: bounds in code points, optional minimum', () => {
    const GroupName = BoundedString('GroupName', 5, { min: 1 });
    assert.equal(ok(one(GroupName, '🙂🙂🙂🙂🙂')).f, '🙂🙂🙂🙂🙂');
    fails(one(GroupName, ''), 'f', 'invalid request: f must be 1-5 characters');
    fails(one(GroupName, '123456'), 'f');
    fails(one(BoundedString('Note', 3), 'abcd'), 'f', 'invalid request: f must be at most 3 characters');
    assert.equal(ok(one(BoundedString('Note', 3), 'a\nb')).f, 'a\nb', 'control characters allowed unless refused');
  });

  test('BoundedBytes: Buffer or Uint8Array up to the configured maximum, returned as a Buffer', () => {
    const config = { messaging: { maxContentBytes: 8 } };
    const Content = BoundedBytes(config.messaging.maxContentBytes, { min: 1 });
    const fromBuffer = ok(one(Content, Buffer.from('12345678'))).f;
    assert.ok(Buffer.isBuffer(fromBuffer));
    const backing = new Uint8Array([9, 1, 2, 3, 9]);
    const fromView = ok(one(Content, backing.subarray(1, 4))).f;
    assert.ok(Buffer.isBuffer(fromView));
    assert.deepEqual([...fromView], [1, 2, 3]);
    fails(one(Content, Buffer.alloc(9)), 'f', 'invalid request: f must be non-empty and at most 8 bytes');
    fails(one(Content, Buffer.alloc(0)), 'f');
    fails(one(Content, 'AQID'), 'f', 'invalid request: f must be bytes');
    fails(one(Content, [1, 2]), 'f', 'invalid request: f must be bytes');
    assert.equal(ok(one(BoundedBytes(4), Buffer.alloc(0))).f.length, 0);
    fails(one(BoundedBytes(16, { min: 4 }), Buffer.alloc(3)), 'f', 'invalid request: f must be 4-16 bytes');
  });

  test('OptionalTimestamp: absent is null; seconds string or number within ±1e11; nanos 0..999999999', () => {
    assert.equal(ok(one(OptionalTimestamp, null)).f, null);
    assert.equal(ok(one(OptionalTimestamp, undefined)).f, null);
    assert.deepEqual(ok(one(OptionalTimestamp, { seconds: '1700000000', nanos: 999_999_999 })).f, {
      seconds: 1700000000,
      nanos: 999_999_999,
    });
    assert.deepEqual(ok(one(OptionalTimestamp, { seconds: -5, nanos: 0 })).f, { seconds: -5, nanos: 0 });
    assert.deepEqual(ok(one(OptionalTimestamp, { seconds: '-100000000000', nanos: 0 })).f, {
      seconds: -1e11,
      nanos: 0,
    });
    for (const v of [
      { seconds: '100000000001', nanos: 0 },
      { seconds: '9223372036854775807', nanos: 0 },
      { seconds: '1.5', nanos: 0 },
      { seconds: 'abc', nanos: 0 },
      { seconds: '', nanos: 0 },
      { seconds: '1', nanos: -1 },
      { seconds: '1', nanos: 1e9 },
      { seconds: 1.5, nanos: 0 },
      { nanos: 0 },
      'yesterday',
      17,
    ])
      fails(
        one(OptionalTimestamp, v),
        'f',
        'invalid request: f must be a timestamp with whole seconds within ±100000000000 and nanos 0-999999999',
      );
  });

  test('PageSize: 0 is the default, 1-100 accepted, anything else refused', () => {
    assert.equal(ok(one(PageSize, 0)).f, 50);
    assert.equal(ok(one(PageSize, 1)).f, 1);
    assert.equal(ok(one(PageSize, 100)).f, 100);
    assert.equal(ok(one(PageSizeWithDefault(20), 0)).f, 20);
    for (const v of [101, -1, 2.5, '10', null, 4294967295]) {
      if (v === '10') {
        assert.equal(ok(one(PageSize, v)).f, 10, 'a decimal string is a number too');
        continue;
      }
      fails(one(PageSize, v), 'f', 'invalid request: f must be 1-100 (0 selects the default, 50)');
    }
  });

  test('StreamSeq: 0 to 2^53-2 as string or number', () => {
    assert.equal(ok(one(StreamSeq, '0')).f, 0);
    assert.equal(ok(one(StreamSeq, '42')).f, 42);
    assert.equal(ok(one(StreamSeq, 7)).f, 7);
    assert.equal(ok(one(StreamSeq, '9007199254740990')).f, Number.MAX_SAFE_INTEGER - 1);
    for (const v of [
      '9007199254740991',
      '9007199254740992',
      '18446744073709551615',
      '-1',
      -1,
      '1e3',
      ' 1',
      '',
      '0x10',
      1.5,
      null,
    ]) {
      fails(one(StreamSeq, v), 'f', 'invalid request: f must be a whole number from 0 to 9007199254740990');
    }
  });

  test('EnumName: known names only; unknown numeric values are refused', () => {
    const MessageType = EnumName(['TEXT', 'IMAGE', 'VIDEO'], 'MessageType');
    const decoded: 'TEXT' | 'IMAGE' | 'VIDEO' = ok(one(MessageType, 'IMAGE')).f;
    assert.equal(decoded, 'IMAGE');
    for (const v of [42, 'text', '', null])
      fails(one(MessageType, v), 'f', 'invalid request: f must be one of "TEXT", "IMAGE", "VIDEO"');
  });

  test('BoundedArray: length bounds and per-item errors', () => {
    const Ids = BoundedArray(Uuid, 2, 1);
    const id = '123e4567-e89b-12d3-a456-426614174000';
    assert.deepEqual(ok(one(Ids, [id, id])).f, [id, id]);
    fails(one(Ids, []), 'f', 'invalid request: f must have 1-2 items');
    fails(one(Ids, [id, id, id]), 'f');
    fails(one(Ids, [id, 'x']), 'f[1]', /f\[1\] must be a lower-case UUID/);
    fails(one(Ids, 'x'), 'f', 'invalid request: f must be a list');
  });
});
