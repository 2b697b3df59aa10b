import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import * as grpc from '@grpc/grpc-js';
import { pino, type Logger } from 'pino';
import { unary } from './server.ts';

/** A logger that counts the child loggers made from it, and the lines written. */
function countingLogger(level: string): { logger: Logger; children: () => number; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = pino(
    { level },
    new Writable({
      write(chunk: Buffer, _e, done) {
        lines.push(JSON.parse(chunk.toString()));
        done();
      },
    }),
  );
  let children = 0;
  const child = logger.child.bind(logger);
  logger.child = ((...args: Parameters<Logger['child']>) => {
    children++;
    return child(...args);
  }) as Logger['child'];
  return { logger, children: () => children, lines };
}

function callOnce(handler: grpc.handleUnaryCall<object, unknown>): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const call = { metadata: new grpc.Metadata(), request: {} } as unknown as grpc.ServerUnaryCall<object, unknown>;
    handler(call, (err, value) => (err ? reject(err) : resolve(value)));
  });
}

describe('unary calls and the per-call logger', () => {
  test('a call that logs nothing makes no child logger (debug off)', async () => {
    const { logger, children } = countingLogger('info');
    const handler = unary('test.Quiet', logger, async () => ({ success: { ok: true } }));
    for (let i = 0; i < 3; i++) assert.deepEqual(await callOnce(handler), { success: { ok: true } });
    assert.equal(children(), 0);
  });

  test('with debug on, the answer is still logged with the method and correlation id', async () => {
    const { logger, children, lines } = countingLogger('debug');
    const handler = unary('test.Loud', logger, async () => ({ success: {} }));
    await callOnce(handler);
    await new Promise((r) => setImmediate(r));
    assert.equal(children(), 1);
    const line = lines.find((l) => l['msg'] === 'rpc answered');
    assert.equal(line?.['method'], 'test.Loud');
    assert.equal(line?.['code'], 'OK');
    assert.equal(typeof line?.['correlationId'], 'string');
  });
});
