/**
 * The live hub on a commit source held in memory: what it decodes while nobody listens, what it
 * remembers, and what it hands to listeners.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CommitSource, CommitStream, FollowedCommit } from '../../streams/commit-follower.ts';
import type { StoredCommit } from '../../streams/envelope.ts';
import { subjects } from '../../streams/subjects.ts';
import { silentLogger } from '../../runtime/logger.ts';
import { GroupRosters } from './group-rosters.ts';
import { LiveHub, type LiveItem } from './live-hub.ts';

const CONVERSATION = '5f0c8a52-1d0e-4d36-9a4c-0a3f4b7d2e11';
const GROUP = '7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

/** A source whose commits are pushed by the test; counts how many were decoded (their `commit` read). */
function memorySource(): { source: CommitSource; push(c: StoredCommit): void; readonly decoded: number[] } {
  const queue: FollowedCommit[] = [];
  let wake: (() => void) | undefined;
  let closed = false;
  const decoded: number[] = [];
  const stream: CommitStream = {
    async *[Symbol.asyncIterator]() {
      while (!closed) {
        const next = queue.shift();
        if (next !== undefined) {
          yield next;
          continue;
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
    },
    async close() {
      closed = true;
      wake?.();
    },
  };
  return {
    source: { head: async () => 0, follow: () => stream },
    push(c) {
      queue.push({
        seq: c.seq,
        subject: c.subject,
        get commit() {
          decoded.push(c.seq);
          return c;
        },
      });
      wake?.();
    },
    decoded,
  };
}

function messageCommit(seq: number, from: string, to: string): StoredCommit {
  return {
    stream: 'MESSAGES',
    subject: subjects.conversation(CONVERSATION),
    seq,
    prev: '',
    hash: '',
    body: new Uint8Array(),
    commandId: `c${seq}`,
    command: 'SendMessage',
    correlationId: 'x',
    causationId: 'x',
    actor: { userId: from, deviceId: 'd1' },
    at: 1,
    events: [
      {
        type: 'MessageSent',
        data: {
          messageId: `m${seq}`,
          conversationId: CONVERSATION,
          senderUserId: from,
          senderDeviceId: 'd1',
          recipientUserId: to,
          recipientDeviceId: '',
          encryptedContent: new Uint8Array([seq]),
          messageType: 'TEXT',
          clientMessageId: '',
          clientTimestamp: null,
          mediaId: '',
          x3dhPrekey: '',
          at: 1,
        },
      },
    ],
  } as unknown as StoredCommit;
}

function groupCreated(seq: number, members: string[]): StoredCommit {
  return {
    ...messageCommit(seq, members[0]!, members[0]!),
    subject: subjects.group(GROUP),
    command: 'CreateGroup',
    events: [{ type: 'GroupCreated', data: { groupId: GROUP, members: members.map((userId) => ({ userId })) } }],
  } as unknown as StoredCommit;
}

const noRosters = () =>
  new GroupRosters({ load: () => Promise.reject(new Error('no groups here')), commitsFrom: async function* () {} });

describe('live hub', () => {
  it('decodes no 1:1 commit while nobody listens, forgets what it held, and decodes again once a device listens', async () => {
    const mem = memorySource();
    const hub = new LiveHub(mem.source, noRosters(), silentLogger);
    await hub.start();
    try {
      const got: LiveItem[] = [];
      // A listener first: commits 1-2 are decoded, handed over and remembered.
      const first = hub.listen('bob', (items) => got.push(...items));
      mem.push(messageCommit(1, 'alice', 'bob'));
      mem.push(messageCommit(2, 'alice', 'bob'));
      assert.ok(await hub.waitFor(2, 10_000));
      assert.deepEqual(mem.decoded, [1, 2]);
      assert.deepEqual(
        got.map((i) => i.seq),
        [1, 2],
      );
      assert.deepEqual(
        hub.recent('bob', 0, 2)?.map((i) => i.seq),
        [1, 2],
      );
      // Nobody listens: commits 3-4 pass undecoded, and memory no longer claims to reach back.
      first.stop();
      mem.push(messageCommit(3, 'alice', 'bob'));
      mem.push(messageCommit(4, 'alice', 'bob'));
      assert.ok(await hub.waitFor(4, 10_000));
      assert.deepEqual(mem.decoded, [1, 2], 'no decode while nobody listens');
      assert.equal(hub.position, 4);
      assert.equal(hub.recent('bob', 0, 4), undefined, 'before the passed commits: read the views');
      assert.equal(hub.recent('bob', 2, 4), undefined, 'the passed commits are not in memory');
      assert.deepEqual(hub.recent('bob', 4, 4), [], 'from the position on, memory is whole again');
      // A device listens again: from its position on, every commit is decoded and handed over.
      const again = hub.listen('bob', (items) => got.push(...items));
      assert.equal(again.from, 4);
      mem.push(messageCommit(5, 'alice', 'bob'));
      assert.ok(await hub.waitFor(5, 10_000));
      assert.deepEqual(mem.decoded, [1, 2, 5]);
      assert.deepEqual(
        got.map((i) => i.seq),
        [1, 2, 5],
      );
      assert.deepEqual(
        hub.recent('bob', 4, 5)?.map((i) => i.seq),
        [5],
      );
      again.stop();
    } finally {
      await hub.stop();
    }
  });

  it('decodes group commits while nobody listens: they keep the rosters current', async () => {
    const mem = memorySource();
    const rosters = noRosters();
    const hub = new LiveHub(mem.source, rosters, silentLogger);
    await hub.start();
    try {
      mem.push(groupCreated(1, ['alice', 'bob']));
      assert.ok(await hub.waitFor(1, 10_000));
      assert.deepEqual(mem.decoded, [1]);
      // Known from the commit: no load (which would fail here).
      assert.deepEqual([...(await rosters.membersAt(GROUP, 1))].sort(), ['alice', 'bob']);
    } finally {
      await hub.stop();
    }
  });
});
