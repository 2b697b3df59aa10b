/**
 * Replay's output must stay byte-identical for the same window: a fixed sample
 * of stored commits (both envelope versions, an upcast event, sealed and
 * redacted personal data, byte fields, CSV quoting, malformed commits and
 * events) is replayed through a reader that serves them as the stream would,
 * and the output's SHA-256 must be the one the replay of before the fast paths
 * gave (computed with that code, kept below).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { eventRegistry } from '../streams/events/index.ts';
import { encodeBody, type Commit } from '../streams/envelope.ts';
import { replay, type Format } from './replay.ts';
import { goldenRegistry } from './golden-registry.ts';
import type { RangeMessage, RangeReader } from '../streams/range-reader.ts';
import { sendMessage, startConversation, T0 } from './fixtures.ts';

const registry = goldenRegistry;

const bytes = (n: number, seed: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff));
const sealed = (seed: number) => ({
  iv: bytes(12, seed).toString('base64'),
  ct: bytes(40, seed + 1).toString('base64'),
});

/** The first envelope version: all JSON, byte fields as base64. */
function v1Body(commit: Commit, events: { type: string; v: number; data: unknown }[]): Uint8Array {
  const { commandId, command, correlationId, causationId, actor, at } = commit;
  return Buffer.from(JSON.stringify({ v: 1, commandId, command, correlationId, causationId, actor, at, events }));
}

interface SampleMsg {
  subject: string;
  data: Uint8Array;
}

function sample(): SampleMsg[] {
  const msgs: SampleMsg[] = [];
  const conv = (id: string) => `messages.conversation.${id}`;
  // Envelope v2 (binary attachments): a conversation start (two events) and messages.
  msgs.push({ subject: conv('c1'), data: encodeBody(startConversation('c1', 'alice', 'bob', T0 + 1), eventRegistry) });
  for (let i = 1; i <= 3; i++) {
    msgs.push({
      subject: conv('c1'),
      data: encodeBody(
        sendMessage('c1', `c1-m${i}`, i % 2 ? 'bob' : 'alice', i % 2 ? 'alice' : 'bob', T0 + 10 * i, bytes(24 + i, i)),
        eventRegistry,
      ),
    });
  }
  // Envelope v1 (JSON, base64 bytes), as commits before the binary body were written.
  const old = sendMessage('c2', 'c2-m1', 'carol', 'dave', T0 + 100, bytes(33, 7));
  msgs.push({
    subject: conv('c2'),
    data: v1Body(
      old,
      old.events.map((e) => eventRegistry.encode(e) as { type: string; v: number; data: unknown }),
    ),
  });
  // Strings that CSV must quote, and non-ASCII text.
  const quoted = sendMessage('c3', 'm,"quoted"\nline', 'érin', 'zoë', T0 + 200, bytes(5, 9));
  msgs.push({
    subject: conv('c3'),
    data: encodeBody({ ...quoted, correlationId: 'a,b', causationId: 'say "hi"' }, eventRegistry),
  });
  // Sealed personal data: the key of `alice` exists ([sealed]), the key of `gone` was destroyed ([redacted]).
  for (const userId of ['alice', 'gone']) {
    const reg: Commit = {
      commandId: `reg-${userId}`,
      command: 'Register',
      correlationId: `corr-reg-${userId}`,
      causationId: `corr-reg-${userId}`,
      actor: null,
      at: T0 + 300,
      events: [
        { type: 'UsernameClaimed', data: { userId, at: T0 + 300 } },
        {
          type: 'UserRegistered',
          data: { userId, username: sealed(1), email: sealed(2), passwordHash: sealed(3), at: T0 + 300 },
        },
      ],
    };
    msgs.push({ subject: `accounts.user.${userId}`, data: encodeBody(reg, eventRegistry) });
  }
  // A system command (actor null) with an event stored at version 1 of a type now at version 2 (upcast), v1 envelope.
  const up: Commit = {
    commandId: 'up-1',
    command: 'Rename',
    correlationId: 'c-up',
    causationId: 'c-up',
    actor: null,
    at: T0 + 400,
    events: [],
  };
  msgs.push({
    subject: conv('c4'),
    data: v1Body(up, [
      { type: 'SampleRenamed', v: 1, data: { id: 'x', name: 'old name' } },
      { type: 'SampleRenamed', v: 2, data: { id: 'y', title: 'new', at: 5 } },
    ]),
  });
  // Malformed: not a commit body; a valid envelope with an unknown type, a future version and a bad event beside a good one.
  msgs.push({ subject: conv('c5'), data: Buffer.from('not json at all') });
  msgs.push({ subject: conv('c5'), data: Buffer.from([0x02, 0, 0, 0, 50, 0x7b]) });
  msgs.push({ subject: conv('c5'), data: Buffer.from(JSON.stringify({ v: 1, commandId: 'x' })) });
  msgs.push({
    subject: conv('c5'),
    data: v1Body(up, [
      { type: 'NoSuchEvent', v: 1, data: {} },
      { type: 'SampleRenamed', v: 3, data: {} },
      { type: 'MessagesRead', v: 1, data: { conversationId: 42 } },
      { type: 'SampleRenamed', v: 2, data: { id: 'z', title: 'still fine', at: 6 } },
    ]),
  });
  // Unicode and escapes inside event data.
  const odd = sendMessage('c6', 'tab\there "q" \\ \u2028 😀', 'u\u0001', 'v', T0 + 500, new Uint8Array(0));
  msgs.push({ subject: conv('c6'), data: encodeBody(odd, eventRegistry) });
  return msgs;
}

/** Serves `msgs` as one stream MESSAGES (seq from 1, one second apart, 123,456 ns past the ms), as the range reader delivers them. */
function fakeReader(msgs: SampleMsg[]): RangeReader {
  const delivered: RangeMessage[] = msgs.map((m, i) => ({
    seq: i + 1,
    subject: m.subject,
    data: m.data,
    // The nanoseconds (T0 + 1000 * seq) * 1e6 + 123_456, in ms.
    timeMs: T0 + 1000 * (i + 1),
    headerBlock: new Uint8Array(0),
    raw: Buffer.from(m.data),
    bodyStart: 0,
    header: () => '',
  }));
  return {
    streamState: async () => ({ subjects: ['messages.>'], messages: msgs.length, firstSeq: 1, lastSeq: msgs.length }),
    lastOnSubject: async () => undefined,
    read: async (request, onMessage, onPlan) => {
      const plan = { stream: request.stream, startSeq: 1, endSeq: msgs.length, pending: msgs.length };
      onPlan?.(plan);
      for (const m of delivered) if ((await onMessage(m)) === false) break;
      return plan;
    },
  };
}

/**
 * Output digests and sizes of replay as it was before the fast paths (same sample, same registry),
 * with the conversation events at version 2 since the 1:1 conversation id changed (the sample is
 * written at the current versions; the output differs from version 1's only in those numbers).
 */
const EXPECTED: Record<Format, { sha256: string; bytes: number; events: number }> = {
  jsonl: { sha256: 'b6def220fb0a0c51eded62ed5116c8031ae2860265e431be6bddd55433128bcc', bytes: 7058, events: 15 },
  csv: { sha256: 'b618c8426b889852097aa185adf7c97e1355162723d7f8244f733c1559d735a3', bytes: 5240, events: 15 },
};

describe('replay output is unchanged for a fixed sample of stored commits', () => {
  for (const [format, threads] of [
    ['jsonl', 0],
    ['csv', 0],
    ['jsonl', 2],
    ['csv', 2],
  ] as const) {
    it(`${format}${threads ? `, ${threads} worker threads` : ''}: the same bytes and digest as before`, async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-replay-golden-'));
      try {
        const out = path.join(dir, `out.${format}`);
        const malformedSeen: number[] = [];
        const m = await replay(fakeReader(sample()), registry, {
          streams: ['MESSAGES'],
          window: {},
          format,
          out,
          keyExists: async (u) => u !== 'gone',
          threads,
          registryRef: { module: new URL('./golden-registry.ts', import.meta.url).href, export: 'goldenRegistry' },
          onMalformed: (x) => malformedSeen.push(x.seq),
        });
        const written = fs.readFileSync(out);
        if (process.env['GUARDYN_PRINT_GOLDEN'])
          console.log(format, m.output, JSON.stringify(m.malformed), `\n${written.toString('utf8')}`);
        assert.equal(createHash('sha256').update(written).digest('hex'), m.output.sha256);
        assert.deepEqual({ sha256: m.output.sha256, bytes: m.output.bytes, events: m.output.events }, EXPECTED[format]);
        assert.equal(m.output.commits, 14);
        assert.deepEqual(
          m.malformed.map((x) => [x.seq, x.index ?? null, x.error]),
          EXPECTED_MALFORMED,
        );
        assert.deepEqual(
          malformedSeen,
          EXPECTED_MALFORMED.map((x) => x[0]),
        );
        assert.deepEqual(m.window.streams, [
          { stream: 'MESSAGES', subject: null, firstSeq: 1, lastSeq: 14, commits: 14 },
        ]);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});

describe('replay over worker threads across many batches', () => {
  it('the sample repeated 400 times (5,600 commits, many batches whose buffers are reused): the same bytes as in one thread', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-replay-batches-'));
    try {
      const many = Array.from({ length: 400 }, () => sample()).flat();
      const digests: string[] = [];
      const files: Buffer[] = [];
      for (const threads of [0, 1, 2]) {
        const out = path.join(dir, `out-${threads}.jsonl`);
        const m = await replay(fakeReader(many), registry, {
          streams: ['MESSAGES'],
          window: {},
          format: 'jsonl',
          out,
          keyExists: async (u) => u !== 'gone',
          threads,
          registryRef: { module: new URL('./golden-registry.ts', import.meta.url).href, export: 'goldenRegistry' },
        });
        assert.equal(m.output.commits, many.length);
        digests.push(m.output.sha256);
        files.push(fs.readFileSync(out));
      }
      assert.ok(files[0]!.length > 2 * 1024 * 1024, "the output spans more than two of the writer's chunks");
      assert.ok(files[1]!.equals(files[0]!), 'one worker thread: the bytes of one thread');
      assert.ok(files[2]!.equals(files[0]!), 'two worker threads: the bytes of one thread');
      assert.deepEqual(new Set(digests).size, 1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

const EXPECTED_MALFORMED: [number, number | null, string][] = [
  [10, null, 'not a commit body: Unexpected token \'o\', "not json at all" is not valid JSON'],
  [11, null, 'not a commit body: truncated'],
  [12, null, 'no valid commit envelope'],
  [13, 0, 'unknown event type NoSuchEvent'],
  [13, 1, 'event SampleRenamed has unknown version 3 (known up to 2)'],
  [13, 2, 'event MessagesRead@1 does not match its schema at conversationId'],
];
