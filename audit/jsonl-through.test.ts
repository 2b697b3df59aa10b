/**
 * The JSON Lines written through from stored bytes are byte for byte the lines
 * the general path (records, render, JSON.stringify) writes, for any event data;
 * commits it cannot take are left to the general path untouched.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import * as t from 'io-ts';
import { encodeBody, type Commit } from '../streams/envelope.ts';
import { defineEvent, EventRegistry } from '../streams/events/registry.ts';
import { messageEvents } from '../streams/events/messages.ts';
import { accountEvents } from '../streams/events/accounts.ts';
import { eventRegistry } from '../streams/events/index.ts';
import { DigestingWriter } from './output.ts';
import { commitTime, decodeRecords, toJsonLine } from './records.ts';
import { writeJsonLinesThrough } from './jsonl-through.ts';
import { sendMessage, T0 } from './fixtures.ts';
import { handBody } from '../test/support/hand-bodies.ts';

const Anything = defineEvent('Anything', 1, t.UnknownRecord);
const registry = new EventRegistry().register(...accountEvents, ...messageEvents, Anything);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-jsonl-through-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));

const msgOf = (data: Uint8Array, seq = 7) => ({
  seq,
  subject: 'messages.conversation.c1',
  data,
  timeMs: T0 + seq,
});

/** What the general path writes for the message. */
function general(data: Uint8Array): string {
  const m = msgOf(data);
  return decodeRecords(m, 'MESSAGES', registry, () => true)
    .records.map(toJsonLine)
    .join('');
}

/** What the through path writes, or undefined when it leaves the commit to the general path. */
async function through(data: Uint8Array): Promise<string | undefined> {
  const file = path.join(dir, 'out.jsonl');
  const writer = await DigestingWriter.open(file);
  const m = msgOf(data);
  const r = writeJsonLinesThrough(
    data,
    { stream: 'MESSAGES', seq: m.seq, subject: m.subject, time: commitTime(m) },
    registry,
    writer,
  );
  await r?.wait;
  const { bytes } = await writer.close();
  const text = fs.readFileSync(file, 'utf8');
  if (r === undefined) {
    assert.equal(bytes, 0, 'nothing is written when the general path must take the commit');
    return undefined;
  }
  return text;
}

const commitOf = (events: Commit['events'], actor: Commit['actor'] = { userId: 'u1', deviceId: 'd1' }): Commit => ({
  commandId: 'cmd-1',
  command: 'Test',
  correlationId: 'corr-1',
  causationId: 'cause-1',
  actor,
  at: T0,
  events,
});

describe('JSON Lines written through from the stored commit', () => {
  it('takes a MessageSent commit of the binary envelope and writes what the general path writes', async () => {
    const body = encodeBody(
      sendMessage('c1', 'm1', 'alice', 'bob', T0, Buffer.from('0123456789abcdef')),
      eventRegistry,
    );
    const text = await through(body);
    assert.notEqual(text, undefined);
    assert.equal(text, general(body));
  });

  it('leaves the first envelope version, sealed data, upcasts, escapes and malformed commits to the general path', async () => {
    const sealed = { iv: 'AAAAAAAAAAAAAAAA', ct: 'BBBBBBBBBBBBBBBB' };
    const v1 = Buffer.from(
      JSON.stringify({
        v: 1,
        commandId: 'c',
        command: 'C',
        correlationId: 'x',
        causationId: 'x',
        actor: null,
        at: 1,
        events: [{ type: 'Anything', v: 1, data: { a: 1 } }],
      }),
    );
    const cases: [string, Uint8Array][] = [
      ['first envelope version', v1],
      [
        'sealed personal data',
        encodeBody(
          commitOf([
            {
              type: 'UserRegistered',
              data: { userId: 'u', username: sealed, email: sealed, passwordHash: sealed, at: 1 },
            },
          ]),
          registry,
        ),
      ],
      ['an escaped string', encodeBody(commitOf([{ type: 'Anything', data: { a: 'say "hi"' } }]), registry)],
      ['non-ASCII text', encodeBody(commitOf([{ type: 'Anything', data: { a: 'zoë' } }]), registry)],
      ['a fraction', encodeBody(commitOf([{ type: 'Anything', data: { a: 0.5 } }]), registry)],
      [
        'an unknown event type',
        encodeBody(commitOf([{ type: 'Anything', data: { a: 1 } }]), registry).fill(0x7a, 60, 61),
      ],
      ['a truncated body', encodeBody(commitOf([{ type: 'Anything', data: { a: 1 } }]), registry).subarray(0, 30)],
      // Bodies not written by JSON.stringify (another writer, or tampered with): the general path re-serialises them.
      ['duplicate keys', handBody('{"type":"Anything","v":1,"data":{"a":1,"a":2}}')],
      ['white space', handBody('{"type":"Anything","v":1,"data":{"a": 1}}')],
      ['an escaped slash', handBody('{"type":"Anything","v":1,"data":{"a":"\\/"}}')],
      ['a number not in shortest form', handBody('{"type":"Anything","v":1,"data":{"a":1.0}}')],
      ['an exponent', handBody('{"type":"Anything","v":1,"data":{"a":1e3}}')],
      ['a byte reference with more keys', handBody('{"type":"Anything","v":1,"data":{"a":{"x":1,"$b":0}}}', [3])],
    ];
    for (const [what, body] of cases.slice(-6))
      assert.notEqual(general(body), '', `${what}: the general path reads it`);
    for (const [what, body] of cases) assert.equal(await through(body), undefined, what);
  });

  it('any event data: the same bytes as the general path, or the general path', async () => {
    const leaf = fc.oneof(
      fc.string({ unit: 'grapheme-ascii' }),
      fc.string(),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.uint8Array({ maxLength: 40 }),
      fc.constant('$b'),
    );
    const data = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, leaf, tie('object'), fc.array(tie('value'), { maxLength: 4 })),
      object: fc.dictionary(
        fc.oneof(
          fc.string({ unit: 'grapheme-ascii', maxLength: 6 }),
          fc.constant('$b'),
          fc.constant('iv'),
          fc.constant('ct'),
        ),
        tie('value'),
        { maxKeys: 5 },
      ),
    })).object;
    let taken = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(data, { minLength: 1, maxLength: 3 }),
        fc.option(fc.record({ userId: fc.string(), deviceId: fc.string() }), { nil: null }),
        fc.string(),
        async (datas, actor, correlationId) => {
          const body = encodeBody(
            {
              ...commitOf(
                datas.map((d) => ({ type: 'Anything', data: d })),
                actor,
              ),
              correlationId,
            },
            registry,
          );
          const text = await through(body);
          if (text === undefined) return;
          taken++;
          assert.equal(text, general(body));
        },
      ),
      { numRuns: 400 },
    );
    assert.ok(taken > 20, `the through path was taken ${taken} times of 400`);
  });
});
