/**
 * The Health RPC: HealthStatus has no `error` member, so neither a failing probe nor a fault may
 * answer with one (it would reach the client as an empty status: UNKNOWN, no version).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { silentLogger } from '../../runtime/logger.ts';
import { GUARDYN_VERSION, healthRpc, healthStatus, type HealthProbe } from './health.ts';
import { messagingService } from './proto.ts';

/** What a client decodes from a Health answer (the response as serialized on the wire, read back with defaults). */
function overTheWire(answer: unknown): Record<string, unknown> {
  const method = messagingService['Health']!;
  return method.responseDeserialize(method.responseSerialize(answer)) as Record<string, unknown>;
}

function ask(probe: HealthProbe): Promise<Record<string, unknown>> {
  const handler = healthRpc('test.Health', silentLogger, probe);
  const call = { metadata: new grpc.Metadata(), request: {} } as unknown as grpc.ServerUnaryCall<unknown, never>;
  return new Promise((resolve, reject) =>
    handler(call, (err, value) => (err ? reject(err) : resolve(overTheWire(value)))),
  );
}

describe('Health', () => {
  test('all components ok: HEALTHY with the version and a timestamp', async () => {
    const status = await ask(async () => ({ jetstream: 'ok', kv: 'ok' }));
    assert.equal(status['status'], 'HEALTHY');
    assert.equal(status['version'], GUARDYN_VERSION);
    assert.deepEqual(status['components'], { jetstream: 'ok', kv: 'ok' });
    assert.ok(status['timestamp'] !== null);
  });

  test('a probe that rejects: DEGRADED naming the failure', async () => {
    const status = await ask(async () => {
      throw new Error('nats: timeout');
    });
    assert.equal(status['status'], 'DEGRADED');
    assert.deepEqual(status['components'], { probe: 'nats: timeout' });
  });

  test('a probe that throws before giving a promise: DEGRADED as well, not an error the status cannot carry', async () => {
    const throwing = (() => {
      throw new Error('probe not ready');
    }) as HealthProbe;
    const status = await healthStatus(throwing);
    assert.equal(status.status, 'DEGRADED');
    assert.deepEqual(status.components, { probe: 'probe not ready' });
    assert.equal((await ask(throwing))['status'], 'DEGRADED');
  });

  test('a fault while answering: UNHEALTHY with the version, never an empty status', async () => {
    const broken = (async () => null) as unknown as HealthProbe;
    const status = await ask(broken);
    assert.equal(status['status'], 'UNHEALTHY');
    assert.equal(status['version'], GUARDYN_VERSION);
    assert.deepEqual(status['components'], { gateway: 'INTERNAL_ERROR' });
  });
});
