import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateKeyPairSync, createPublicKey, randomBytes } from 'node:crypto';
import { DiscardPolicy, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import { withNatsServer, type TestNatsServer } from '../test/support/nats.ts';
import { flipByte, rewriteStream } from '../test/support/tamper.ts';
import { silentLogger } from '../runtime/logger.ts';
import { EventLog } from '../streams/log.ts';
import { natsRangeReader } from '../streams/range-reader.ts';
import { eventRegistry } from '../streams/events/index.ts';
import { STREAMS } from '../streams/subjects.ts';
import { HEADER } from '../streams/envelope.ts';
import { replay } from './replay.ts';
import { verifyStreams, type VerifyReport } from './verify.ts';
import { writeCheckpoint } from './checkpoints.ts';
import { ChainedAppender, seedConversations, sendMessage, T0 } from './fixtures.ts';
import { parseWindow } from './window.ts';
import { readWindow } from './read.ts';
import { hashHeaders } from '../streams/range-reader.ts';
import { headers as natsHeaders, MsgHdrsImpl } from '@nats-io/transport-node';

describe('audit: replay and verify', () => {
  let nats: TestNatsServer;
  let log: EventLog;
  let dir: string;
  const { privateKey } = generateKeyPairSync('ed25519');
  const publicKey = createPublicKey(privateKey);

  before(async () => {
    nats = await withNatsServer();
    log = await EventLog.connect(nats.url, eventRegistry, silentLogger);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-audit-'));
  });
  after(async () => {
    await log?.close();
    await nats?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  /**
   * A fresh log: every stream deleted (names listed first), each deletion seen done, the streams
   * created again, and each seen empty. On a loaded machine a stream re-created at once could still
   * show the old one's messages ("held 5 messages"): wait for conditions, and delete again while a
   * re-created stream is not empty, instead of asserting at once.
   */
  const freshLog = async () => {
    const deadline = Date.now() + 60_000;
    const names = async () => {
      const out: string[] = [];
      for await (const name of log.jsm.streams.names()) out.push(name);
      return out;
    };
    for (;;) {
      for (const name of await names()) await log.jsm.streams.delete(name).catch(() => false);
      while ((await names()).length > 0 && Date.now() < deadline) await sleep(20);
      await log.ensureStreams();
      const held: string[] = [];
      for await (const info of log.jsm.streams.list())
        if (info.state.messages !== 0) held.push(`${info.config.name} held ${info.state.messages}`);
      if (held.length === 0) return;
      assert.ok(Date.now() < deadline, `re-created streams are not empty: ${held.join(', ')}`);
    }
  };
  beforeEach(freshLog);

  const streamStates = async () => {
    const out: Record<string, { last: number; consumers: number }> = {};
    for await (const info of log.jsm.streams.list())
      out[info.config.name] = { last: info.state.last_seq, consumers: info.state.consumer_count };
    return out;
  };

  /** Without timings: what must be the same whatever the thread count. */
  const comparable = (r: VerifyReport) => ({ ...r, seconds: 0, rate: 0 });
  /** Verify all in this thread, and over one and three worker threads: the same report each time. */
  const verify = async (extra: Partial<Parameters<typeof verifyStreams>[1]> = {}) => {
    const here = await verifyStreams(natsRangeReader(log), { streams: [STREAMS.messages], publicKey, ...extra });
    for (const threads of [1, 3]) {
      const pooled = await verifyStreams(natsRangeReader(log), {
        streams: [STREAMS.messages],
        publicKey,
        ...extra,
        threads,
      });
      assert.deepEqual(comparable(pooled), comparable(here), `verify with ${threads} worker thread(s)`);
    }
    return here;
  };

  it('a clean log verifies, with its checkpoints', async () => {
    await seedConversations(log, 3, 4);
    assert.ok(await writeCheckpoint(natsRangeReader(log), STREAMS.messages, privateKey));
    await seedConversations(log, 0, 0);
    const r = await verify();
    assert.equal(r.ok, true, JSON.stringify(r.breaks));
    assert.equal(r.verified, 12);
    assert.equal(r.streams[0]!.checkpoints.verified, 1);
    assert.ok(r.rate > 0);
    // Several streams through one pool of workers: the same report as in one thread.
    const streams = [STREAMS.accounts, STREAMS.messages, STREAMS.media];
    const here = await verifyStreams(natsRangeReader(log), { streams, publicKey });
    const pooled = await verifyStreams(natsRangeReader(log), { streams, publicKey, threads: 2 });
    assert.deepEqual(comparable(pooled), comparable(here));
    assert.deepEqual(
      pooled.streams.map((s) => [s.stream, s.verified]),
      streams.map((s) => [s, s === STREAMS.messages ? 12 : 0]),
    );
  });

  it('replay output and its digest are identical across two runs, in one thread and in worker threads', async () => {
    await seedConversations(log, 3, 4);
    const before = await streamStates();
    const runs = [];
    for (const n of [1, 2, 3]) {
      const out = path.join(dir, `replay-${n}.jsonl`);
      const manifest = await replay(natsRangeReader(log), eventRegistry, {
        streams: [STREAMS.messages],
        window: {},
        format: 'jsonl',
        out,
        threads: n === 3 ? 2 : 0,
      });
      runs.push({
        bytes: fs.readFileSync(out),
        manifest,
        onDisk: JSON.parse(fs.readFileSync(`${out}.manifest.json`, 'utf8')),
      });
    }
    assert.deepEqual(runs[0]!.bytes, runs[1]!.bytes);
    assert.deepEqual(runs[0]!.bytes, runs[2]!.bytes);
    assert.equal(runs[0]!.manifest.output.sha256, runs[1]!.manifest.output.sha256);
    assert.equal(runs[0]!.manifest.output.sha256, runs[2]!.manifest.output.sha256);
    assert.deepEqual(runs[0]!.manifest.window, runs[2]!.manifest.window);
    await assert.rejects(
      replay(natsRangeReader(log), eventRegistry, {
        streams: [STREAMS.messages],
        window: {},
        format: 'jsonl',
        out: path.join(dir, 'x'),
        threads: -1,
      }),
      /--threads/,
    );
    // A worker that cannot start (its registry module is missing) fails the replay with its error.
    await assert.rejects(
      replay(natsRangeReader(log), eventRegistry, {
        streams: [STREAMS.messages],
        window: {},
        format: 'jsonl',
        out: path.join(dir, 'y'),
        threads: 2,
        registryRef: { module: new URL('./no-such-registry.ts', import.meta.url).href, export: 'eventRegistry' },
      }),
      /no-such-registry|Cannot find module/,
    );
    assert.equal(runs[0]!.onDisk.output.sha256, runs[0]!.manifest.output.sha256);
    const lines = runs[0]!.bytes
      .toString('utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(lines.length, 15); // 3 starts with two events, 9 messages
    assert.equal(runs[0]!.manifest.output.events, 15);
    assert.equal(runs[0]!.manifest.output.commits, 12);
    const first = lines[0];
    assert.equal(first.stream, 'MESSAGES');
    assert.equal(first.seq, 1);
    assert.equal(first.type, 'ConversationStarted');
    assert.equal(first.version, 2);
    assert.equal(first.storedVersion, 2);
    assert.equal(first.actor, 'conv0-alice/d1');
    assert.equal(first.correlationId, 'corr-start-conv0');
    assert.ok(runs[0]!.manifest.code.package);
    // Replay only read: no stream grew, no consumer is left behind.
    assert.deepEqual(await streamStates(), before);
  });

  it('replays a subject filter and a window by sequence and by time, as CSV', async () => {
    await seedConversations(log, 3, 4);
    const out = path.join(dir, 'window.csv');
    const m = await replay(natsRangeReader(log), eventRegistry, {
      streams: [STREAMS.messages, STREAMS.accounts],
      subject: 'messages.conv.conv1',
      window: parseWindow('2', '9'),
      format: 'csv',
      out,
    });
    const rows = fs.readFileSync(out, 'utf8').trim().split('\r\n');
    assert.equal(
      rows[0],
      'stream,seq,subject,time,index,type,version,stored_version,command,command_id,actor,correlation_id,causation_id,data',
    );
    // conv1 has seqs 2, 5, 8, 11: in 2..9 that is 2 (two events), 5 and 8.
    assert.deepEqual(
      rows.slice(1).map((r) => Number(r.split(',')[1])),
      [2, 2, 5, 8],
    );
    assert.equal(m.window.streams.length, 1);
    const all = await replay(natsRangeReader(log), eventRegistry, {
      streams: [STREAMS.messages],
      window: {},
      format: 'jsonl',
      out: path.join(dir, 'all.jsonl'),
    });
    assert.equal(all.output.commits, 12);
    const rows2 = fs
      .readFileSync(path.join(dir, 'all.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { seq: number; time: string });
    const fromTime = rows2[6]!.time;
    const toTime = rows2[10]!.time;
    const expected = new Set(rows2.filter((r) => r.time >= fromTime && r.time <= toTime).map((r) => r.seq));
    const byTime = await replay(natsRangeReader(log), eventRegistry, {
      streams: [STREAMS.messages],
      window: parseWindow(fromTime, toTime),
      format: 'jsonl',
      out: path.join(dir, 't.jsonl'),
    });
    assert.equal(byTime.output.commits, expected.size);
    assert.equal(byTime.window.streams[0]!.firstSeq, Math.min(...expected));
    assert.equal(byTime.window.streams[0]!.lastSeq, Math.max(...expected));
  });

  it('reports malformed and unknown events with their position and goes on', async () => {
    await seedConversations(log, 1, 2);
    await log.js.publish('messages.conv.garbage', Buffer.from('not a commit'));
    await log.js.publish(
      'messages.conv.unknown',
      Buffer.from(
        JSON.stringify({
          v: 1,
          commandId: 'x',
          command: 'X',
          correlationId: 'c',
          causationId: 'c',
          actor: null,
          at: T0,
          events: [{ type: 'FromTheFuture', v: 1, data: {} }],
        }),
      ),
    );
    await new ChainedAppender(log).conversation('later', sendMessage('later', 'later-m1', 'a', 'b', T0));
    const seen: unknown[] = [];
    const m = await replay(natsRangeReader(log), eventRegistry, {
      streams: [STREAMS.messages],
      window: {},
      format: 'jsonl',
      out: path.join(dir, 'bad.jsonl'),
      onMalformed: (x) => seen.push(x),
    });
    assert.equal(m.output.malformed, 2);
    assert.equal(m.output.commits, 5);
    assert.deepEqual(
      m.malformed.map((x) => [x.seq, x.subject]),
      [
        [3, 'messages.conv.garbage'],
        [4, 'messages.conv.unknown'],
      ],
    );
    assert.match(m.malformed[1]!.error, /unknown event type FromTheFuture/);
    assert.equal(m.malformed[1]!.index, 0);
    assert.equal(seen.length, 2);
    assert.equal(m.output.events, 4);
  });

  it('detects and locates a message deleted through the JetStream API (a stream that allows deletes)', async () => {
    await log.jsm.streams
      .add({
        name: 'TAMPER',
        subjects: ['messages.>'],
        retention: RetentionPolicy.Limits,
        storage: StorageType.File,
        discard: DiscardPolicy.Old,
      })
      .catch(async () => {
        // MESSAGES holds messages.> already: give the test stream its own space by dropping MESSAGES.
        await log.jsm.streams.delete(STREAMS.messages);
        await log.jsm.streams.add({
          name: 'TAMPER',
          subjects: ['messages.>'],
          retention: RetentionPolicy.Limits,
          storage: StorageType.File,
          discard: DiscardPolicy.Old,
        });
      });
    const appender = new ChainedAppender(log);
    for (let i = 0; i < 6; i++)
      await appender.append('TAMPER', `messages.conv.c${i % 2}`, sendMessage(`c${i % 2}`, `m${i}`, 'a', 'b', T0 + i));
    assert.equal((await verifyStreams(natsRangeReader(log), { streams: ['TAMPER'] })).ok, true);
    await log.jsm.streams.deleteMessage('TAMPER', 3);
    const r = await verifyStreams(natsRangeReader(log), { streams: ['TAMPER'] });
    assert.equal(r.ok, false);
    assert.deepEqual(
      [r.breaks[0]!.stream, r.breaks[0]!.subject, r.breaks[0]!.seq, r.breaks[0]!.kind],
      ['TAMPER', 'messages.conv.c0', 5, 'prev-mismatch'],
    );
  });

  it('detects and locates a commit removed by rewriting the stream', async () => {
    await seedConversations(log, 3, 4);
    // Remove the 5th commit (conv1's second), the others move down one sequence.
    await rewriteStream(log.nc, STREAMS.messages, (ms) => ms.filter((_, i) => i !== 4));
    const r = await verify();
    assert.equal(r.ok, false);
    // conv1's next commit was seq 8, now 7.
    assert.deepEqual(
      [r.breaks[0]!.stream, r.breaks[0]!.subject, r.breaks[0]!.seq, r.breaks[0]!.kind],
      ['MESSAGES', 'messages.conv.conv1', 7, 'prev-mismatch'],
    );
  });

  it('detects and locates a payload changed by rewriting the stream', async () => {
    await seedConversations(log, 3, 4);
    await rewriteStream(log.nc, STREAMS.messages, (ms) =>
      ms.map((m, i) => (i === 6 ? { ...m, data: flipByte(m.data) } : m)),
    );
    const r = await verify();
    assert.equal(r.ok, false);
    assert.deepEqual(
      [r.breaks[0]!.subject, r.breaks[0]!.seq, r.breaks[0]!.kind],
      ['messages.conv.conv0', 7, 'hash-mismatch'],
    );
    assert.equal(r.breaks.length, 1);
  });

  it('detects and locates a reordering', async () => {
    await seedConversations(log, 3, 4);
    // Swap conv2's commits at seqs 6 and 9.
    await rewriteStream(log.nc, STREAMS.messages, (ms) => {
      const copy = [...ms];
      [copy[5], copy[8]] = [copy[8]!, copy[5]!];
      return copy;
    });
    const r = await verify();
    assert.equal(r.ok, false);
    assert.deepEqual(
      [r.breaks[0]!.subject, r.breaks[0]!.seq, r.breaks[0]!.kind],
      ['messages.conv.conv2', 6, 'prev-mismatch'],
    );
  });

  it('detects an inserted commit', async () => {
    await seedConversations(log, 2, 2);
    await rewriteStream(log.nc, STREAMS.messages, (ms) => {
      const copy = [...ms];
      const forged = { ...ms[0]!, headers: new Map(ms[0]!.headers) };
      copy.splice(2, 0, forged);
      return copy;
    });
    const r = await verify();
    assert.equal(r.ok, false);
    assert.deepEqual([r.breaks[0]!.subject, r.breaks[0]!.seq], ['messages.conv.conv0', 3]);
  });

  it('verify over worker threads: a commit larger than a batch takes, breaks beyond those listed, bad thread counts', async () => {
    await seedConversations(log, 3, 4);
    const appender = new ChainedAppender(log);
    // 200 KiB of ciphertext: more than a batch takes, so it goes to the workers on its own.
    await appender.conversation('big', sendMessage('big', 'big1', 'a', 'b', T0, randomBytes(200_000)));
    await appender.conversation('big', sendMessage('big', 'big2', 'a', 'b', T0 + 1, randomBytes(16)));
    assert.equal((await verify()).verified, 14);
    await writeCheckpoint(natsRangeReader(log), STREAMS.messages, privateKey);
    await rewriteStream(log.nc, STREAMS.messages, (ms) =>
      ms.map((m, i) => ([1, 6, 12].includes(i) ? { ...m, data: flipByte(m.data) } : m)),
    );
    // The same report in this thread and over 1 and 3 workers (verify() compares them).
    const r = await verify({ maxBreaks: 2 });
    assert.equal(r.ok, false);
    assert.deepEqual(
      r.breaks.map((b) => [b.seq, b.kind]),
      [
        [2, 'hash-mismatch'],
        [7, 'hash-mismatch'],
      ],
    );
    assert.equal(r.moreBreaks, 1);
    const all = await verify();
    assert.deepEqual(
      all.breaks.map((b) => [b.subject, b.seq, b.kind]),
      [
        ['messages.conv.conv1', 2, 'hash-mismatch'],
        ['messages.conv.conv0', 7, 'hash-mismatch'],
        ['messages.conv.big', 13, 'hash-mismatch'],
      ],
    );
    // The chain hashes are unchanged, so the signed checkpoint still matches.
    assert.equal(all.streams[0]!.checkpoints.verified, 1);
    for (const threads of [-1, 1.5, 65])
      await assert.rejects(
        verifyStreams(natsRangeReader(log), { streams: [STREAMS.messages], threads }),
        /--threads must be a whole number from 0 to 64/,
      );
  });

  it('a rewrite with a recomputed hash chain is caught by the signed checkpoint, and located', async () => {
    await seedConversations(log, 3, 4);
    await writeCheckpoint(natsRangeReader(log), STREAMS.messages, privateKey);
    await rewriteStream(
      log.nc,
      STREAMS.messages,
      (ms) => ms.map((m, i) => (i === 9 ? { ...m, data: flipByte(m.data) } : m)),
      { rechain: true },
    );
    // The chain alone cannot tell.
    assert.equal((await verify({ publicKey: undefined })).ok, true);
    const r = await verify();
    assert.equal(r.ok, false);
    assert.equal(r.breaks[0]!.kind, 'checkpoint-mismatch');
    assert.equal(r.breaks[0]!.subject, 'messages.conv.conv0');
    // conv0 holds seqs 1, 4, 7, 10: the change is among them.
    assert.equal(r.breaks[0]!.seq, 1);
    assert.match(r.breaks[0]!.detail, /between seq 1 and 10/);
  });

  it('a checkpoint signed by another key, and commits cut from the end, are reported', async () => {
    await seedConversations(log, 2, 3);
    const other = generateKeyPairSync('ed25519').privateKey;
    await writeCheckpoint(natsRangeReader(log), STREAMS.messages, other);
    const forged = await verify();
    assert.equal(forged.ok, false);
    assert.equal(forged.breaks[0]!.kind, 'checkpoint-signature');

    await freshLog();
    await seedConversations(log, 2, 3);
    await writeCheckpoint(natsRangeReader(log), STREAMS.messages, privateKey);
    await rewriteStream(log.nc, STREAMS.messages, (ms) => ms.slice(0, -1));
    const cut = await verify();
    assert.equal(cut.ok, false);
    assert.deepEqual([cut.breaks[0]!.kind, cut.breaks[0]!.seq], ['stream-truncated', 6]);
  });

  it('reads a header without decoding the block, always as the client decodes it', async () => {
    await seedConversations(log, 2, 2);
    await log.js.publish('messages.conv.plain', Buffer.from('no headers at all'));
    const h = natsHeaders();
    h.set('guardyn-hash', 'lower-case name');
    await log.js.publish('messages.conv.odd', Buffer.from('x'), { headers: h });
    let n = 0;
    await readWindow(natsRangeReader(log), { stream: STREAMS.messages }, (m) => {
      const decoded = m.headerBlock.length === 0 ? undefined : MsgHdrsImpl.decode(m.headerBlock);
      for (const name of [HEADER.prev, HEADER.hash, HEADER.command, HEADER.actor, 'Nats-Msg-Id', 'Absent-Header']) {
        assert.equal(m.header(name), decoded?.get(name) ?? '', `${m.seq} ${name}`);
      }
      const { first, second } = hashHeaders(m, HEADER.prev, HEADER.hash);
      assert.deepEqual(
        { prev: first, hash: second },
        { prev: decoded?.get(HEADER.prev) ?? '', hash: decoded?.get(HEADER.hash) ?? '' },
      );
      n++;
    });
    assert.equal(n, 6);
  });

  it('checkpoints are written incrementally and refuse to double up', async () => {
    await seedConversations(log, 2, 2);
    const a = await writeCheckpoint(natsRangeReader(log), STREAMS.messages, privateKey);
    assert.deepEqual([a!.from, a!.to, a!.count], [1, 4, 4]);
    assert.equal(await writeCheckpoint(natsRangeReader(log), STREAMS.messages, privateKey), undefined);
    await new ChainedAppender(log).conversation('x', sendMessage('x', 'x1', 'a', 'b', T0));
    const b = await writeCheckpoint(natsRangeReader(log), STREAMS.messages, privateKey);
    assert.deepEqual([b!.from, b!.to, b!.count], [5, 5, 1]);
    await assert.rejects(log.jsm.streams.purge(STREAMS.audit));
    const r = await verify({ window: parseWindow('5', undefined) });
    assert.equal(r.ok, true);
    assert.equal(r.streams[0]!.checkpoints.verified, 1);
    assert.equal(r.streams[0]!.checkpoints.outsideWindow, 1);
    const h = await log.jsm.direct.getMessage(STREAMS.messages, { seq: 5 });
    assert.ok(h?.header.get(HEADER.hash));
  });
});
