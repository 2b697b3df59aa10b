/**
 * The groups view and group rows of the timeline, fed with commits decided by
 * the group decider: membership with join sequences, recency order, owner
 * handover, and the reads (GetGroups, GetGroupById, GetGroupMessages) over them.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import { openEmbeddedStores, type EmbeddedStores } from '../../stores/embedded.ts';
import type { StoredCommit } from '../../streams/envelope.ts';
import type { EventLog } from '../../streams/log.ts';
import { groupDecider, type GroupCommand, type GroupState } from '../../commands/group/decider.ts';
import { fold } from '../../commands/handler/decider.ts';
import { timelineProjection } from '../timeline/projector.ts';
import { TimelineView } from '../timeline/queries.ts';
import { groupsProjection } from './projector.ts';
import { GroupsView } from './queries.ts';
import { getGroupById, getGroups, groupsCursor, type GroupReadDeps } from './get-groups.ts';
import { getGroupMessages } from './get-group-messages.ts';

const id = (prefix: string, n: number) =>
  `00000000-0000-4000-8000-${prefix}${String(n).padStart(12 - prefix.length, '0')}`;
const [ann, bob, cat, dan] = [1, 2, 3, 4].map((n) => id('a', n)) as [string, string, string, string];
const names = new Map([
  [ann, 'ann'],
  [bob, 'bob'],
  [cat, 'cat'],
]);

describe('groups view and group timeline', () => {
  let dir: string;
  let stores: EmbeddedStores;
  let seq = 0;
  const states = new Map<string, GroupState>();

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-groups-'));
    stores = await openEmbeddedStores(dir);
  });
  after(async () => {
    await stores.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const reads = (): GroupReadDeps => ({
    groups: new GroupsView(stores.kv),
    timeline: new TimelineView(stores.timeline),
    users: {
      usernamesOf: async (ids: readonly string[]) =>
        new Map(ids.filter((i) => names.has(i)).map((i) => [i, names.get(i)!])),
    },
    groupsProgress: undefined,
    timelineProgress: undefined,
    lastSeq: async () => seq,
    minSeqWaitMs: 0,
  });

  /** Decides a command on the group's state and applies its commit to both views; returns the commit's sequence. */
  async function run(command: GroupCommand & { groupId: string }): Promise<number> {
    const state = states.get(command.groupId) ?? groupDecider.initialState;
    const r = groupDecider.decide(command, state);
    assert.ok(isRight(r), JSON.stringify(r));
    assert.ok(r.right.length > 0);
    seq += 1;
    states.set(command.groupId, fold(groupDecider, state, r.right));
    const commit: StoredCommit = {
      stream: 'MESSAGES',
      subject: `messages.group.${command.groupId}`,
      seq,
      prev: '',
      hash: '',
      body: new Uint8Array(0),
      commandId: `c${seq}`,
      command: command.kind,
      correlationId: 'x',
      causationId: 'x',
      actor: null,
      at: seq,
      events: r.right,
    };
    for (const p of [groupsProjection(stores.kv), timelineProjection(stores.timeline, {} as EventLog)]) {
      const tx = p.target.begin();
      await p.project(commit, tx as never);
      await p.target.commit(p.name, tx as never, seq, []);
    }
    return seq;
  }

  const create = (groupId: string, owner: string, members: string[], name = 'Team') =>
    run({
      kind: 'CreateGroup',
      groupId,
      name,
      ownerUserId: owner,
      memberUserIds: members,
      mlsGroupState: Uint8Array.of(7),
      maxMembers: 100,
      at: 1000 + seq,
    });
  const add = (groupId: string, actor: string, userId: string, role: 'admin' | 'member' = 'member') =>
    run({
      kind: 'AddGroupMember',
      groupId,
      actorUserId: actor,
      userId,
      deviceId: '',
      role,
      userExists: true,
      mlsGroupState: Uint8Array.of(8),
      maxMembers: 100,
      at: 1000 + seq,
    });
  const send = (groupId: string, from: string, messageId: string) =>
    run({
      kind: 'SendGroupMessage',
      groupId,
      messageId,
      senderUserId: from,
      senderDeviceId: 'dev',
      encryptedContent: Buffer.from(`secret ${messageId}`),
      messageType: 'TEXT',
      clientMessageId: `c-${messageId}`,
      clientTimestamp: null,
      mediaId: '',
      at: 1000 + seq,
    });

  async function history(groupId: string, userId: string, limit = 100): Promise<string[]> {
    const r = await getGroupMessages(reads(), {
      callerUserId: userId,
      groupId,
      limit,
      page: 1,
      cursor: '',
      fromTime: undefined,
      toTime: undefined,
      minSeq: 0,
    });
    assert.ok(isRight(r), JSON.stringify(r));
    return r.right.messages.map((m) => m.messageId);
  }

  async function listed(userId: string, limit = 100): Promise<string[]> {
    const r = await getGroups(reads(), { callerUserId: userId, limit, cursor: '', minSeq: 0 });
    assert.ok(isRight(r));
    return r.right.groups.map((g) => g.group.groupId);
  }

  const G1 = id('b', 1);
  const G2 = id('b', 2);
  const G3 = id('b', 3);

  it('records a new group with its members, roles and join sequence', async () => {
    const at = await create(G1, ann, [bob]);
    const view = new GroupsView(stores.kv);
    const g = await view.group(G1);
    assert.deepEqual(g, {
      groupId: G1,
      name: 'Team',
      creatorUserId: ann,
      ownerUserId: ann,
      createdAt: 1000,
      updatedAt: 1000,
      lastSeq: at,
      memberCount: 2,
      messageCount: 0,
      lastMessageSeq: 0,
    });
    assert.deepEqual(await view.member(G1, bob), {
      userId: bob,
      role: 'member',
      deviceId: '',
      joinedAt: 1000,
      joinSeq: at,
      joinIndex: 1,
      messagesAtJoin: 0,
    });
    const byId = await getGroupById(reads(), { callerUserId: bob, groupId: G1, minSeq: 0 });
    assert.ok(isRight(byId));
    assert.deepEqual(
      byId.right.group.members.map((m) => [m.username, m.role]),
      [
        ['ann', 'owner'],
        ['bob', 'member'],
      ],
    );
    assert.equal(byId.right.group.lastMessage, undefined);
  });

  it('stores group messages in the timeline under the group, newest first, with the sender', async () => {
    await send(G1, ann, 'g1m1');
    await send(G1, bob, 'g1m2');
    assert.deepEqual(await history(G1, ann), ['g1m2', 'g1m1']);
    const r = await getGroupMessages(reads(), {
      callerUserId: bob,
      groupId: G1,
      limit: 1,
      page: 1,
      cursor: '',
      fromTime: undefined,
      toTime: undefined,
      minSeq: 0,
    });
    assert.ok(isRight(r));
    const m = r.right.messages[0]!;
    assert.equal(m.conversationId, G1);
    assert.equal(m.senderUserId, bob);
    assert.equal(m.senderUsername, 'bob');
    assert.equal(Buffer.from(m.encryptedContent).toString(), 'secret g1m2');
    assert.equal(r.right.hasMore, true);
    assert.equal(r.right.totalItems, 2);
    const idx = await new GroupsView(stores.kv).messageById('g1m2');
    assert.equal(idx?.groupId, G1);
  });

  it('hides the history before a member joined, and answers NOT_FOUND to non-members', async () => {
    await add(G1, ann, cat);
    assert.deepEqual(await history(G1, cat), []);
    await send(G1, cat, 'g1m3');
    assert.deepEqual(await history(G1, cat), ['g1m3']);
    assert.deepEqual(await history(G1, ann), ['g1m3', 'g1m2', 'g1m1']);
    const total = await getGroupMessages(reads(), {
      callerUserId: cat,
      groupId: G1,
      limit: 10,
      page: 1,
      cursor: '',
      fromTime: undefined,
      toTime: undefined,
      minSeq: 0,
    });
    assert.ok(isRight(total));
    assert.equal(total.right.totalItems, 1);
    for (const r of [
      await getGroupMessages(reads(), {
        callerUserId: dan,
        groupId: G1,
        limit: 10,
        page: 1,
        cursor: '',
        fromTime: undefined,
        toTime: undefined,
        minSeq: 0,
      }),
      await getGroupById(reads(), { callerUserId: dan, groupId: G1, minSeq: 0 }),
      await getGroupById(reads(), { callerUserId: ann, groupId: id('b', 99), minSeq: 0 }),
    ]) {
      assert.ok(isLeft(r));
      assert.equal(r.left.code, 'NOT_FOUND');
    }
  });

  it('shows a member the last message of the group only from after they joined', async () => {
    await create(G2, ann, [bob]);
    await send(G2, ann, 'g2m1');
    await add(G2, ann, cat);
    const forCat = await getGroupById(reads(), { callerUserId: cat, groupId: G2, minSeq: 0 });
    const forBob = await getGroupById(reads(), { callerUserId: bob, groupId: G2, minSeq: 0 });
    assert.ok(isRight(forCat) && isRight(forBob));
    assert.equal(forCat.right.group.lastMessage, undefined);
    assert.equal(forBob.right.group.lastMessage?.messageId, 'g2m1');
    assert.equal(forBob.right.group.lastMessage?.senderUsername, 'ann');
  });

  it("lists a user's groups newest activity first, and pages through them by cursor", async () => {
    await create(G3, bob, [ann]);
    assert.deepEqual(await listed(ann), [G3, G2, G1]);
    await send(G1, ann, 'g1m4');
    assert.deepEqual(await listed(ann), [G1, G3, G2]);
    assert.deepEqual(await listed(cat), [G1, G2]);
    const seen: string[] = [];
    let cursor = '';
    for (;;) {
      const r = await getGroups(reads(), { callerUserId: ann, limit: 2, cursor, minSeq: 0 });
      assert.ok(isRight(r));
      seen.push(...r.right.groups.map((g) => g.group.groupId));
      assert.equal(r.right.hasMore, r.right.nextCursor !== '');
      if (!r.right.hasMore) break;
      cursor = r.right.nextCursor;
    }
    assert.deepEqual(seen, [G1, G3, G2]);
    const bad = await getGroups(reads(), { callerUserId: ann, limit: 2, cursor: 'bm9wZQ', minSeq: 0 });
    assert.ok(isLeft(bad));
    assert.equal(bad.left.code, 'INVALID_REQUEST');
    assert.equal(bad.left.field, 'cursor');
    assert.deepEqual(groupsCursor.decode(groupsCursor.encode({ lastSeq: 12, groupId: G1 })), {
      lastSeq: 12,
      groupId: G1,
    });
  });

  it('hands ownership over when the owner leaves, and takes leavers and removed members out', async () => {
    await add(G1, ann, dan, 'admin');
    await run({ kind: 'LeaveGroup', groupId: G1, userId: ann, at: 5000 });
    const view = new GroupsView(stores.kv);
    assert.equal((await view.group(G1))?.ownerUserId, dan);
    assert.equal((await view.member(G1, dan))?.role, 'owner');
    assert.equal(await view.member(G1, ann), undefined);
    assert.deepEqual(await listed(ann), [G3, G2]);
    const gone = await getGroupMessages(reads(), {
      callerUserId: ann,
      groupId: G1,
      limit: 10,
      page: 1,
      cursor: '',
      fromTime: undefined,
      toTime: undefined,
      minSeq: 0,
    });
    assert.ok(isLeft(gone) && gone.left.code === 'NOT_FOUND');

    await run({
      kind: 'RemoveGroupMember',
      groupId: G1,
      actorUserId: dan,
      userId: cat,
      mlsGroupState: new Uint8Array(0),
      at: 5001,
    });
    assert.deepEqual(await listed(cat), [G2]);
    assert.equal((await view.group(G1))?.memberCount, 2);
    // Added again: a new join, and only what comes after it.
    await add(G1, dan, cat);
    assert.deepEqual(await history(G1, cat), []);
    assert.deepEqual(await listed(cat), [G1, G2]);
  });

  it('empties a group when the last member leaves', async () => {
    await run({ kind: 'LeaveGroup', groupId: G3, userId: bob, at: 6000 });
    await run({ kind: 'LeaveGroup', groupId: G3, userId: ann, at: 6001 });
    const g = await new GroupsView(stores.kv).group(G3);
    assert.equal(g?.memberCount, 0);
    assert.equal(g?.ownerUserId, '');
    assert.deepEqual(await new GroupsView(stores.kv).members(G3), []);
    assert.ok(!(await listed(ann)).includes(G3));
  });

  it('pages through a long group history without gap or repeat, and by legacy page number', async () => {
    const G4 = id('b', 4);
    await create(G4, ann, [bob]);
    const sent: string[] = [];
    for (let i = 0; i < 57; i++) {
      const m = `g4m${i}`;
      await send(G4, i % 2 === 0 ? ann : bob, m);
      sent.push(m);
    }
    const seen: string[] = [];
    let cursor = '';
    for (;;) {
      const r = await getGroupMessages(reads(), {
        callerUserId: bob,
        groupId: G4,
        limit: 10,
        page: 1,
        cursor,
        fromTime: undefined,
        toTime: undefined,
        minSeq: 0,
      });
      assert.ok(isRight(r));
      seen.push(...r.right.messages.map((m) => m.messageId));
      if (!r.right.hasMore) break;
      cursor = r.right.nextCursor;
    }
    assert.deepEqual(seen, [...sent].reverse());
    const page3 = await getGroupMessages(reads(), {
      callerUserId: ann,
      groupId: G4,
      limit: 10,
      page: 3,
      cursor: '',
      fromTime: undefined,
      toTime: undefined,
      minSeq: 0,
    });
    assert.ok(isRight(page3));
    assert.deepEqual(
      page3.right.messages.map((m) => m.messageId),
      [...sent].reverse().slice(20, 30),
    );
    assert.equal(page3.right.totalItems, 57);
  });
});
