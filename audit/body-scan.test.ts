/**
 * Replay reads a current commit on its bytes (audit/body-scan.ts): no JSON.parse
 * and no decoding, yet the same lines as the general path, and the general path
 * for every body or data its codec would not accept unchanged. Also the
 * registry's type-guard answer (decodesUnchanged) and the commit time's text.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import { encodeBody, type Commit } from '../streams/envelope.ts';
import { defineEvent, EventRegistry } from '../streams/events/registry.ts';
import { Base64Bytes, EpochMs, NonEmptyString } from '../streams/events/codecs.ts';
import { messageEvents } from '../streams/events/messages.ts';
import { eventRegistry } from '../streams/events/index.ts';
import { DigestingWriter } from './output.ts';
import { commitTime, decodeRecords, isoTime, toJsonLine } from './records.ts';
import { writeJsonLinesThrough } from './jsonl-through.ts';
import { scanCommitBody } from './body-scan.ts';
import { messageEvent, sendMessage, T0 } from './fixtures.ts';
import { handBody } from '../test/support/hand-bodies.ts';

/** Every kind of codec the byte checker knows. */
const RichV = t.type({
  s: t.string,
  n: t.number,
  b: t.boolean,
  z: t.null,
  lit: t.literal('x'),
  five: t.literal(5),
  k: t.keyof({ A: null, B: null }),
  pos: t.refinement(t.number, (x) => x >= 0, 'Pos'),
  ne: NonEmptyString,
  bytes: Base64Bytes,
  list: t.array(t.type({ id: t.string, at: EpochMs })),
  ro: t.readonlyArray(t.number),
  clock: t.union([t.type({ seconds: t.number, nanos: t.number }), t.null]),
  frozen: t.readonly(t.type({ a: t.string })),
});
const Rich = defineEvent('Rich', 1, RichV);
const registry = new EventRegistry().register(...messageEvents, Rich);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-body-scan-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));

const msgOf = (data: Uint8Array) => ({ seq: 9, subject: 'messages.conversation.c1', data, timeMs: T0 + 9 });

/** What the general path writes ('' when every event is malformed). */
function general(data: Uint8Array, reg = registry): string {
  return decodeRecords(msgOf(data), 'MESSAGES', reg, () => true)
    .records.map(toJsonLine)
    .join('');
}

/** What the through path writes, or undefined when it leaves the commit to the general path. */
async function through(data: Uint8Array, reg = registry): Promise<string | undefined> {
  const file = path.join(dir, 'out.jsonl');
  const writer = await DigestingWriter.open(file);
  const m = msgOf(data);
  const r = writeJsonLinesThrough(
    data,
    { stream: 'MESSAGES', seq: m.seq, subject: m.subject, time: commitTime(m) },
    reg,
    writer,
  );
  await r?.wait;
  await writer.close();
  return r === undefined ? undefined : fs.readFileSync(file, 'utf8');
}

const bodyBuf = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength);
const scanned = (b: Uint8Array, reg = registry) =>
  scanCommitBody(bodyBuf(b), 5 + bodyBuf(b).readUInt32BE(1), reg) !== undefined;

const commitOf = (events: Commit['events']): Commit => ({
  commandId: 'cmd-1',
  command: 'Test',
  correlationId: 'corr-1',
  causationId: 'cause-1',
  actor: { userId: 'u1', deviceId: 'd1' },
  at: T0,
  events,
});

const good = () => ({
  s: 'hello',
  n: -12,
  b: true,
  z: null,
  lit: 'x',
  five: 5,
  k: 'B',
  pos: 3,
  ne: 'y',
  bytes: Buffer.from('abcdef'),
  list: [{ id: 'i1', at: 5 }],
  ro: [1, 2],
  clock: { seconds: 1, nanos: 2 },
  frozen: { a: 'b' },
});

/** A binary-envelope body around the JSON of a Rich event's data written by hand (one attachment of 6 bytes). */
function richBody(dataJson: string): Uint8Array {
  return handBody(`{"type":"Rich","v":1,"data":${dataJson}}`, [6]);
}

describe('commit bodies read on their bytes', () => {
  it('writes a MessageSent commit without parsing its JSON, the same lines as the general path', async () => {
    const body = encodeBody(
      sendMessage('c1', 'm1', 'alice', 'bob', T0, Buffer.from('0123456789abcdef')),
      eventRegistry,
    );
    const parse = JSON.parse;
    let parses = 0;
    JSON.parse = (...args: Parameters<typeof JSON.parse>) => {
      parses++;
      return parse(...args);
    };
    let text: string | undefined;
    try {
      text = await through(body, eventRegistry);
    } finally {
      JSON.parse = parse;
    }
    assert.equal(parses, 0, 'the body is not parsed');
    assert.notEqual(text, undefined);
    assert.equal(text, general(body, eventRegistry));
  });

  it('every kind of codec: data the codec accepts is read on the bytes; anything else goes to the parsing path or the general path', async () => {
    const body = encodeBody(commitOf([{ type: 'Rich', data: good() }]), registry);
    assert.ok(scanned(body), 'well-formed data is read on the bytes');
    assert.equal(await through(body), general(body));
    // What the general path makes of each: 'malformed' (the codec refuses it) or 'read' (written, by whichever path).
    const cases: [string, string, 'malformed' | 'read'][] = [
      ['a key twice', JSON.stringify(handData()).replace('{"s":"hello"', '{"s":"hello","s":"hello"'), 'read'],
      ['a key the codec does not name', JSON.stringify({ ...handData(), extra: 1 }), 'read'],
      ['white space', JSON.stringify(handData(), null, 1), 'read'],
      ['bytes as base64 text', JSON.stringify({ ...handData(), bytes: 'YWJj' }), 'read'],
      ['a missing key', JSON.stringify({ ...handData(), s: undefined }), 'malformed'],
      ['a value of another type', JSON.stringify({ ...handData(), n: 'one' }), 'malformed'],
      ['a keyof value not among its keys', JSON.stringify({ ...handData(), k: 'C' }), 'malformed'],
      ['a literal not matching', JSON.stringify({ ...handData(), five: 55 }), 'malformed'],
      ['a refinement refusing the value', JSON.stringify({ ...handData(), pos: -1 }), 'malformed'],
      ['an empty string where one is required', JSON.stringify({ ...handData(), ne: '' }), 'malformed'],
      ['a reference to a missing attachment', JSON.stringify(handData()).replace('{"$b":0}', '{"$b":1}'), 'malformed'],
      ['a union member not matching', JSON.stringify({ ...handData(), clock: { seconds: 1 } }), 'malformed'],
      ['an array item not matching', JSON.stringify({ ...handData(), list: [{ id: 'i', at: -5 }] }), 'malformed'],
    ];
    assert.ok(scanned(richBody(JSON.stringify(handData()))), 'the hand-written body itself is read on the bytes');
    for (const [what, json, expected] of cases) {
      const b = richBody(json);
      assert.equal(scanned(b), false, what);
      const text = await through(b);
      const decoded = decodeRecords(msgOf(b), 'MESSAGES', registry, () => true);
      if (expected === 'malformed') {
        assert.equal(text, undefined, what);
        assert.equal(decoded.malformed.length, 1, what);
      } else {
        assert.equal(decoded.records.length, 1, what);
        if (text !== undefined) assert.equal(text, general(b), what);
      }
    }
    // Keys in another order than the codec's: still read on the bytes, the same lines.
    const reordered = richBody(JSON.stringify(Object.fromEntries(Object.entries(handData()).reverse())));
    assert.ok(scanned(reordered));
    assert.equal(await through(reordered), general(reordered));
  });

  it('any data near the codec: the same bytes as the general path whenever written through', async () => {
    const maybe = <A>(valid: fc.Arbitrary<A>, ...wrong: fc.Arbitrary<unknown>[]) =>
      fc.oneof({ weight: 60, arbitrary: valid }, ...wrong.map((arbitrary) => ({ weight: 1, arbitrary })));
    const ascii = fc.string({ unit: 'grapheme-ascii', maxLength: 8 });
    const field = {
      s: maybe(ascii, fc.string({ maxLength: 4 }), fc.integer()),
      n: maybe(fc.integer(), fc.double(), fc.constant('1')),
      b: maybe(fc.boolean(), fc.constant(null)),
      z: maybe(fc.constant(null), fc.constant(0)),
      lit: maybe(fc.constant('x'), fc.constant('y')),
      five: maybe(fc.constant(5), fc.constant(50), fc.constant('5')),
      k: maybe(fc.constantFrom('A', 'B'), fc.constantFrom('C', 'toString', '')),
      pos: maybe(fc.nat(), fc.integer({ max: -1 })),
      ne: maybe(
        ascii.filter((s) => s.length > 0),
        fc.constant(''),
      ),
      bytes: maybe(fc.uint8Array({ maxLength: 30 }), fc.constant('YWJj')),
      list: maybe(
        fc.array(fc.record({ id: ascii, at: maybe(fc.nat(), fc.constant(-1), fc.constant(1.5)) }), { maxLength: 3 }),
        fc.constant([1]),
      ),
      ro: maybe(fc.array(fc.integer(), { maxLength: 3 }), fc.constant(['a'])),
      clock: maybe(
        fc.oneof(fc.record({ seconds: fc.integer(), nanos: fc.integer() }), fc.constant(null)),
        fc.constant({ seconds: 1 }),
      ),
      frozen: maybe(fc.record({ a: ascii }), fc.constant({ iv: 'a', ct: 'b' })),
    };
    const data = fc
      .tuple(
        fc.record(field),
        fc.boolean(),
        fc.oneof({ weight: 20, arbitrary: fc.constant(null) }, fc.constantFrom(...Object.keys(field))),
        fc.boolean(),
      )
      .map(([d, reverse, drop, extra]) => {
        const entries = Object.entries(d).filter(([k]) => k !== drop);
        if (extra && drop === null) entries.push(['more', 1]);
        return Object.fromEntries(reverse ? entries.reverse() : entries);
      });
    let onBytes = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(data, { minLength: 1, maxLength: 2 }), async (datas) => {
        const body = encodeBody(commitOf(datas.map((d) => ({ type: 'Rich', data: d }))), registry);
        const text = await through(body);
        if (scanned(body)) {
          onBytes++;
          assert.notEqual(text, undefined);
        }
        if (text !== undefined) assert.equal(text, general(body));
      }),
      { numRuns: 300 },
    );
    assert.ok(onBytes > 20, `read on the bytes ${onBytes} times of 300`);
  });

  it("any commit's strings, position and events: its lines put together on the bytes are the general path's", async () => {
    // Printable ASCII (with DEL), escapes and non-ASCII text: only the first is read on the bytes.
    const text = fc.oneof(
      {
        weight: 8,
        arbitrary: fc.string({
          unit: fc.integer({ min: 0x20, max: 0x7f }).map((c) => String.fromCharCode(c)),
          maxLength: 12,
        }),
      },
      { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
      { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 4 }) },
    );
    let onBytes = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          commandId: text,
          command: text,
          correlationId: text,
          causationId: text,
          actor: fc.option(fc.record({ userId: text, deviceId: text })),
          subject: text,
          stream: fc.constantFrom('MESSAGES', 'A_B-1'),
          seq: fc.oneof(fc.nat(12), fc.nat({ max: Number.MAX_SAFE_INTEGER })),
          timeMs: fc.oneof(fc.nat({ max: 4_102_444_800_000 }), fc.constant(-1), fc.constant(253_402_300_800_000)),
          events: fc.integer({ min: 1, max: 3 }),
          content: fc.uint8Array({ maxLength: 40 }),
        }),
        async (c) => {
          const commit: Commit = {
            ...commitOf([]),
            commandId: c.commandId,
            command: c.command,
            correlationId: c.correlationId,
            causationId: c.causationId,
            actor: c.actor,
            events: Array.from({ length: c.events }, (_, i) =>
              messageEvent('c1', `m${i}`, 'a', 'b', T0 + i, i === 1 ? new Uint8Array(0) : c.content),
            ),
          };
          const body = encodeBody(commit, eventRegistry);
          const m = { seq: c.seq, subject: c.subject, data: body, timeMs: c.timeMs };
          const expected = decodeRecords(m, c.stream, eventRegistry, () => true)
            .records.map(toJsonLine)
            .join('');
          const file = path.join(dir, 'meta.jsonl');
          const writer = await DigestingWriter.open(file);
          const r = writeJsonLinesThrough(
            body,
            { stream: c.stream, seq: c.seq, subject: c.subject, time: commitTime(m) },
            eventRegistry,
            writer,
          );
          await r?.wait;
          await writer.close();
          if (scanned(body, eventRegistry)) {
            onBytes++;
            assert.notEqual(r, undefined);
          }
          if (r !== undefined) assert.equal(fs.readFileSync(file, 'utf8'), expected);
        },
      ),
      { numRuns: 200 },
    );
    assert.ok(onBytes > 50, `read on the bytes ${onBytes} times of 200`);
  });
});

/** Rich's good data as stored JSON (bytes as the reference to attachment 0). */
function handData(): Record<string, unknown> {
  return { ...good(), bytes: { $b: 0 } };
}

describe('the registry: whether stored data decodes unchanged', () => {
  it('answers as decoding and comparing does, for any value', () => {
    const codecs: [string, t.Mixed][] = [
      ['rich', RichV],
      ['bytes or text', t.union([Base64Bytes, t.string])],
      ['text or bytes', t.union([t.string, Base64Bytes])],
      ['unknown field', t.type({ a: t.unknown })],
      ['optional bytes', t.partial({ a: Base64Bytes, b: t.number })],
      ['exact', t.exact(t.type({ a: t.string }))],
    ];
    const value = fc.oneof(
      fc.constantFrom<unknown>(good(), 'YWJj', Buffer.from('abc'), { a: 'x' }, { a: 'YWJj', b: 1 }, {}),
      fc.anything(),
    );
    for (const [name, codec] of codecs) {
      const reg = new EventRegistry().register(defineEvent('E', 1, codec as t.Type<unknown, unknown, unknown>));
      fc.assert(
        fc.property(value, (data) => {
          const d = codec.decode(data);
          const expected = !isLeft(d) && d.right === data;
          assert.equal(reg.decodesUnchanged({ type: 'E', v: 1, data }), expected, name);
          assert.equal(reg.decodesUnchanged({ type: 'E', v: 2, data }), false, 'a future version');
          assert.equal(reg.decodesUnchanged({ type: 'F', v: 1, data }), false, 'an unknown type');
        }),
        { numRuns: 300 },
      );
    }
  });
});

describe("the commit time's text", () => {
  it('is what toISOString writes, within a second, across seconds and out of the four-digit years', () => {
    const times = [0, 1, 999, 1000, 1001, T0, T0 + 7, T0 + 70, T0 + 700, T0 + 1000, 253_402_300_799_999];
    for (let ms = T0 - 3000; ms < T0 + 3000; ms += 37) times.push(ms);
    times.push(253_402_300_800_000, -1, -86_400_000, 8.64e15);
    fc.assert(
      fc.property(fc.integer({ min: -1e14, max: 8.64e15 }), (ms) => {
        assert.equal(isoTime(ms), new Date(ms).toISOString());
      }),
    );
    for (const ms of times) assert.equal(isoTime(ms), new Date(ms).toISOString(), String(ms));
  });
});
