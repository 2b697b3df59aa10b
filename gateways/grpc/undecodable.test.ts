import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type * as grpc from '@grpc/grpc-js';
import fc from 'fast-check';
import { authService, mediaService, messagingService, packageDefinition, presenceService } from './proto.ts';
import { isUndecodable, tolerateUndecodable, undecodableError, UndecodableRequest } from './undecodable.ts';

const SERVICES = { authService, messagingService, presenceService, mediaService };
type Method = grpc.MethodDefinition<unknown, unknown>;

describe('tolerateUndecodable', () => {
  test('every method of the four services: an undecodable request is named by its fully qualified type, a good one decodes as before', () => {
    for (const [service, definition] of Object.entries(SERVICES)) {
      const { definition: lenient } = tolerateUndecodable(definition, {}, packageDefinition);
      for (const [name, m] of Object.entries(lenient as Record<string, Method>)) {
        const bad = m.requestDeserialize(Buffer.from([0x07]));
        assert.ok(isUndecodable(bad), `${service}.${name}`);
        assert.ok(
          bad.requestType in packageDefinition,
          `${service}.${name}: ${bad.requestType} is a message of the protos`,
        );
        assert.ok(bad.requestType.endsWith('Request'), `${service}.${name}: ${bad.requestType}`);
        assert.match(bad.reason, /wire type 7/);
        const strict = (definition as Record<string, Method>)[name]!;
        assert.deepEqual(m.requestDeserialize(Buffer.alloc(0)), strict.requestDeserialize(Buffer.alloc(0)));
      }
    }
  });

  test('random bytes: the lenient decoder never throws, and gives the strict result whenever that one does not throw', () => {
    const { definition } = tolerateUndecodable(messagingService, {}, packageDefinition);
    const strict = (messagingService as Record<string, Method>)['SendMessage']!;
    const lenient = (definition as Record<string, Method>)['SendMessage']!;
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const buf = Buffer.from(bytes);
        let expected: unknown;
        try {
          expected = strict.requestDeserialize(buf);
        } catch {
          assert.ok(isUndecodable(lenient.requestDeserialize(buf)));
          return;
        }
        assert.deepEqual(lenient.requestDeserialize(buf), expected);
      }),
      { numRuns: 1000 },
    );
  });

  test('a unary RPC with an error member answers INVALID_REQUEST in it; one without answers INVALID_ARGUMENT; the handler never runs', () => {
    let ran = 0;
    const handler = () => void ran++;
    const { implementation } = tolerateUndecodable(
      messagingService,
      { GetMessages: handler, Health: handler },
      packageDefinition,
    );
    const marker = new UndecodableRequest('guardyn.messaging.GetMessagesRequest', 'invalid wire type 7 at offset 1');
    const answers: unknown[][] = [];
    const call = { request: marker } as unknown as grpc.ServerUnaryCall<unknown, unknown>;
    (implementation['GetMessages'] as grpc.handleUnaryCall<unknown, unknown>)(
      call,
      (...args: unknown[]) => void answers.push(args),
    );
    assert.deepEqual(answers[0], [null, { error: undecodableError(marker) }]);
    assert.equal(
      undecodableError(marker).message,
      'invalid request: could not decode guardyn.messaging.GetMessagesRequest: invalid wire type 7 at offset 1',
    );
    (implementation['Health'] as grpc.handleUnaryCall<unknown, unknown>)(
      call,
      (...args: unknown[]) => void answers.push(args),
    );
    const status = answers[1]![0] as grpc.StatusObject;
    assert.equal(status.code, 3, 'INVALID_ARGUMENT');
    assert.match(status.details, /could not decode guardyn\.messaging\.GetMessagesRequest/);
    assert.deepEqual(status.metadata.get('guardyn-error-code'), ['INVALID_REQUEST']);
    assert.equal(ran, 0);
  });
});
