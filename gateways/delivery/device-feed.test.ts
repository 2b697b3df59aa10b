/**
 * Delivery over a partitioned inbox: an entry of one partition that lands before
 * a lower one of another partition is held back until every partition of the
 * inbox has reached it, so the device gets both, in stream order, and its
 * cursor never passes a message it did not get.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { withNatsServer, type TestNatsServer } from '../../test/support/nats.ts';
import { silentLogger } from '../../runtime/logger.ts';
import { EventLog } from '../../streams/log.ts';
import { eventRegistry } from '../../streams/events/index.ts';
import { GENESIS } from '../../streams/hash-chain.ts';
import { STREAMS, subjects } from '../../streams/subjects.ts';
import { openEmbeddedStores, type EmbeddedStores } from '../../stores/embedded.ts';
import { inboxProjection } from '../../projections/inbox/projector.ts';
import { inboxAnnouncer } from '../../streams/inbox-wakeups.ts';
import { timelineProjection } from '../../projections/timeline/projector.ts';
import { partitionOf, partitionOfSubject, viewCheckpoint } from '../../projections/runtime/partitions.ts';
import { ProjectionRunner } from '../../projections/runtime/runner.ts';
import { StoredProgress } from '../../projections/query/progress.ts';
import type { Projection } from '../../projections/runtime/projection.ts';
import { buildViews } from '../../bin/wiring.ts';
import { DeviceDelivery } from './device-feed.ts';
import { LiveHub } from './live-hub.ts';
import { GroupRosters } from './group-rosters.ts';
import { commitSource } from '../../streams/commit-follower.ts';

/** The views a device feed reads, from the process wiring. */
const feedViews = (stores: EmbeddedStores) => {
  const { inbox, timeline } = buildViews(stores);
  return { inbox, timeline };
};

const N = 2;

describe('device feed over a partitioned inbox', () => {
  let nats: TestNatsServer;
  let log: EventLog;
  let dir: string;
  let stores: EmbeddedStores;
  const runners: ProjectionRunner<unknown>[] = [];

  before(async () => {
    nats = await withNatsServer();
    log = await EventLog.connect(nats.url, eventRegistry, silentLogger);
    await log.ensureStreams();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-feed-'));
    stores = await openEmbeddedStores(path.join(dir, 'views'));
  });
  after(async () => {
    for (const r of runners) await r.stop();
    await stores?.close();
    await log?.close();
    await nats?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('holds back an entry until every inbox partition has reached it', async () => {
    const [sender, recipient] = [randomUUID(), randomUUID()];
    // Two conversations in different partitions: B's message comes first in the stream.
    const convB = randomUUID();
    let convA = randomUUID();
    while (partitionOfSubject(subjects.conversation(convA), N) === partitionOfSubject(subjects.conversation(convB), N))
      convA = randomUUID();
    const send = async (conversationId: string, n: number) => {
      const outcome = await log.append({
        stream: STREAMS.messages,
        subject: subjects.conversation(conversationId),
        expectedSeq: 0,
        prev: GENESIS,
        commit: {
          commandId: randomUUID(),
          command: 'SendMessage',
          correlationId: 'c',
          causationId: 'c',
          actor: null,
          at: 1,
          events: [
            {
              type: 'MessageSent',
              data: {
                messageId: randomUUID(),
                conversationId,
                senderUserId: sender,
                senderDeviceId: 'dev-s',
                recipientUserId: recipient,
                recipientDeviceId: '',
                encryptedContent: Buffer.from(`m${n}`),
                messageType: 'TEXT',
                clientMessageId: `m${n}`,
                clientTimestamp: null,
                mediaId: '',
                x3dhPrekey: '',
                at: 1000 + n,
              },
            },
          ],
        },
      });
      assert.equal(outcome.kind, 'appended');
      return outcome.seq;
    };
    const first = await send(convB, 1);
    const second = await send(convA, 2);

    const inbox = inboxProjection(stores.kv, inboxAnnouncer(log.signals)) as Projection<unknown>;
    const timeline = timelineProjection(stores.timeline, log) as Projection<unknown>;
    const pA = partitionOfSubject(subjects.conversation(convA), N);
    const start = async (p: Projection<unknown>) => {
      const r = new ProjectionRunner(log, p, silentLogger, { ordered: true });
      await r.start();
      runners.push(r);
      return r;
    };
    // The whole timeline, and only A's partition of the inbox: the inbox holds the second message, not yet the first.
    for (let k = 0; k < N; k++) assert.ok(await (await start(partitionOf(timeline, k, N))).waitFor(second, 10_000));
    assert.ok(await (await start(partitionOf(inbox, pA, N))).waitFor(second, 10_000));

    const progress = {
      inbox: new StoredProgress(() => viewCheckpoint(inbox, N)),
      timeline: new StoredProgress(() => viewCheckpoint(timeline, N)),
    };
    const delivery = new DeviceDelivery({
      ...feedViews(stores),
      signals: log.signals,
      progressOf: (v) => progress[v as 'inbox' | 'timeline'],
      logger: silentLogger,
    });
    const got: number[] = [];
    const feed = delivery.follow({
      userId: recipient,
      deviceId: 'dev-r',
      after: 0,
      receipts: false,
      pollMs: 100,
      sink: {
        deliver: (e) => {
          got.push(e.seq);
        },
      },
    });
    try {
      await sleep(2500);
      assert.deepEqual(got, [], 'the second message waits for the first partition');
      assert.equal(feed.position, 0);
      await start(partitionOf(inbox, 1 - pA, N));
      const deadline = Date.now() + 10_000;
      while (got.length < 2 && Date.now() < deadline) await sleep(50);
      assert.deepEqual(got, [first, second], 'both, in stream order');
    } finally {
      feed.stop();
      await feed.done;
    }
  });
});

describe('device feed: backlog from the views, then live from the commit', () => {
  let nats: TestNatsServer;
  let log: EventLog;
  let dir: string;
  let stores: EmbeddedStores;

  before(async () => {
    nats = await withNatsServer();
    log = await EventLog.connect(nats.url, eventRegistry, silentLogger);
    await log.ensureStreams();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-feed-'));
    stores = await openEmbeddedStores(path.join(dir, 'views'));
  });
  after(async () => {
    await stores?.close();
    await log?.close();
    await nats?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A new 1:1 conversation and `send(n)`, which appends its n-th MessageSent (content `<prefix><n>`) and resolves to its sequence. */
  function newConversation(prefix: string) {
    const [sender, recipient, conversationId] = [randomUUID(), randomUUID(), randomUUID()];
    let last = 0;
    let prev = GENESIS;
    const send = async (n: number) => {
      const outcome = await log.append({
        stream: STREAMS.messages,
        subject: subjects.conversation(conversationId),
        expectedSeq: last,
        prev,
        commit: {
          commandId: randomUUID(),
          command: 'SendMessage',
          correlationId: 'c',
          causationId: 'c',
          actor: null,
          at: 1,
          events: [
            {
              type: 'MessageSent',
              data: {
                messageId: randomUUID(),
                conversationId,
                senderUserId: sender,
                senderDeviceId: 'dev-s',
                recipientUserId: recipient,
                recipientDeviceId: '',
                encryptedContent: Buffer.from(`${prefix}${n}`),
                messageType: 'TEXT',
                clientMessageId: `${prefix}${n}`,
                clientTimestamp: null,
                mediaId: '',
                x3dhPrekey: '',
                at: 1000 + n,
              },
            },
          ],
        },
      });
      assert.equal(outcome.kind, 'appended');
      if (outcome.kind === 'appended') [last, prev] = [outcome.seq, outcome.hash];
      return outcome.seq;
    };
    return { sender, recipient, conversationId, send };
  }

  it('hands over at the hub position: the older messages from the inbox, the newer from the commit with the views stopped, each once, in order', async () => {
    const { sender, recipient, conversationId, send } = newConversation('m');
    // A hub that remembers one commit only: the backlog must come from the views.
    const hub = new LiveHub(
      commitSource(log, STREAMS.messages),
      new GroupRosters({ load: () => Promise.reject(new Error('no groups')), commitsFrom: async function* () {} }),
      silentLogger,
      { ringCommits: 1 },
    );
    await hub.start();
    const older: number[] = [];
    for (let n = 0; n < 5; n++) older.push(await send(n));
    const inbox = new ProjectionRunner(
      log,
      inboxProjection(stores.kv, inboxAnnouncer(log.signals)) as Projection<unknown>,
      silentLogger,
      { ordered: true },
    );
    const timeline = new ProjectionRunner(
      log,
      timelineProjection(stores.timeline, log) as Projection<unknown>,
      silentLogger,
      { ordered: true },
    );
    await inbox.start();
    await timeline.start();
    assert.ok(await inbox.waitFor(older[4]!, 10_000));
    assert.ok(await timeline.waitFor(older[4]!, 10_000));
    assert.ok(await hub.waitFor(older[4]!, 10_000));
    const delivery = new DeviceDelivery({
      ...feedViews(stores),
      signals: log.signals,
      progressOf: (v) => (v === 'inbox' ? inbox : timeline),
      logger: silentLogger,
      live: hub,
    });
    const got: string[] = [];
    const seqs: number[] = [];
    const feed = delivery.follow({
      userId: recipient,
      deviceId: 'dev-r',
      after: 0,
      receipts: false,
      pollMs: 100,
      sink: {
        deliver: (e) => {
          if (e.kind === 'message') {
            got.push(Buffer.from(e.record.encryptedContent).toString());
            seqs.push(e.seq);
          }
        },
      },
    });
    try {
      const deadline = Date.now() + 10_000;
      while (got.length < 5 && Date.now() < deadline) await sleep(20);
      assert.deepEqual(got, ['m0', 'm1', 'm2', 'm3', 'm4'], 'the backlog, from the views');
      // The views stop: what comes now can only come from the commit.
      await inbox.stop();
      await timeline.stop();
      const newer: number[] = [];
      for (let n = 5; n < 10; n++) newer.push(await send(n));
      while (got.length < 10 && Date.now() < deadline) await sleep(20);
      assert.deepEqual(
        got,
        ['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', 'm9'],
        'then live, each once, in order',
      );
      assert.deepEqual(seqs, [...older, ...newer]);
    } finally {
      feed.stop();
      await feed.done;
      await hub.stop();
    }
  });

  it('a device that does not read drops its live queue and catches up from the views, still each message once, in order', async () => {
    const { sender, recipient, conversationId, send } = newConversation('q');
    const hub = new LiveHub(
      commitSource(log, STREAMS.messages),
      new GroupRosters({ load: () => Promise.reject(new Error('no groups')), commitsFrom: async function* () {} }),
      silentLogger,
      { ringCommits: 1 },
    );
    await hub.start();
    const inbox = new ProjectionRunner(
      log,
      inboxProjection(stores.kv, inboxAnnouncer(log.signals)) as Projection<unknown>,
      silentLogger,
      { ordered: true },
    );
    const timeline = new ProjectionRunner(
      log,
      timelineProjection(stores.timeline, log) as Projection<unknown>,
      silentLogger,
      { ordered: true },
    );
    await inbox.start();
    await timeline.start();
    const delivery = new DeviceDelivery({
      ...feedViews(stores),
      signals: log.signals,
      progressOf: (v) => (v === 'inbox' ? inbox : timeline),
      logger: silentLogger,
      live: hub,
    });
    const got: string[] = [];
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => (release = r));
    const feed = delivery.follow({
      userId: recipient,
      deviceId: 'dev-r',
      after: hub.position,
      receipts: false,
      pollMs: 100,
      liveQueue: 4,
      sink: {
        deliver: async (e) => {
          if (e.kind === 'message') got.push(Buffer.from(e.record.encryptedContent).toString());
          if (got.length === 1) await held;
        },
      },
    });
    try {
      const seqs: number[] = [await send(0)];
      const deadline = Date.now() + 10_000;
      while (got.length < 1 && Date.now() < deadline) await sleep(20);
      // The device holds the first; ten more overflow its live queue of four.
      for (let n = 1; n <= 10; n++) seqs.push(await send(n));
      assert.ok(await hub.waitFor(seqs[10]!, 10_000));
      release();
      while (got.length < 11 && Date.now() < deadline) await sleep(20);
      assert.deepEqual(
        got,
        Array.from({ length: 11 }, (_, n) => `q${n}`),
        'each once, in order, after the catch-up',
      );
      await sleep(300);
      assert.equal(got.length, 11);
    } finally {
      release();
      feed.stop();
      await feed.done;
      await hub.stop();
      await inbox.stop();
      await timeline.stop();
    }
  });
});
