import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as t from 'io-ts';
import { defineEvent, EventRegistry } from './events/registry.ts';
import { eventRegistry } from './events/index.ts';
import { legacyDirectConversationId } from '../runtime/ids.ts';
import { Base64Bytes } from './events/codecs.ts';
import { CommitDecodeError } from './events/decode-error.ts';
import { usernameToken, subjects, SubjectTokenError } from './subjects.ts';
import { capabilitiesOf, parseVersion } from './capabilities.ts';
import { chainHash, GENESIS, verifyLinks, type ChainLink } from './hash-chain.ts';

describe('event registry', () => {
  it('round-trips every event with bytes as base64', () => {
    const data = {
      messageId: 'm',
      conversationId: 'c',
      senderUserId: 'a',
      senderDeviceId: 'd',
      recipientUserId: 'b',
      recipientDeviceId: '',
      encryptedContent: new Uint8Array([0, 255, 1]),
      messageType: 'TEXT',
      clientMessageId: '',
      clientTimestamp: { seconds: 1, nanos: 2 },
      mediaId: '',
      x3dhPrekey: '',
      at: 3,
    };
    const stored = eventRegistry.encode({ type: 'MessageSent', data });
    assert.equal((stored.data as { encryptedContent: string }).encryptedContent, 'AP8B');
    const back = eventRegistry.decode(JSON.parse(JSON.stringify(stored)));
    assert.deepEqual(
      { ...(back.data as object), encryptedContent: [...(back.data as typeof data).encryptedContent] },
      { ...data, encryptedContent: [0, 255, 1] },
    );
  });

  it('upcasts an old version to the current one', () => {
    const V1 = t.type({ name: t.string });
    const Renamed = defineEvent(
      'Renamed',
      2,
      t.type({ name: t.string, display: t.string }),
      new Map([
        [
          1,
          {
            codec: V1 as t.Type<unknown>,
            up: (o: unknown) => ({ ...(o as { name: string }), display: (o as { name: string }).name.toUpperCase() }),
          },
        ],
      ]),
    );
    const r = new EventRegistry().register(Renamed);
    assert.deepEqual(r.decode({ type: 'Renamed', v: 1, data: { name: 'ann' } }).data, { name: 'ann', display: 'ANN' });
    assert.deepEqual(r.decode({ type: 'Renamed', v: 2, data: { name: 'b', display: 'x' } }).data, {
      name: 'b',
      display: 'x',
    });
    assert.throws(() => r.decode({ type: 'Renamed', v: 3, data: {} }), CommitDecodeError);
    assert.throws(() => r.decode({ type: 'Renamed', v: 1, data: { name: 5 } }), CommitDecodeError);
  });

  it("reads version 1 conversation events with the contract's 1:1 id in place of the former one", () => {
    const [x, y] = ['bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa'];
    const former = legacyDirectConversationId(x, y);
    const contract = '40d1253d-f323-52fe-a695-51a2f3cc6905';
    const sent = {
      messageId: 'm',
      conversationId: former,
      senderUserId: x,
      senderDeviceId: 'd',
      recipientUserId: y,
      recipientDeviceId: '',
      encryptedContent: 'AP8B',
      messageType: 'TEXT',
      clientMessageId: '',
      clientTimestamp: null,
      mediaId: '',
      x3dhPrekey: '',
      at: 3,
    };
    assert.equal(
      (eventRegistry.decode({ type: 'MessageSent', v: 1, data: sent }).data as { conversationId: string })
        .conversationId,
      contract,
    );
    const participants = [y, x];
    const v1: [string, object][] = [
      ['ConversationStarted', { conversationId: former, participants, at: 1 }],
      [
        'MessagesRead',
        { conversationId: former, participants, readerUserId: y, readerDeviceId: 'd', messageIds: ['m'], at: 1 },
      ],
      [
        'MessageDeleted',
        { conversationId: former, participants, messageId: 'm', messageSeq: 2, deletedBy: x, forEveryone: true, at: 1 },
      ],
      [
        'MessageHiddenForUser',
        { conversationId: former, participants, messageId: 'm', messageSeq: 2, userId: y, at: 1 },
      ],
      ['ChatCleared', { conversationId: former, participants, userId: y, uptoSeq: 2, at: 1 }],
    ];
    for (const [type, data] of v1) {
      const back = eventRegistry.decode({ type, v: 1, data });
      assert.deepEqual(back.data, { ...data, conversationId: contract }, type);
      // What is written now is version 2 and read back as written.
      assert.equal(eventRegistry.encode(back).v, 2);
      assert.deepEqual(eventRegistry.decode(JSON.parse(JSON.stringify(eventRegistry.encode(back)))).data, back.data);
    }
  });

  it('refuses a definition whose upcasters have a gap, and unknown types', () => {
    assert.throws(() => new EventRegistry().register(defineEvent('X', 2, t.type({}))), /lacks an upcaster/);
    assert.throws(() => eventRegistry.decode({ type: 'Nope', v: 1, data: {} }), /unknown event type/);
    assert.throws(
      () => eventRegistry.decode({ type: 'UsernameClaimed', v: 1, data: { username: 'a' } }),
      /does not match/,
    );
  });

  it('rejects strings that are not base64', () => {
    assert.equal(Base64Bytes.is(new Uint8Array()), true);
    assert.equal(Base64Bytes.decode('a!!=')._tag, 'Left');
    assert.equal(Base64Bytes.decode('abc')._tag, 'Left');
    assert.equal(Base64Bytes.decode('YWJj')._tag, 'Right');
  });
});

describe('subjects', () => {
  it('never lets input build wildcards or extra tokens', () => {
    assert.throws(() => subjects.user('a.b'), SubjectTokenError);
    assert.throws(() => subjects.user('*'), SubjectTokenError);
    assert.throws(() => subjects.user('>'), SubjectTokenError);
    assert.throws(() => subjects.user(''), SubjectTokenError);
    assert.equal(subjects.conversation('abc-1'), 'messages.conv.abc-1');
  });

  it('maps usernames case-insensitively and injectively', () => {
    assert.equal(usernameToken('Alice'), usernameToken('alice'));
    assert.notEqual(usernameToken('a.b'), usernameToken('a_b'));
    assert.notEqual(usernameToken('a_d'), usernameToken('a.'));
    assert.notEqual(usernameToken('a__'), usernameToken('a_'));
  });
});

describe('capabilities', () => {
  it('enables features by server version', () => {
    const old = capabilitiesOf('2.9.10');
    assert.deepEqual([old.multiFilterConsumers, old.perMessageTtl, old.atomicBatch], [false, false, false]);
    const mid = capabilitiesOf('2.11.3');
    assert.deepEqual([mid.multiFilterConsumers, mid.perMessageTtl, mid.atomicBatch], [true, true, false]);
    const now = capabilitiesOf('v2.14.9');
    assert.equal(now.atomicBatch, true);
    assert.throws(() => capabilitiesOf('2.8.4'), /too old/);
    assert.throws(() => parseVersion('garbage'), /unrecognised/);
  });
});

describe('hash chain', () => {
  const body = (s: string) => Buffer.from(s);
  function chain(subject: string, bodies: string[], startSeq = 1): ChainLink[] {
    let prev = GENESIS;
    return bodies.map((b, i) => {
      const hash = chainHash(prev, subject, body(b));
      const link = { seq: startSeq + i, subject, prev, hash, body: body(b) };
      prev = hash;
      return link;
    });
  }

  it('accepts an intact chain, interleaved across subjects', () => {
    const a = chain('s.a', ['1', '2', '3']);
    const b = chain('s.b', ['x', 'y']);
    assert.deepEqual(verifyLinks([a[0]!, b[0]!, a[1]!, b[1]!, a[2]!]), []);
  });

  it('finds a changed, a removed and a reordered commit', () => {
    const a = chain('s.a', ['1', '2', '3', '4']);
    const changed = a.map((l) => (l.seq === 2 ? { ...l, body: body('two') } : l));
    assert.deepEqual(
      verifyLinks(changed).map((x) => [x.kind, x.seq]),
      [['hash-mismatch', 2]],
    );
    const removed = a.filter((l) => l.seq !== 2);
    assert.deepEqual(
      verifyLinks(removed).map((x) => [x.kind, x.seq]),
      [['prev-mismatch', 3]],
    );
    const reordered = [a[0]!, a[2]!, a[1]!, a[3]!];
    assert.ok(verifyLinks(reordered).some((x) => x.seq === 3));
  });
});

describe('commit body', () => {
  it('carries byte fields raw beside the JSON and reads both body versions back', async () => {
    const { encodeBody, decodeCommit } = await import('./envelope.ts');
    const content = Buffer.from([0, 1, 2, 250, 255]);
    const data = {
      messageId: 'm',
      conversationId: 'c',
      senderUserId: 'a',
      senderDeviceId: 'd',
      recipientUserId: 'b',
      recipientDeviceId: '',
      encryptedContent: content,
      messageType: 'TEXT',
      clientMessageId: '',
      clientTimestamp: null,
      mediaId: '',
      x3dhPrekey: '',
      at: 3,
    };
    const commit = {
      commandId: 'x',
      command: 'SendMessage',
      correlationId: 'c',
      causationId: 'c',
      actor: null,
      at: 3,
      events: [{ type: 'MessageSent', data }],
    };
    const body = encodeBody(commit, eventRegistry);
    assert.equal(body[0], 2);
    assert.ok(Buffer.from(body).includes(content), 'the ciphertext is stored as is');
    assert.ok(!Buffer.from(body).toString('latin1').includes(content.toString('base64')));
    const back = decodeCommit({ subject: 's', seq: 1, data: body, header: () => '' }, 'MESSAGES', eventRegistry);
    assert.deepEqual([...(back.events[0]!.data as typeof data).encryptedContent], [...content]);
    const v1 = Buffer.from(
      JSON.stringify({
        v: 1,
        commandId: 'x',
        command: 'SendMessage',
        correlationId: 'c',
        causationId: 'c',
        actor: null,
        at: 3,
        events: [eventRegistry.encode({ type: 'MessageSent', data })],
      }),
    );
    const old = decodeCommit({ subject: 's', seq: 2, data: v1, header: () => '' }, 'MESSAGES', eventRegistry);
    assert.deepEqual([...(old.events[0]!.data as typeof data).encryptedContent], [...content]);
  });

  it('refuses truncated bodies and bad attachment tables', async () => {
    const { encodeBody, decodeCommit } = await import('./envelope.ts');
    const body = Buffer.from(
      encodeBody(
        {
          commandId: 'x',
          command: 'C',
          correlationId: 'c',
          causationId: 'c',
          actor: null,
          at: 1,
          events: [{ type: 'UsernameClaimed', data: { userId: 'u', at: 1 } }],
        },
        eventRegistry,
      ),
    );
    const decode = (data: Uint8Array) =>
      decodeCommit({ subject: 's', seq: 1, data, header: () => '' }, 'ACCOUNTS', eventRegistry);
    assert.equal(decode(body).events[0]!.type, 'UsernameClaimed');
    assert.throws(() => decode(body.subarray(0, body.length - 1)), CommitDecodeError);
    assert.throws(() => decode(Buffer.concat([body, Buffer.from([1])])), CommitDecodeError);
    assert.throws(() => decode(Buffer.from([2, 0, 0])), CommitDecodeError);
  });

  it('refuses envelopes with a missing or mistyped field, naming it', async () => {
    const { decodeCommit } = await import('./envelope.ts');
    const good = {
      v: 2,
      commandId: 'x',
      command: 'C',
      correlationId: 'c',
      causationId: 'c',
      actor: { userId: 'u', deviceId: 'd' },
      at: 1,
      events: [{ type: 'UsernameClaimed', v: 1, data: { userId: 'u', at: 1 } }],
    };
    const decode = (json: unknown) =>
      decodeCommit(
        { subject: 's', seq: 1, data: Buffer.from(JSON.stringify(json)), header: () => '' },
        'ACCOUNTS',
        eventRegistry,
      );
    assert.equal(decode({ ...good, v: 1 }).actor?.deviceId, 'd');
    const bad: [unknown, string][] = [
      [[good], 'body'],
      [{ ...good, v: 9 }, 'v'],
      [{ ...good, commandId: 5 }, 'commandId'],
      [{ ...good, command: undefined }, 'command'],
      [{ ...good, correlationId: null }, 'correlationId'],
      [{ ...good, causationId: [] }, 'causationId'],
      [{ ...good, actor: { userId: 'u' } }, 'actor'],
      [{ ...good, actor: 'u/d' }, 'actor'],
      [{ ...good, at: '1' }, 'at'],
      [{ ...good, events: {} }, 'events'],
      [{ ...good, events: [null] }, 'events.0'],
      [{ ...good, events: [good.events[0], { type: 'UsernameClaimed', v: '1', data: {} }] }, 'events.1'],
    ];
    for (const [json, field] of bad) {
      assert.throws(
        () => decode(json),
        (err: Error) => err instanceof CommitDecodeError && err.message.includes(`(at ${field})`),
        `${JSON.stringify(json)} names ${field}`,
      );
    }
  });

  it('runs an event codec that changes its data on encode (and only such codecs)', async () => {
    const { encodeBody, parseCommitBody } = await import('./envelope.ts');
    // Seconds in the domain, milliseconds when stored: the body must hold what encode gives.
    const Millis = new t.Type<number, number, unknown>(
      'Millis',
      (u): u is number => typeof u === 'number',
      (u, c) => (typeof u === 'number' ? t.success(u / 1000) : t.failure(u, c)),
      (n) => n * 1000,
    );
    const r = new EventRegistry().register(
      defineEvent('Timed', 1, t.type({ at: Millis, raw: Base64Bytes })),
      defineEvent('Plain', 1, t.type({ at: t.number, tags: t.array(t.string), raw: Base64Bytes })),
    );
    const raw = Buffer.from([9, 8, 7]);
    const body = encodeBody(
      {
        commandId: 'x',
        command: 'C',
        correlationId: 'c',
        causationId: 'c',
        actor: null,
        at: 1,
        events: [
          { type: 'Timed', data: { at: 5, raw } },
          { type: 'Plain', data: { at: 5, tags: ['a'], raw } },
        ],
      },
      r,
    );
    const json = parseCommitBody(body) as { events: { data: { at: number; raw: Uint8Array } }[] };
    assert.equal(json.events[0]!.data.at, 5000);
    assert.equal(json.events[1]!.data.at, 5);
    assert.deepEqual([...json.events[0]!.data.raw, ...json.events[1]!.data.raw], [9, 8, 7, 9, 8, 7]);
    assert.equal((r.decode({ type: 'Timed', v: 1, data: json.events[0]!.data }).data as { at: number }).at, 5);
  });

  it('writes a body every reader reads back to the same events, for any message', async () => {
    const fc = await import('fast-check');
    const { encodeBody, decodeCommit } = await import('./envelope.ts');
    const text = fc.string({ unit: 'binary', maxLength: 40 });
    fc.assert(
      fc.property(
        fc.record({
          messageId: text,
          conversationId: text,
          senderUserId: text,
          senderDeviceId: text,
          recipientUserId: text,
          recipientDeviceId: text,
          encryptedContent: fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
          messageType: fc.constantFrom('TEXT', 'IMAGE', 'FILE'),
          clientMessageId: text,
          clientTimestamp: fc.option(
            fc.record({ seconds: fc.integer({ min: 0 }), nanos: fc.integer({ min: 0, max: 999_999_999 }) }),
          ),
          mediaId: text,
          x3dhPrekey: text,
          at: fc.integer({ min: 0, max: 2 ** 45 }),
        }),
        fc.option(fc.record({ userId: text, deviceId: text })),
        text,
        (data, actor, commandId) => {
          const commit = {
            commandId,
            command: 'SendMessage',
            correlationId: commandId,
            causationId: 'cause',
            actor,
            at: data.at,
            events: [
              { type: 'MessageSent', data },
              { type: 'MessageSent', data: { ...data, encryptedContent: Buffer.alloc(0) } },
            ],
          };
          const back = decodeCommit(
            { subject: 's', seq: 1, data: encodeBody(commit, eventRegistry), header: () => '' },
            'MESSAGES',
            eventRegistry,
          );
          const norm = (v: unknown) =>
            JSON.parse(
              JSON.stringify(v, (_k, x: unknown) =>
                x instanceof Uint8Array
                  ? [...x]
                  : x && typeof x === 'object' && (x as { type?: string }).type === 'Buffer'
                    ? (x as { data: number[] }).data
                    : x,
              ),
            );
          const { commandId: id, command, correlationId, causationId, actor: who, at, events } = back;
          assert.deepEqual(
            norm({ commandId: id, command, correlationId, causationId, actor: who, at, events }),
            norm(commit),
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});
