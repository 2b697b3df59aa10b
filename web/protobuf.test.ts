/**
 * The web client's protobuf codec against the server's own (proto-loader over
 * proto/guardyn/*.proto): every request the client writes decodes on the server
 * to the same fields, every answer the server writes decodes in the client, and
 * broken input is refused rather than misread.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { packageDefinition } from '../gateways/grpc/proto.ts';
import { decode as decodeJs, encode } from './protobuf.js';
import { METHODS } from './messages.js';

type Obj = Record<string, any>;
type Method = {
  requestSerialize(o: Obj): Buffer;
  requestDeserialize(b: Buffer): Obj;
  responseSerialize(o: Obj): Buffer;
  responseDeserialize(b: Buffer): Obj;
};

function serverMethod(path: string): Method {
  const [, service, name] = path.split('/');
  return (packageDefinition as any)[service!][name!] as Method;
}
const decode = (schema: Obj, bytes: Uint8Array): Obj => decodeJs(schema, bytes) as Obj;
const web = METHODS as Record<string, { path: string; request: Obj; response: Obj }>;

describe('web client protobuf codec', () => {
  test('requests the client encodes decode on the server to the same fields', () => {
    const key = randomBytes(65);
    const cases: [string, Obj][] = [
      [
        'Register',
        {
          username: 'alice_1',
          password: 'correct horse battery',
          device_name: 'Firefox ünï',
          device_type: 'web',
          key_bundle: {
            identity_key: key,
            signed_pre_key: key,
            signed_pre_key_signature: randomBytes(32),
            one_time_pre_keys: [randomBytes(3), randomBytes(0)],
          },
        },
      ],
      ['Login', { username: 'bob', password: 'x'.repeat(200), device_id: '6f1c1f0e-0000-4000-8000-000000000001' }],
      ['SearchUsers', { query: 'ali', limit: 20 }],
      ['SearchUsers', { query: 'big', limit: 300_000 }],
      ['GetKeyBundle', { user_id: 'u', device_id: '' }],
      ['GetMessages', { conversation_user_id: 'peer', limit: 50 }],
      ['GetUserProfile', { user_id: 'someone' }],
      ['RefreshToken', { refresh_token: 'opaque-refresh-token' }],
    ];
    for (const [name, request] of cases) {
      const m = web[name]!;
      const bytes = Buffer.from(encode(m.request, request));
      const onServer = serverMethod(m.path).requestDeserialize(bytes);
      for (const [field, value] of Object.entries(request)) {
        if (field === 'key_bundle') {
          assert.ok(onServer.key_bundle.identity_key.equals(value.identity_key));
          assert.ok(onServer.key_bundle.signed_pre_key_signature.equals(value.signed_pre_key_signature));
          assert.deepEqual(
            onServer.key_bundle.one_time_pre_keys.map((b: Buffer) => b.toString('hex')),
            value.one_time_pre_keys.map((b: Buffer) => b.toString('hex')),
          );
        } else assert.equal(String(onServer[field]), String(value), `${name}.${field}`);
      }
      // The same bytes the server's own encoder writes for the same request (proto3: defaults left out).
      const given = Object.fromEntries(Object.entries(request).filter(([, v]) => v !== '' && v !== 0 && v !== false));
      assert.ok(bytes.equals(serverMethod(m.path).requestSerialize(given)), `${name}: byte-identical`);
    }
  });

  test('answers the server encodes decode in the client', () => {
    const reg = serverMethod(web.Register!.path).responseSerialize({
      success: {
        user_id: 'u-1',
        device_id: 'd-1',
        access_token: 'a.b.c',
        access_token_expires_in: 900,
        refresh_token: 'r',
        created_at: { seconds: 1700000000, nanos: 5 },
      },
    });
    assert.deepEqual(decode(web.Register!.response, reg), {
      success: {
        user_id: 'u-1',
        device_id: 'd-1',
        access_token: 'a.b.c',
        access_token_expires_in: 900,
        refresh_token: 'r',
      },
    });
    const refreshed = serverMethod(web.RefreshToken!.path).responseSerialize({
      success: { access_token: 'x.y.z', access_token_expires_in: 60, refresh_token: 'r2' },
    });
    assert.deepEqual(decode(web.RefreshToken!.response, refreshed), {
      success: { access_token: 'x.y.z', access_token_expires_in: 60, refresh_token: 'r2' },
    });

    const err = serverMethod(web.Login!.path).responseSerialize({
      error: { code: 'RATE_LIMITED', message: 'slow down', details: { retry_after_seconds: '3' } },
    });
    assert.deepEqual(decode(web.Login!.response, err), { error: { code: 'RATE_LIMITED', message: 'slow down' } });

    const users = serverMethod(web.SearchUsers!.path).responseSerialize({
      success: {
        users: [
          { user_id: '1', username: 'a' },
          { user_id: '2', username: 'b', created_at: { seconds: 1 } },
        ],
        next_cursor: 'c',
        has_more: true,
      },
    });
    assert.deepEqual(decode(web.SearchUsers!.response, users).success.users, [
      { user_id: '1', username: 'a' },
      { user_id: '2', username: 'b' },
    ]);
    assert.deepEqual(
      decode(web.SearchUsers!.response, serverMethod(web.SearchUsers!.path).responseSerialize({ success: {} })),
      { success: { users: [] } },
    );

    const key = randomBytes(65);
    const bundle = serverMethod(web.GetKeyBundle!.path).responseSerialize({
      success: {
        user_id: 'u',
        device_id: 'd',
        key_bundle: { identity_key: key, signed_pre_key: key, signed_pre_key_signature: Buffer.from([1]) },
        bundles: [{ device_id: 'd', key_bundle: { identity_key: key } }],
      },
    });
    assert.deepEqual(Buffer.from(decode(web.GetKeyBundle!.response, bundle).success.key_bundle.identity_key), key);

    const content = randomBytes(300);
    const history = serverMethod(web.GetMessages!.path).responseSerialize({
      success: {
        messages: [
          {
            message_id: 'm1',
            sender_user_id: 's',
            recipient_user_id: 'r',
            encrypted_content: content,
            message_type: 'TEXT',
            server_timestamp: { seconds: '1764230400', nanos: 1 },
            delivery_status: 'READ',
            seq: '99',
          },
          { message_id: 'm2', is_deleted: true, message_type: 'IMAGE' },
        ],
        has_more: true,
      },
    });
    const decoded = decode(web.GetMessages!.response, history).success;
    assert.equal(decoded.has_more, true);
    assert.equal(decoded.messages[0].delivery_status, 'READ');
    assert.equal(decoded.messages[0].server_timestamp.seconds, 1764230400);
    assert.deepEqual(Buffer.from(decoded.messages[0].encrypted_content), content);
    assert.equal(decoded.messages[1].is_deleted, true);
    assert.equal(decoded.messages[1].message_type, 'IMAGE');
    assert.equal(decoded.messages[1].delivery_status, undefined, 'the default is not written');
  });

  test('broken input is refused, not misread', () => {
    const schema = web.Register!.response;
    assert.throws(() => decode(schema, Uint8Array.from([0x0a, 0x05, 0x0a])), /truncated/);
    assert.throws(() => decode(schema, Uint8Array.from([0x08, 0x80])), /truncated varint/);
    assert.throws(() => decode(schema, Uint8Array.from([0x08, 0x01])), /wire type 0, expected 2/);
    assert.throws(() => decode(schema, Uint8Array.from([0x0b])), /unsupported wire type 3/);
    assert.throws(() => decode(schema, Uint8Array.from(Array(11).fill(0xff))), /varint/);
    // Unknown fields of every wire type are skipped.
    assert.deepEqual(
      decode(schema, Uint8Array.from([0x78, 0x01, 0x79, 1, 2, 3, 4, 5, 6, 7, 8, 0x7d, 1, 2, 3, 4, 0x7a, 0x01, 0x00])),
      {},
    );
    assert.throws(() => encode(web.SearchUsers!.request, { query: 'a', limit: -1 }), RangeError);
  });
});
