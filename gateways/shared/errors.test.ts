import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { domainError } from '../../commands/handler/decider.ts';
import {
  AppendRejected,
  ConcurrencyExhausted,
  LogUnavailable,
  StreamDrift,
  WrongExpectedSequence,
} from '../../streams/errors.ts';
import { CommitDecodeError } from '../../streams/events/decode-error.ts';
import {
  ClientMistake,
  clientMistakeLog,
  ERROR_CODES,
  errorResponse,
  fromDomain,
  fromInfrastructure,
  isErrorCode,
} from './errors.ts';
import { packageDefinition } from '../grpc/proto.ts';
import { clientMistakeIfCancelled } from '../grpc/stream-errors.ts';

/** A pino logger whose lines the test can read. */
function capturingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, sink), lines };
}

describe('contract errors', () => {
  test('ERROR_CODES are exactly the names of guardyn.common.ErrorResponse.ErrorCode', () => {
    const def = packageDefinition['guardyn.common.ErrorResponse'];
    assert.ok(def !== undefined && 'type' in def);
    type EnumDescriptor = { name: string; value: Array<{ name: string; number: number }> };
    const errorCode = (def.type as { enumType: EnumDescriptor[] }).enumType.find((e) => e.name === 'ErrorCode');
    assert.ok(errorCode);
    const values = errorCode.value;
    assert.deepEqual(
      values.map((v) => v.name),
      [...ERROR_CODES],
    );
    assert.deepEqual(
      values.map((v) => v.number),
      ERROR_CODES.map((_, i) => i),
    );
    assert.equal(isErrorCode('CONFLICT'), true);
    assert.equal(isErrorCode('conflict'), false);
    assert.equal(isErrorCode(5), false);
  });

  test('errorResponse builds the plain ErrorResponse object', () => {
    assert.deepEqual(errorResponse('RATE_LIMITED', 'slow down'), {
      code: 'RATE_LIMITED',
      message: 'slow down',
      details: {},
    });
    assert.deepEqual(errorResponse('NOT_FOUND', 'no such user', { field: 'user_id' }), {
      code: 'NOT_FOUND',
      message: 'no such user',
      details: { field: 'user_id' },
    });
  });

  test('fromDomain keeps code and message and names the field when there is one', () => {
    assert.deepEqual(fromDomain(domainError('CONFLICT', 'username alice is taken', 'username')), {
      code: 'CONFLICT',
      message: 'username alice is taken',
      details: { field: 'username' },
    });
    assert.deepEqual(fromDomain(domainError('FORBIDDEN', 'not a member of the group')), {
      code: 'FORBIDDEN',
      message: 'not a member of the group',
      details: {},
    });
  });

  test('transient infrastructure faults are SERVICE_UNAVAILABLE with a retry hint', () => {
    const { logger, lines } = capturingLogger();
    for (const err of [
      new LogUnavailable('nats timeout'),
      new ConcurrencyExhausted('messages.conv.x', 8),
      new WrongExpectedSequence('accounts.user.u', 3),
    ]) {
      const e = fromInfrastructure(err, logger);
      assert.equal(e.code, 'SERVICE_UNAVAILABLE');
      assert.match(e.message, /try again/);
      assert.ok(!e.message.includes(err.message), 'internal detail stays in the log');
    }
    assert.equal(lines.length, 3);
    assert.ok(
      lines.every((l) => l['level'] === 40),
      'logged as warnings',
    );
  });

  test('other faults are INTERNAL_ERROR with a generic message and an incident id shared with the log', () => {
    const { logger, lines } = capturingLogger();
    for (const err of [
      new AppendRejected('maximum payload exceeded'),
      new CommitDecodeError('bad body'),
      new StreamDrift('x'),
      new TypeError("Cannot read properties of undefined (reading 'id')"),
    ]) {
      const e = fromInfrastructure(err, logger);
      assert.equal(e.code, 'INTERNAL_ERROR');
      assert.match(e.message, /^internal error: the request was not completed \(incident [0-9a-f-]{36}\)$/);
      assert.ok(!e.message.includes(err.message));
      assert.ok(!e.message.includes('at '), 'no stack trace');
      const incident = e.details['incident'];
      assert.ok(incident);
      const line = lines.at(-1);
      assert.equal(line?.['incident'], incident);
      assert.equal(line?.['level'], 50);
      const logged = line?.['err'] as { message?: string; stack?: string } | undefined;
      assert.equal(logged?.message, err.message, 'the real error is logged');
      assert.ok(logged?.stack?.includes('errors.test.ts'));
    }
  });

  test('a thrown non-Error is INTERNAL_ERROR and its content is not logged', () => {
    const { logger, lines } = capturingLogger();
    for (const thrown of ['password=hunter2', { access_token: 'secret-token' }, undefined, null, 42]) {
      const e = fromInfrastructure(thrown, logger);
      assert.equal(e.code, 'INTERNAL_ERROR');
    }
    const text = JSON.stringify(lines);
    assert.ok(!text.includes('hunter2') && !text.includes('secret-token'));
    assert.deepEqual(
      lines.map((l) => l['thrown']),
      ['string', 'object Object', 'undefined', 'null', 'number'],
    );
  });

  test('client mistakes are answered with their code and logged at warn, rate-limited, without an incident', () => {
    const { logger, lines } = capturingLogger();
    clientMistakeLog.configure({ perInterval: 5 });
    try {
      for (let i = 0; i < 500; i++) {
        const e = fromInfrastructure(
          new ClientMistake('test-bad-frame', 'the request stream broke off', 'INVALID_REQUEST', {
            cause: new Error('Premature close'),
          }),
          logger,
        );
        assert.deepEqual(e, { code: 'INVALID_REQUEST', message: 'the request stream broke off', details: {} });
      }
    } finally {
      clientMistakeLog.configure({ perInterval: 20 });
    }
    assert.equal(lines.length, 5, 'bounded');
    assert.ok(lines.every((l) => l['level'] === 40 && l['incident'] === undefined && l['kind'] === 'test-bad-frame'));
    assert.equal(lines[0]!['cause'], 'Error: Premature close');
    clientMistakeLog.flushAll();
    assert.equal(lines.length, 6);
    assert.equal(lines[5]!['suppressed'], 495);
    assert.equal(lines[5]!['level'], 40);
  });

  test("a failure of a cancelled call is the client's (info); of a live call it stays a fault", () => {
    const cause = new Error('Premature close');
    const cancelled = clientMistakeIfCancelled({ cancelled: true }, cause);
    assert.ok(cancelled instanceof ClientMistake);
    assert.equal(cancelled.kind, 'call-cancelled');
    assert.equal(cancelled.level, 'info');
    assert.equal(cancelled.cause, cause);
    assert.equal(clientMistakeIfCancelled({ cancelled: false }, cause), cause);
    const { logger, lines } = capturingLogger();
    fromInfrastructure(clientMistakeIfCancelled({ cancelled: false }, cause), logger);
    assert.equal(lines[0]!['level'], 50, 'a fault of a live call is an error with an incident');
    assert.ok(lines[0]!['incident']);
  });
});
