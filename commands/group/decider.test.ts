/** The group decider: creation, roles, membership changes, owner handover, sends. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import { fold } from '../handler/decider.ts';
import {
  groupDecider as decider,
  successorOf,
  type AddGroupMember,
  type GroupCommand,
  type GroupEvent,
  type GroupMessageFacts,
  type GroupState,
  type SendGroupMessage,
} from './decider.ts';

const G = '00000000-0000-4000-8000-0000000000f0';
const u = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const owner = u(1);
const admin = u(2);
const member = u(3);
const stranger = u(9);
const state0 = Uint8Array.of(0xaa, 0xbb);

function decide(command: GroupCommand, state: GroupState): readonly GroupEvent[] {
  const r = decider.decide(command, state);
  assert.ok(isRight(r), JSON.stringify(r));
  return r.right;
}

function refused(command: GroupCommand, state: GroupState, code: string, field?: string): void {
  const r = decider.decide(command, state);
  assert.ok(isLeft(r), `expected ${code}, got ${JSON.stringify(r)}`);
  assert.equal(r.left.code, code, r.left.message);
  if (field !== undefined) assert.equal(r.left.field, field);
}

const run = (state: GroupState, command: GroupCommand) => fold(decider, state, decide(command, state));

const create = (members: string[], maxMembers = 10) => ({
  kind: 'CreateGroup' as const,
  groupId: G,
  name: 'Team',
  ownerUserId: owner,
  memberUserIds: members,
  mlsGroupState: state0,
  maxMembers,
  at: 1,
});
const add = (actor: string, userId: string, over: Partial<AddGroupMember> = {}): AddGroupMember => ({
  kind: 'AddGroupMember',
  groupId: G,
  actorUserId: actor,
  userId,
  deviceId: '',
  role: 'member',
  userExists: true,
  mlsGroupState: state0,
  maxMembers: 10,
  at: 2,
  ...over,
});
const remove = (actor: string, userId: string) => ({
  kind: 'RemoveGroupMember' as const,
  groupId: G,
  actorUserId: actor,
  userId,
  mlsGroupState: state0,
  at: 3,
});
const leave = (userId: string) => ({ kind: 'LeaveGroup' as const, groupId: G, userId, at: 4 });
const send = (sender: string, messageId = 'm1'): SendGroupMessage => ({
  kind: 'SendGroupMessage',
  groupId: G,
  messageId,
  senderUserId: sender,
  senderDeviceId: 'd',
  encryptedContent: Uint8Array.of(1, 2, 3),
  messageType: 'TEXT',
  clientMessageId: 'c1',
  clientTimestamp: { seconds: 5, nanos: 6 },
  mediaId: '',
  at: 5,
});

/** Joined in this order: owner, member, admin (added as admin). */
function team(): GroupState {
  return run(run(decider.initialState, create([member])), add(owner, admin, { role: 'admin' }));
}

const roles = (s: GroupState) => [...s.members].map(([id, role]) => `${id.slice(-1)}:${role}`);

describe('group decider: creation', () => {
  it('makes the creator the owner and the listed users members, without repeats or the creator twice', () => {
    const events = decide(create([member, admin, member, owner]), decider.initialState);
    assert.equal(events.length, 1);
    const e = events[0]!;
    assert.equal(e.type, 'GroupCreated');
    if (e.type === 'GroupCreated') {
      assert.deepEqual(e.data.members, [
        { userId: owner, role: 'owner' },
        { userId: member, role: 'member' },
        { userId: admin, role: 'member' },
      ]);
      assert.equal(e.data.ownerUserId, owner);
      assert.deepEqual([...e.data.mlsGroupState], [0xaa, 0xbb]);
      assert.equal(e.data.name, 'Team');
    }
    const s = fold(decider, decider.initialState, events);
    assert.equal(s.ownerUserId, owner);
    assert.deepEqual(roles(s), ['1:owner', '3:member', '2:member']);
  });

  it('enforces the size limit, the creator included', () => {
    assert.equal(decide(create([admin, member], 3), decider.initialState).length, 1);
    refused(create([admin, member, u(4)], 3), decider.initialState, 'INVALID_REQUEST', 'member_user_ids');
  });

  it('refuses to create a group id twice', () => {
    refused(create([]), team(), 'CONFLICT', 'group_id');
  });

  it('resumes from a creation commit alone, and replays after anything else', () => {
    const events = decide(create([member]), decider.initialState);
    const resumed = decider.fromLastCommit!(events);
    assert.ok(resumed);
    assert.deepEqual(roles(resumed), ['1:owner', '3:member']);
    assert.equal(decider.fromLastCommit!(decide(send(member), team())), undefined);
  });
});

describe('group decider: adding members', () => {
  it('lets the owner add members and admins', () => {
    const s = run(run(decider.initialState, create([])), add(owner, admin, { role: 'admin' }));
    const e = decide(add(owner, member, { deviceId: 'dev' }), s)[0]!;
    assert.equal(e.type, 'GroupMemberAdded');
    if (e.type === 'GroupMemberAdded') {
      assert.deepEqual(
        { ...e.data, mlsGroupState: [...e.data.mlsGroupState] },
        {
          groupId: G,
          userId: member,
          deviceId: 'dev',
          role: 'member',
          addedBy: owner,
          mlsGroupState: [0xaa, 0xbb],
          at: 2,
        },
      );
    }
    assert.deepEqual(roles(s), ['1:owner', '2:admin']);
  });

  it('lets an admin add members but not admins', () => {
    assert.equal(decide(add(admin, u(5)), team()).length, 1);
    refused(add(admin, u(5), { role: 'admin' }), team(), 'FORBIDDEN', 'role');
  });

  it('refuses a plain member (FORBIDDEN), a non-member (FORBIDDEN) and an unknown group (NOT_FOUND)', () => {
    refused(add(member, u(5)), team(), 'FORBIDDEN', 'group_id');
    refused(add(stranger, u(5)), team(), 'FORBIDDEN', 'group_id');
    refused(add(owner, u(5)), decider.initialState, 'NOT_FOUND', 'group_id');
  });

  it('checks authorization before saying whether the user exists', () => {
    refused(add(stranger, u(5), { userExists: false }), team(), 'FORBIDDEN');
    refused(add(owner, u(5), { userExists: false }), team(), 'NOT_FOUND', 'member_user_id');
  });

  it('changes nothing when the user already belongs', () => {
    assert.deepEqual(decide(add(owner, member), team()), []);
    assert.deepEqual(decide(add(owner, admin, { role: 'member' }), team()), []);
  });

  it('refuses to grow a full group (CONFLICT)', () => {
    refused(add(owner, u(5), { maxMembers: 3 }), team(), 'CONFLICT', 'group_id');
    assert.equal(decide(add(owner, u(5), { maxMembers: 4 }), team()).length, 1);
  });
});

describe('group decider: removing members', () => {
  it('lets the owner remove admins and members', () => {
    assert.deepEqual(roles(team()), ['1:owner', '3:member', '2:admin']);
    assert.deepEqual(roles(run(team(), remove(owner, admin))), ['1:owner', '3:member']);
    assert.deepEqual(roles(run(team(), remove(owner, member))), ['1:owner', '2:admin']);
  });

  it('lets an admin remove members and admins, never the owner', () => {
    const two = run(team(), add(owner, u(4), { role: 'admin' }));
    assert.deepEqual(roles(run(two, remove(admin, member))), ['1:owner', '2:admin', '4:admin']);
    assert.deepEqual(roles(run(two, remove(admin, u(4)))), ['1:owner', '3:member', '2:admin']);
    refused(remove(admin, owner), team(), 'FORBIDDEN', 'member_user_id');
  });

  it('refuses plain members, non-members and unknown groups', () => {
    refused(remove(member, admin), team(), 'FORBIDDEN', 'group_id');
    refused(remove(stranger, member), team(), 'FORBIDDEN', 'group_id');
    refused(remove(owner, member), decider.initialState, 'NOT_FOUND', 'group_id');
  });

  it('answers NOT_FOUND for a user who is not a member, and sends the caller to LeaveGroup', () => {
    refused(remove(owner, stranger), team(), 'NOT_FOUND', 'member_user_id');
    refused(remove(owner, owner), team(), 'INVALID_REQUEST', 'member_user_id');
    refused(remove(admin, admin), team(), 'INVALID_REQUEST', 'member_user_id');
  });

  it('takes a removed member out: no sending, no changing', () => {
    const s = run(team(), remove(owner, admin));
    refused(send(admin), s, 'FORBIDDEN');
    refused(add(admin, u(5)), s, 'FORBIDDEN');
  });
});

describe('group decider: leaving and owner handover', () => {
  it('lets a member leave', () => {
    const e = decide(leave(member), team());
    assert.deepEqual(
      e.map((x) => x.data),
      [{ groupId: G, userId: member, at: 4 }],
    );
    assert.deepEqual(roles(run(team(), leave(member))), ['1:owner', '2:admin']);
  });

  it('hands ownership to the longest-standing admin when the owner leaves', () => {
    // Joined in this order: owner, member(3), admin(2), admin(4).
    const s = run(team(), add(owner, u(4), { role: 'admin' }));
    const e = decide(leave(owner), s)[0]!;
    assert.equal(e.type === 'GroupMemberLeft' ? e.data.newOwnerUserId : '', admin);
    const after = run(s, leave(owner));
    assert.equal(after.ownerUserId, admin);
    assert.deepEqual(roles(after), ['3:member', '2:owner', '4:admin']);
    // The new owner has the owner's rights.
    assert.equal(decide(add(admin, u(6), { role: 'admin' }), after).length, 1);
  });

  it('hands ownership to the longest-standing member when there is no admin', () => {
    const s = run(run(run(decider.initialState, create([u(5), u(6)])), remove(owner, u(5))), add(owner, u(5)));
    // u(5) was removed and added again: u(6) is now the longest-standing.
    assert.equal(successorOf(s.members, owner), u(6));
    const after = run(s, leave(owner));
    assert.equal(after.ownerUserId, u(6));
    assert.deepEqual(roles(after), ['6:owner', '5:member']);
  });

  it('empties the group when the last member leaves; nobody can change it any more', () => {
    let s = run(decider.initialState, create([member]));
    s = run(s, leave(owner));
    assert.equal(s.ownerUserId, member);
    const last = decide(leave(member), s)[0]!;
    assert.equal(last.type === 'GroupMemberLeft' ? last.data.newOwnerUserId : 'x', undefined);
    s = run(s, leave(member));
    assert.equal(s.members.size, 0);
    assert.equal(s.ownerUserId, null);
    refused(send(member), s, 'FORBIDDEN');
    refused(add(member, owner), s, 'FORBIDDEN');
    refused(leave(member), s, 'FORBIDDEN');
  });

  it('refuses a non-member (FORBIDDEN) and an unknown group (NOT_FOUND)', () => {
    refused(leave(stranger), team(), 'FORBIDDEN', 'group_id');
    refused(leave(owner), decider.initialState, 'NOT_FOUND', 'group_id');
  });
});

describe('group decider: sending', () => {
  it('lets every member send, carrying the message as given', () => {
    for (const sender of [owner, admin, member]) {
      const e = decide(send(sender), team())[0]!;
      assert.equal(e.type, 'GroupMessageSent');
      if (e.type === 'GroupMessageSent') {
        assert.equal(e.data.senderUserId, sender);
        assert.deepEqual([...e.data.encryptedContent], [1, 2, 3]);
        assert.deepEqual(e.data.clientTimestamp, { seconds: 5, nanos: 6 });
        assert.equal(e.data.groupId, G);
        assert.equal('kind' in e.data, false);
      }
    }
  });

  it('refuses a non-member (FORBIDDEN) and an unknown group (NOT_FOUND)', () => {
    refused(send(stranger), team(), 'FORBIDDEN', 'group_id');
    refused(send(owner), decider.initialState, 'NOT_FOUND', 'group_id');
  });

  it('leaves the state as it is', () => {
    const s = team();
    assert.equal(fold(decider, s, decide(send(member), s)), s);
  });
});

describe('group decider: deleting and reading messages', () => {
  const msg = (over: Partial<GroupMessageFacts> = {}): GroupMessageFacts => ({
    messageId: 'm1',
    seq: 10,
    senderUserId: member,
    at: 1000,
    deleted: false,
    hiddenFor: [],
    ...over,
  });
  const joined = { joinSeq: 1, readUpTo: 0 };
  const del = (
    userId: string,
    forEveryone: boolean,
    over: Partial<GroupMessageFacts> = {},
    at = 2000,
    member_ = joined,
  ) => ({
    kind: 'DeleteGroupMessage' as const,
    groupId: G,
    userId,
    member: member_,
    message: msg(over),
    forEveryone,
    windowMs: 60_000,
    at,
  });
  const read = (reader: string, messages: GroupMessageFacts[], member_ = joined) => ({
    kind: 'MarkGroupMessagesRead' as const,
    groupId: G,
    readerUserId: reader,
    readerDeviceId: 'd2',
    member: member_,
    messages,
    at: 3000,
  });

  it('lets the sender delete for everyone within the window, once', () => {
    const events = decide(del(member, true), team());
    assert.deepEqual(
      events.map((e) => e.type),
      ['GroupMessageDeleted'],
    );
    assert.deepEqual(decide(del(member, true, { deleted: true }), team()), []);
  });

  it('refuses deleting for everyone by anyone but the sender (the owner included) and after the window', () => {
    refused(del(owner, true), team(), 'FORBIDDEN', 'delete_for_everyone');
    refused(del(admin, true), team(), 'FORBIDDEN', 'delete_for_everyone');
    refused(del(member, true, {}, 1000 + 60_001), team(), 'FORBIDDEN', 'delete_for_everyone');
  });

  it('hides a message for the caller only, once; a non-member is FORBIDDEN; a message before joining is NOT_FOUND', () => {
    const events = decide(del(owner, false), team());
    assert.equal(events[0]?.type, 'GroupMessageHidden');
    assert.deepEqual(decide(del(owner, false, { hiddenFor: [owner] }), team()), []);
    refused(del(stranger, false), team(), 'FORBIDDEN', 'group_id');
    refused(del(admin, false, {}, 2000, { joinSeq: 10, readUpTo: 0 }), team(), 'NOT_FOUND', 'message_id');
  });

  it('takes read receipts from members who did not send the messages, moving the read position forward only', () => {
    const events = decide(read(owner, [msg(), msg({ messageId: 'm2', seq: 12 }), msg()]), team());
    assert.equal(events.length, 1);
    const e = events[0]!;
    assert.ok(e.type === 'GroupMessagesRead');
    if (e.type === 'GroupMessagesRead') {
      assert.deepEqual(e.data.messageIds, ['m1', 'm2']);
      assert.equal(e.data.uptoSeq, 12);
    }
    assert.deepEqual(decide(read(owner, [msg()], { joinSeq: 1, readUpTo: 10 }), team()), [], 'already read');
    assert.deepEqual(decide(read(owner, [msg({ deleted: true })]), team()), [], 'nothing left to read');
    refused(read(member, [msg()]), team(), 'FORBIDDEN', 'message_ids');
    refused(read(stranger, [msg()]), team(), 'FORBIDDEN', 'group_id');
    refused(read(admin, [msg()], { joinSeq: 11, readUpTo: 0 }), team(), 'NOT_FOUND', 'message_ids');
  });
});
