/**
 * Aggregate snapshots against a real nats-server and a key-value store in
 * memory: a new handler resumes a long group from its snapshot (reading only
 * the commits after it) to the same state a full replay gives; a snapshot
 * that does not match the log (another hash, another version) is ignored.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isRight } from 'fp-ts/lib/Either.js';
import { withNatsServer, type TestNatsServer } from '../../test/support/nats.ts';
import { silentLogger } from '../../runtime/logger.ts';
import { EventLog } from '../../streams/log.ts';
import { eventRegistry } from '../../streams/events/index.ts';
import { STREAMS, subjects } from '../../streams/subjects.ts';
import { CommandHandler } from './handler.ts';
import { groupDecider, type GroupCommand } from '../group/decider.ts';
import { KvSnapshotStore, type SnapshotKv } from './snapshots.ts';

/** A key-value store in memory: the snapshots' get and put, keyed by the bytes. */
function memoryKv(): SnapshotKv {
  const values = new Map<string, Uint8Array>();
  const hex = (k: Uint8Array) => Buffer.from(k).toString('hex');
  return {
    get: async (k) => values.get(hex(k)),
    put: async (k, v) => void values.set(hex(k), v),
  };
}
/** The tuple key `snapshot/<subject>`, as bin/ passes it. */
const snapshotKey = (subject: string) => Buffer.from(`snapshot\u0000${subject}`);

const G = '00000000-0000-4000-8000-00000000a0a0';
const u = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('aggregate snapshots', () => {
  let nats: TestNatsServer;
  let log: EventLog;
  const kv = memoryKv();

  before(async () => {
    nats = await withNatsServer();
    log = await EventLog.connect(nats.url, eventRegistry, silentLogger);
    await log.ensureStreams();
  });
  after(async () => {
    await log?.close();
    await nats?.stop();
  });

  let n = 0;
  const run = (handler: CommandHandler, command: GroupCommand) =>
    handler.handle({
      stream: STREAMS.messages,
      subject: subjects.group(G),
      decider: groupDecider,
      command,
      meta: { commandId: `snap-${++n}`, command: command.kind, correlationId: 'c', causationId: 'c', actor: null },
    });

  /** The log with its reads of a subject recorded (from which sequence). */
  function spying(reads: number[]): EventLog {
    return new Proxy(log, {
      get(target, prop, receiver) {
        if (prop === 'readSubject')
          return (stream: string, subject: string, fromSeq?: number) => {
            reads.push(fromSeq ?? 1);
            return target.readSubject(stream, subject, fromSeq);
          };
        const v = Reflect.get(target, prop, receiver);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
  }

  it('resumes a long group from its snapshot to the state a full replay gives', async () => {
    const snapshots = new KvSnapshotStore(kv, snapshotKey);
    const writer = new CommandHandler(log, { snapshots, snapshotEvery: 10 });
    assert.ok(
      isRight(
        await run(writer, {
          kind: 'CreateGroup',
          groupId: G,
          name: 'g',
          ownerUserId: u(1),
          memberUserIds: [u(2)],
          mlsGroupState: Uint8Array.of(1),
          maxMembers: 10,
          at: 1,
        }),
      ),
    );
    for (let i = 0; i < 25; i++) {
      const sent = await run(writer, {
        kind: 'SendGroupMessage',
        groupId: G,
        messageId: `m${i}`,
        senderUserId: u(1 + (i % 2)),
        senderDeviceId: 'd',
        encryptedContent: Uint8Array.of(i),
        messageType: 'TEXT',
        clientMessageId: '',
        clientTimestamp: null,
        mediaId: '',
        at: 2 + i,
      });
      assert.ok(isRight(sent));
      if (i === 12)
        assert.ok(
          isRight(
            await run(writer, {
              kind: 'AddGroupMember',
              groupId: G,
              actorUserId: u(1),
              userId: u(3),
              deviceId: '',
              role: 'admin',
              userExists: true,
              mlsGroupState: Uint8Array.of(2),
              maxMembers: 10,
              at: 20,
            }),
          ),
        );
    }
    const snap = await snapshots.get(subjects.group(G));
    assert.ok(snap, 'a snapshot was taken');
    const last = await log.last(STREAMS.messages, subjects.group(G));
    assert.ok(snap.seq < last!.seq && snap.seq > 1, 'the snapshot is of a commit in the middle of the subject');

    const reads: number[] = [];
    const fresh = new CommandHandler(spying(reads), { snapshots });
    const resumed = await fresh.load(STREAMS.messages, subjects.group(G), groupDecider);
    assert.deepEqual(reads, [snap.seq + 1], 'only the commits after the snapshot are read');
    const replayed = await new CommandHandler(log).load(STREAMS.messages, subjects.group(G), groupDecider);
    assert.equal(resumed.seq, replayed.seq);
    assert.equal(resumed.hash, replayed.hash);
    assert.deepEqual([...resumed.state.members], [...replayed.state.members]);
    assert.deepEqual(
      [...resumed.state.members],
      [
        [u(1), 'owner'],
        [u(2), 'member'],
        [u(3), 'admin'],
      ],
    );
    assert.equal(resumed.state.ownerUserId, replayed.state.ownerUserId);
  });

  it('ignores a snapshot that does not match the log (another hash or another version) and replays from the start', async () => {
    const snapshots = new KvSnapshotStore(kv, snapshotKey);
    const subject = subjects.group(G);
    const good = await snapshots.get(subject);
    assert.ok(good);
    for (const bad of [
      { ...good, hash: 'f'.repeat(64), state: { created: true, ownerUserId: null, members: [] } },
      { ...good, version: 99 },
    ]) {
      await snapshots.put(subject, bad);
      const reads: number[] = [];
      const loaded = await new CommandHandler(spying(reads), { snapshots }).load(
        STREAMS.messages,
        subject,
        groupDecider,
      );
      assert.deepEqual(reads, [1], 'replayed from the first commit');
      assert.equal(loaded.state.members.size, 3);
    }
    // Undecodable bytes are no snapshot either.
    await kv.put(snapshotKey(subject), Buffer.from('not json'));
    assert.equal(await snapshots.get(subject), undefined);
  });
});
