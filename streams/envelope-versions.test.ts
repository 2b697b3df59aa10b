/**
 * Every envelope version a commit was ever written in still decodes, replays and verifies: the
 * stored samples (streams/testdata/envelope-v<N>.json: the raw header block and body bytes of each
 * commit, captured from the code that wrote that version) are published again, as stored, into a
 * fresh log; then the event log decodes them, the command handler resumes on them and appends the
 * current version after them, audit replay reads them and audit verify checks their hash chains.
 */
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { withNatsServer, type TestNatsServer } from '../test/support/nats.ts';
import { silentLogger } from '../runtime/logger.ts';
import { EventLog } from './log.ts';
import { eventRegistry } from './events/index.ts';
import { STREAMS, subjects } from './subjects.ts';
import { CommandHandler } from '../commands/handler/handler.ts';
import { conversationDecider } from '../commands/conversation/decider.ts';
import { replay } from '../audit/replay.ts';
import { verifyStreams } from '../audit/verify.ts';
import { natsRangeReader } from './range-reader.ts';
import { sampleCommits } from './testdata/envelope-samples.ts';
import { ENVELOPE_VERSION } from './envelope.ts';
import { GENESIS } from './hash-chain.ts';
import {
  ChatCleared,
  ConversationStarted,
  MessageDeleted,
  MessageHiddenForUser,
  MessagesRead,
  MessageSent,
} from './events/messages.ts';

/**
 * The samples hold the conversation events at version 1 (written before the 1:1 conversation id of
 * the contract): they read back through that version's upcaster, with the contract's id.
 */
const UPCAST_FROM_V1 = new Map(
  [ChatCleared, ConversationStarted, MessageDeleted, MessageHiddenForUser, MessagesRead, MessageSent].map((d) => [
    d.type as string,
    d.upcasters.get(1)!.up,
  ]),
);
function readAsNow(commits: ReturnType<typeof sampleCommits>): ReturnType<typeof sampleCommits> {
  return commits.map((c) => ({
    ...c,
    commit: {
      ...c.commit,
      events: c.commit.events.map((e) => {
        const up = UPCAST_FROM_V1.get(e.type);
        return up === undefined ? e : { ...e, data: up(e.data) };
      }),
    },
  })) as ReturnType<typeof sampleCommits>;
}

interface StoredSample {
  stream: string;
  subject: string;
  seq: number;
  headers: string;
  body: string;
}

const TESTDATA = path.join(import.meta.dirname, 'testdata');
const versions = fs
  .readdirSync(TESTDATA)
  .map((f) => /^envelope-v(\d+)\.json$/.exec(f)?.[1])
  .filter((v): v is string => v !== undefined)
  .map(Number)
  .sort();

/** A header block (`NATS/1.0` line, then `Name: value` lines) as the client's headers. */
function parseHeaderBlock(block: string) {
  const h = natsHeaders();
  const lines = block.split('\r\n');
  assert.match(lines[0]!, /^NATS\/1\.0/);
  for (const line of lines.slice(1)) {
    if (line === '') continue;
    const at = line.indexOf(': ');
    h.append(line.slice(0, at), line.slice(at + 2));
  }
  return h;
}

/** Byte fields as arrays of numbers, so decoded and expected data compare whatever their Buffer/Uint8Array class. */
const plain = (v: unknown): unknown => {
  if (v instanceof Uint8Array) return { bytes: [...v] };
  if (Array.isArray(v)) return v.map(plain);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
};

describe('stored commits of every envelope version', () => {
  let nats: TestNatsServer;
  let log: EventLog;
  let dir: string;

  before(async () => {
    nats = await withNatsServer();
    log = await EventLog.connect(nats.url, eventRegistry, silentLogger);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-envelopes-'));
  });
  after(async () => {
    await log?.close();
    await nats?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    const names: string[] = [];
    for await (const name of log.jsm.streams.names()) names.push(name);
    for (const name of names) await log.jsm.streams.delete(name);
    await log.ensureStreams();
  });

  it('has a sample of every version up to the current one', () => {
    assert.deepEqual(
      versions,
      Array.from({ length: ENVELOPE_VERSION }, (_, i) => i + 1),
    );
  });

  it('a commit written now carries only what dedup, concurrency, the hash chain and audits need', async () => {
    const { stream, subject, commit } = sampleCommits()[1]!;
    const r = await log.append({ stream, subject, commit, expectedSeq: 0, prev: GENESIS });
    assert.equal(r.kind, 'appended');
    const stored = await log.jsm.direct.getMessage(stream, { seq: (r as { seq: number }).seq });
    const names = [...stored!.header.keys()]
      .filter((k) => !/^Nats-(Stream|Sequence|Time-Stamp|Subject|Num-Pending|Last-Sequence)$/.test(k))
      .sort();
    assert.deepEqual(names, [
      'Guardyn-Actor',
      'Guardyn-Events',
      'Guardyn-Hash',
      'Guardyn-Prev',
      'Nats-Expected-Last-Subject-Sequence',
      'Nats-Msg-Id',
    ]);
    assert.equal(stored!.header.get('Guardyn-Events'), 'ConversationStarted,MessageSent');
    assert.equal(stored!.header.get('Guardyn-Actor'), `${commit.actor!.userId}/${commit.actor!.deviceId}`);
    assert.equal(stored!.header.get('Guardyn-Hash'), (r as { hash: string }).hash);
    // What the headers no longer carry is in the body.
    const back = await log.get(stream, (r as { seq: number }).seq);
    assert.deepEqual(
      [back!.command, back!.correlationId, back!.causationId],
      [commit.command, commit.correlationId, commit.causationId],
    );
  });

  for (const version of versions) {
    it(`version ${version}: decodes, resumes, replays and verifies as stored`, async () => {
      const stored = (
        JSON.parse(fs.readFileSync(path.join(TESTDATA, `envelope-v${version}.json`), 'utf8')) as {
          messages: StoredSample[];
        }
      ).messages;
      const expected = readAsNow(sampleCommits());
      assert.equal(stored.length, expected.length);
      // Published again byte for byte (their own Nats-Expected-* headers hold: the streams are fresh).
      for (const s of [...stored].sort((a, b) => a.stream.localeCompare(b.stream) || a.seq - b.seq)) {
        const ack = await log.js.publish(s.subject, Buffer.from(s.body, 'base64'), {
          headers: parseHeaderBlock(s.headers),
        });
        assert.equal(ack.seq, s.seq);
      }

      // Decode: the event log reads every commit back as it was committed.
      // The samples were captured in the order they were committed: ACCOUNTS, then MESSAGES.
      for (const [i, s] of stored.entries()) {
        const want = expected[i]!;
        assert.equal(s.subject, want.subject);
        const got = await log.get(s.stream, s.seq);
        assert.ok(got, `${s.stream}#${s.seq}`);
        const { events, ...meta } = want.commit;
        assert.deepEqual(
          plain({
            commandId: got.commandId,
            command: got.command,
            correlationId: got.correlationId,
            causationId: got.causationId,
            actor: got.actor,
            at: got.at,
            events: got.events,
          }),
          plain({ ...meta, events }),
        );
        assert.match(got.hash, /^[0-9a-f]{64}$/);
      }

      // Resume: the handler loads each conversation from its stored commits and appends after them.
      const handler = new CommandHandler(log);
      for (const conversationId of ['conv-ab', 'conv-ac']) {
        const subject = subjects.conversation(conversationId);
        const last = stored.filter((s) => s.subject === subject).at(-1)!;
        const [a, b] =
          conversationId === 'conv-ab'
            ? ['0190a1b2-0000-7000-8000-00000000000a', '0190a1b2-0000-7000-8000-00000000000b']
            : ['0190a1b2-0000-7000-8000-00000000000a', '0190a1b2-0000-7000-8000-00000000000c'];
        const loaded = await handler.load(STREAMS.messages, subject, conversationDecider);
        assert.equal(loaded.seq, last.seq);
        assert.equal(loaded.hash, /Guardyn-Hash: ([0-9a-f]{64})/.exec(last.headers)![1]);
        // The current envelope after the stored ones, chained on the loaded head (the id check of the
        // decider is not what this test is about: the commit is appended as the handler would).
        const at = Date.now();
        const r = await log.append({
          stream: STREAMS.messages,
          subject,
          expectedSeq: loaded.seq,
          prev: loaded.hash,
          commit: {
            commandId: `${conversationId}-new`,
            command: 'SendMessage',
            correlationId: 'c',
            causationId: 'c',
            actor: { userId: a!, deviceId: 'dev-1' },
            at,
            events: [
              {
                type: 'MessageSent',
                data: {
                  messageId: `${conversationId}-new`,
                  conversationId,
                  senderUserId: a!,
                  senderDeviceId: 'dev-1',
                  recipientUserId: b!,
                  recipientDeviceId: '',
                  encryptedContent: Buffer.from([1, 2, 3]),
                  messageType: 'TEXT',
                  clientMessageId: '',
                  clientTimestamp: null,
                  mediaId: '',
                  x3dhPrekey: '',
                  at,
                },
              },
            ],
          },
        });
        assert.equal(r.kind, 'appended');
        const next = await handler.load(STREAMS.messages, subject, conversationDecider);
        assert.equal(next.seq, (r as { seq: number }).seq);
      }

      // Replay: every event of the stored commits, with the commit's metadata, then the new ones.
      const out = path.join(dir, `v${version}.jsonl`);
      const manifest = await replay(natsRangeReader(log), eventRegistry, {
        streams: [STREAMS.accounts, STREAMS.messages],
        window: {},
        format: 'jsonl',
        out,
      });
      assert.equal(manifest.output.malformed, 0, JSON.stringify(manifest.malformed));
      const lines = fs
        .readFileSync(out, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      const oldLines = lines.filter((l) => !String(l['commandId']).endsWith('-new'));
      const want = [STREAMS.accounts, STREAMS.messages].flatMap((stream) =>
        stored
          .filter((s) => s.stream === stream)
          .sort((x, y) => x.seq - y.seq)
          .flatMap((s) => {
            const c = expected[stored.indexOf(s)]!.commit;
            return c.events.map((e, index) => ({
              seq: s.seq,
              subject: s.subject,
              index,
              type: e.type,
              command: c.command,
              commandId: c.commandId,
              correlationId: c.correlationId,
              causationId: c.causationId,
              actor: c.actor ? `${c.actor.userId}/${c.actor.deviceId}` : null,
              data: JSON.parse(
                JSON.stringify(e.data, (_k, v: unknown) =>
                  v && typeof v === 'object' && (v as { type?: unknown }).type === 'Buffer'
                    ? Buffer.from((v as { data: number[] }).data).toString('base64')
                    : v,
                ),
              ),
            }));
          }),
      );
      assert.deepEqual(
        oldLines.map((l) => ({
          seq: l['seq'],
          subject: l['subject'],
          index: l['index'],
          type: l['type'],
          command: l['command'],
          commandId: l['commandId'],
          correlationId: l['correlationId'],
          causationId: l['causationId'],
          actor: l['actor'],
          data: l['data'],
        })),
        want,
      );
      assert.equal(lines.length - oldLines.length, 2);

      // Verify: the hash chains of old and new commits together.
      const report = await verifyStreams(natsRangeReader(log), { streams: [STREAMS.accounts, STREAMS.messages] });
      assert.equal(report.ok, true, JSON.stringify(report.breaks));
      assert.equal(report.verified, stored.length + 2);
    });
  }
});
