/**
 * grpcurl, the tool people reach for first, against `guardyn up` (what
 * `npm start` runs) with no .proto files: everything it knows comes from
 * server reflection. Each port lists its own service plus health and
 * reflection; `describe` resolves types imported from common.proto; Register,
 * SendMessage (token in `authorization` metadata) and the standard health
 * check answer. Skips, saying so, when grpcurl is not installed
 * (bash ops/install-grpcurl.sh).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { withNatsServer, type TestNatsServer } from '../support/nats.ts';
import { startGuardynUp, type GuardynUpProcess } from '../support/guardyn-up.ts';
import { findGrpcurl, runGrpcurl, type GrpcurlResult } from '../support/grpcurl.ts';
import { uniqueName } from '../support/guardyn.ts';

const grpcurlBin = findGrpcurl();
const skip =
  grpcurlBin === undefined
    ? 'grpcurl is not installed (bash ops/install-grpcurl.sh, or set GUARDYN_GRPCURL_BIN)'
    : false;
const STANDARD = [
  'grpc.health.v1.Health',
  'grpc.reflection.v1.ServerReflection',
  'grpc.reflection.v1alpha.ServerReflection',
];
const PASSWORD = 'a long enough password 1';
/** grpcurl's exit code for an RPC that failed with gRPC status `code`. */
const exitForStatus = (code: number) => 64 + code;

describe('grpcurl against guardyn up, with reflection only', { skip }, () => {
  let nats: TestNatsServer;
  let up: GuardynUpProcess;

  /** `grpcurl -plaintext <args…> 127.0.0.1:<port> <rest…>`; the process's log tail is attached to failures. */
  const grpcurl = async (port: number, args: readonly string[], rest: readonly string[] = []): Promise<GrpcurlResult> =>
    runGrpcurl(grpcurlBin!, ['-plaintext', ...args, `127.0.0.1:${port}`, ...rest]);
  const ok = (r: GrpcurlResult, what: string): string => {
    assert.equal(r.code, 0, `${what}: exit ${r.code}\n${r.stderr}\n--- guardyn up ---\n${up.logTail()}`);
    return r.stdout;
  };
  const call = async (
    port: number,
    method: string,
    body: object,
    headers: readonly string[] = [],
  ): Promise<Record<string, any>> => {
    const args = [...headers.flatMap((h) => ['-H', h]), '-d', JSON.stringify(body)];
    return JSON.parse(ok(await grpcurl(port, args, [method]), method)) as Record<string, any>;
  };
  const register = async (username: string) => {
    const r = await call(up.ports.auth, 'guardyn.auth.AuthService/Register', {
      username,
      password: PASSWORD,
      device_name: 'grpcurl',
    });
    assert.ok(r['success'], JSON.stringify(r));
    return r['success'] as { userId: string; deviceId: string; accessToken: string };
  };

  before(async () => {
    nats = await withNatsServer();
    up = await startGuardynUp(nats.url);
  });
  after(async () => {
    await up?.stop();
    await nats?.stop();
  });

  it('lists, on each port, exactly the service it serves plus health and reflection', async () => {
    const expected: Record<keyof GuardynUpProcess['ports'], string> = {
      auth: 'guardyn.auth.AuthService',
      messaging: 'guardyn.messaging.MessagingService',
      presence: 'guardyn.presence.PresenceService',
      media: 'guardyn.media.MediaService',
    };
    for (const [role, service] of Object.entries(expected) as [keyof typeof expected, string][]) {
      const listed = ok(await grpcurl(up.ports[role], [], ['list']), `list on the ${role} port`)
        .trim()
        .split('\n')
        .sort();
      assert.deepEqual(listed, [...STANDARD, service].sort(), `list on the ${role} port`);
    }
    const methods = ok(
      await grpcurl(up.ports.messaging, [], ['list', 'guardyn.messaging.MessagingService']),
      'list methods',
    );
    assert.match(methods, /^guardyn\.messaging\.MessagingService\.SendMessage$/m);
  });

  it('describes services and messages, resolving types imported from common.proto', async () => {
    const auth = ok(await grpcurl(up.ports.auth, [], ['describe', 'guardyn.auth.AuthService']), 'describe AuthService');
    assert.match(
      auth,
      /rpc Register \( \.guardyn\.auth\.RegisterRequest \) returns \( \.guardyn\.auth\.RegisterResponse \);/,
    );
    assert.match(
      auth,
      /rpc Health \( \.guardyn\.auth\.HealthRequest \) returns \( \.guardyn\.common\.HealthStatus \);/,
    );

    const request = ok(
      await grpcurl(up.ports.auth, [], ['describe', 'guardyn.auth.RegisterRequest']),
      'describe RegisterRequest',
    );
    assert.match(request, /\.guardyn\.common\.KeyBundle key_bundle = 6;/);
    const bundle = ok(await grpcurl(up.ports.auth, [], ['describe', 'guardyn.common.KeyBundle']), 'describe KeyBundle');
    assert.match(bundle, /message KeyBundle \{/);
    assert.match(bundle, /\.guardyn\.common\.Timestamp created_at = 5;/);
    const error = ok(
      await grpcurl(up.ports.messaging, [], ['describe', 'guardyn.common.ErrorResponse']),
      'describe ErrorResponse',
    );
    assert.match(error, /map<string, string> details = 3;/);

    const send = ok(
      await grpcurl(up.ports.messaging, ['-msg-template'], ['describe', 'guardyn.messaging.SendMessageRequest']),
      'describe SendMessageRequest',
    );
    assert.match(send, /"clientTimestamp": \{/);

    // A service of another port is not known here.
    const elsewhere = await grpcurl(up.ports.auth, [], ['describe', 'guardyn.media.MediaService']);
    assert.notEqual(elsewhere.code, 0);
    assert.match(elsewhere.stderr, /Symbol not found: guardyn\.media\.MediaService/);
  });

  it('registers through auth and sends a message through messaging with the token in authorization metadata', async () => {
    const alice = await register(uniqueName('curl'));
    const bob = await register(uniqueName('curl'));
    assert.match(alice.userId, /^[0-9a-f-]{36}$/);

    const clientMessageId = randomUUID();
    const body = {
      recipient_user_id: bob.userId,
      encrypted_content: Buffer.from('ciphertext').toString('base64'),
      message_type: 'TEXT',
      client_message_id: clientMessageId,
    };
    const sent = await call(up.ports.messaging, 'guardyn.messaging.MessagingService/SendMessage', body, [
      `authorization: Bearer ${alice.accessToken}`,
    ]);
    assert.ok(sent['success'], JSON.stringify(sent));
    assert.equal(sent['success'].deliveryStatus, 'SENT');
    assert.match(sent['success'].messageId, /^[0-9a-f-]{36}$/);
    assert.equal(sent['success'].consistency.stream, 'MESSAGES');

    // The same call without a token is refused with the contract's error, and sends nothing.
    const refused = await call(up.ports.messaging, 'guardyn.messaging.MessagingService/SendMessage', {
      ...body,
      client_message_id: randomUUID(),
    });
    assert.equal(refused['error']?.code, 'UNAUTHORIZED', JSON.stringify(refused));
    const conversations = await call(
      up.ports.messaging,
      'guardyn.messaging.MessagingService/GetConversations',
      { min_seq: sent['success'].consistency.seq },
      [`authorization: Bearer ${bob.accessToken}`],
    );
    assert.equal(conversations['success']?.conversations?.length, 1, JSON.stringify(conversations));
  });

  it('answers the standard health check on every port', async () => {
    for (const port of Object.values(up.ports)) {
      const overall = JSON.parse(ok(await grpcurl(port, [], ['grpc.health.v1.Health/Check']), `health on ${port}`)) as {
        status: string;
      };
      assert.equal(overall.status, 'SERVING');
    }
    const auth = await call(up.ports.auth, 'grpc.health.v1.Health/Check', { service: 'guardyn.auth.AuthService' });
    assert.equal(auth['status'], 'SERVING');
    // A service this port does not serve is unknown to its health service.
    const elsewhere = await grpcurl(
      up.ports.auth,
      ['-d', JSON.stringify({ service: 'guardyn.media.MediaService' })],
      ['grpc.health.v1.Health/Check'],
    );
    assert.equal(elsewhere.code, exitForStatus(5), elsewhere.stderr);
    assert.match(elsewhere.stderr, /Code: NotFound/);
  });
});
