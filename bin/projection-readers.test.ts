/**
 * One reader per stream and store (bin/projection-workers.ts byReader): the views of a stream
 * that write one store share a reader; a view on another store reads on its own, so a slow
 * store (the timeline on ScyllaDB) never holds back the views of a fast one (TiKV).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { withNatsServer, type TestNatsServer } from '../test/support/nats.ts';
import { silentLogger } from '../runtime/logger.ts';
import { loadConfig } from '../runtime/config.ts';
import { EventLog } from '../streams/log.ts';
import { eventRegistry } from '../streams/events/index.ts';
import { GENESIS } from '../streams/hash-chain.ts';
import { CommitReader } from '../streams/reader.ts';
import { STREAMS, subjects } from '../streams/subjects.ts';
import { startConversation, T0 } from '../audit/fixtures.ts';
import { openEmbeddedStores, type EmbeddedStores } from '../stores/embedded.ts';
import type { TimelineStore } from '../stores/timeline/port.ts';
import { allProjections } from '../projections/index.ts';
import { byReader, startProjectionWorkers } from './projection-workers.ts';

/** A timeline store whose writes wait while it is paused (a slow ScyllaDB under load). */
function pausable(store: TimelineStore): { store: TimelineStore; pause(): void; resume(): void; waiting(): number } {
  let gate: Promise<void> | undefined;
  let open: (() => void) | undefined;
  let waiting = 0;
  const paused: TimelineStore = {
    async write(rows, checkpoint) {
      while (gate !== undefined) {
        waiting++;
        await gate;
        waiting--;
      }
      return store.write(rows, checkpoint);
    },
    get: (p, pos) => store.get(p, pos),
    page: (p, o) => store.page(p, o),
    checkpoint: (n) => store.checkpoint(n),
    dropPartition: (p) => store.dropPartition(p),
    close: () => store.close(),
  };
  return {
    store: paused,
    pause() {
      gate ??= new Promise((r) => {
        open = r;
      });
    },
    resume() {
      const o = open;
      gate = undefined;
      open = undefined;
      o?.();
    },
    waiting: () => waiting,
  };
}

describe('one reader per stream and store', () => {
  let nats: TestNatsServer;
  let log: EventLog;
  let dir: string;
  const opened: EmbeddedStores[] = [];
  const open = async (name: string) => {
    const s = await openEmbeddedStores(path.join(dir, name));
    opened.push(s);
    return s;
  };

  before(async () => {
    nats = await withNatsServer();
    log = await EventLog.connect(nats.url, eventRegistry, silentLogger);
    await log.ensureStreams();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-readers-'));
  });
  after(async () => {
    for (const s of opened) await s.close().catch(() => undefined);
    await log?.close();
    await nats?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('groups the views of a stream by the store they write: one reader on the embedded stores, one per store when they differ', async () => {
    const embedded = await open('one');
    const together = byReader(Object.values(allProjections(embedded, log)));
    const messages = together.filter((g) => g.stream === STREAMS.messages);
    assert.equal(messages.length, 1, 'the key-value and timeline views of one LMDB environment share a reader');
    assert.equal(messages[0]!.consumer, 'views_MESSAGES');
    assert.deepEqual(messages[0]!.projections.map((p) => p.name).sort(), [
      'conversations',
      'groups',
      'inbox',
      'media_attachments',
      'timeline',
    ]);
    assert.ok(messages[0]!.replaces.includes('views_MESSAGES_kv') && !messages[0]!.replaces.includes('views_MESSAGES'));

    const other = await open('other');
    const apart = byReader(Object.values(allProjections({ kv: embedded.kv, timeline: other.timeline }, log)));
    const split = apart.filter((g) => g.stream === STREAMS.messages);
    assert.deepEqual(
      split.map((g) => g.projections.map((p) => p.name).sort()),
      [['conversations', 'groups', 'inbox', 'media_attachments'], ['timeline']],
    );
    assert.equal(split[0]!.consumer, 'views_MESSAGES_kv');
    // The old shared consumer of the stream is replaced; the ones in use here never are.
    assert.ok(split[0]!.replaces.includes('views_MESSAGES'));
    assert.ok(split.every((g) => !g.replaces.includes('views_MESSAGES_kv') && !g.replaces.includes('view_timeline')));
    // Streams whose views all write one store keep one reader.
    assert.equal(apart.filter((g) => g.stream === STREAMS.accounts).length, 1);
  });

  it('a paused timeline store does not hold back the conversations view: its checkpoint and read-your-writes move on, the timeline follows once resumed', async () => {
    const kvSide = await open('kv');
    const timelineSide = await open('timeline');
    const slow = pausable(timelineSide.timeline);
    const projections = allProjections({ kv: kvSide.kv, timeline: slow.store }, log);
    // The consumer of the one-reader layout (the embedded stores) from an earlier start: it would hold messages for nobody.
    const old = new CommitReader(
      log,
      { stream: STREAMS.messages, filterSubject: 'messages.>', durable: 'views_MESSAGES', checkpoint: () => 0 },
      silentLogger,
    );
    await old.start(async () => true);
    await old.stop();
    const workers = await startProjectionWorkers(loadConfig({}), log, projections, silentLogger, () => ({}), kvSide.kv);
    try {
      const consumers: string[] = [];
      for await (const c of log.jsm.consumers.list(STREAMS.messages)) consumers.push(c.name);
      assert.deepEqual(
        consumers.sort(),
        ['view_timeline', 'views_MESSAGES_kv'],
        "one consumer per store; the other layout's deleted",
      );
      slow.pause();
      const appended = await log.append({
        stream: STREAMS.messages,
        subject: subjects.conversation('coupling'),
        expectedSeq: 0,
        prev: GENESIS,
        commit: startConversation('coupling', 'alice', 'bob', T0),
      });
      assert.equal(appended.kind, 'appended');
      const { seq } = appended;
      assert.equal(
        await workers.progress.conversations.waitFor(seq, 30_000),
        true,
        'the conversations view applied the send while the timeline store was paused',
      );
      assert.equal(await workers.progress.inbox.waitFor(seq, 30_000), true);
      // The timeline's write is waiting in the paused store: it has not applied the send.
      const deadline = Date.now() + 30_000;
      while (slow.waiting() === 0 && Date.now() < deadline) await sleep(10);
      assert.ok(slow.waiting() > 0, 'the timeline write reached the paused store');
      assert.ok((await workers.progress.timeline.applied()) < seq);
      assert.ok((await timelineSide.timeline.checkpoint('timeline')) < seq);
      slow.resume();
      assert.equal(
        await workers.progress.timeline.waitFor(seq, 30_000),
        true,
        'the timeline applied the send once its store came back',
      );
      assert.equal((await timelineSide.timeline.page('coupling', { limit: 10 })).rows.length, 1);
    } finally {
      slow.resume();
      await workers.stop();
    }
  });
});
