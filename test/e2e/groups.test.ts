/**
 * Group RPCs over real gRPC against a real nats-server: CreateGroup,
 * AddGroupMember, RemoveGroupMember, LeaveGroup, SendGroupMessage,
 * GetGroupMessages, GetGroups, GetGroupById. Every authorization rule
 * (non-members, roles, the owner), the owner handover, the size limit,
 * idempotent sends, paging without gap or repeat, history hidden from later
 * members, refusals of malformed input, and a rebuild of the views.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { withNatsServer, type TestNatsServer } from '../support/nats.ts';
import { startTestGuardyn, tempDataDir, uniqueName, type TestGuardyn } from '../support/guardyn.ts';
import { dumpViews } from '../support/views.ts';
import { withEventLog } from '../support/event-log.ts';
import { bearer } from '../../gateways/grpc/client.ts';
import { loadConfig } from '../../runtime/config.ts';
import { silentLogger } from '../../runtime/logger.ts';
import { rebuildViews } from '../../bin/rebuild.ts';
import { openTestStores } from '../support/stores.ts';

interface Account {
  userId: string;
  deviceId: string;
  token: string;
  username: string;
}
type Reply = Record<string, any>;

const UNKNOWN = '00000000-0000-4000-8000-000000000000';
const MAX_GROUP_SIZE = 6;

async function registerUser(g: TestGuardyn, name = uniqueName('grp')): Promise<Account> {
  const r = await g.auth.Register!({
    username: name,
    password: 'correct horse battery',
    email: '',
    device_name: 'laptop',
    device_type: 'desktop',
  });
  assert.equal(r.result, 'success', JSON.stringify(r.error));
  return { userId: r.success.user_id, deviceId: r.success.device_id, token: r.success.access_token, username: name };
}

function expectError(r: Reply, code: string, field?: string): void {
  assert.equal(r.result, 'error', JSON.stringify(r.success));
  assert.equal(r.error.code, code, r.error.message);
  if (field !== undefined) assert.equal(r.error.details.field, field, r.error.message);
}

function ok(r: Reply): Reply {
  assert.equal(r.result, 'success', JSON.stringify(r.error));
  return r.success;
}

const seqOf = (success: Reply): string => String(success.consistency.seq);

describe('group RPCs over gRPC', () => {
  let nats: TestNatsServer;
  let g: TestGuardyn;
  let dataDir: string;
  let owner: Account;
  let admin: Account;
  let member: Account;
  let stranger: Account;
  let spare: Account;

  before(async () => {
    nats = await withNatsServer();
    dataDir = tempDataDir();
    g = await startTestGuardyn(nats.url, {
      dataDir,
      env: { GUARDYN_MESSAGING__MAX_GROUP_SIZE: String(MAX_GROUP_SIZE) },
    });
    owner = await registerUser(g);
    admin = await registerUser(g);
    member = await registerUser(g);
    stranger = await registerUser(g);
    spare = await registerUser(g);
  });
  after(async () => {
    await g?.stop();
    await nats?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const create = async (by: Account, members: Account[], name = 'Team') =>
    ok(
      await g.messaging.CreateGroup!(
        { group_name: name, member_user_ids: members.map((m) => m.userId), mls_group_state: Buffer.from('mls-0') },
        bearer(by.token),
      ),
    );
  const add = (by: Account, groupId: string, who: Account | string, role = '') =>
    g.messaging.AddGroupMember!(
      {
        group_id: groupId,
        member_user_id: typeof who === 'string' ? who : who.userId,
        mls_group_state: Buffer.from('mls-add'),
        role,
      },
      bearer(by.token),
    );
  const remove = (by: Account, groupId: string, who: Account | string) =>
    g.messaging.RemoveGroupMember!(
      {
        group_id: groupId,
        member_user_id: typeof who === 'string' ? who : who.userId,
        mls_group_state: Buffer.from('mls-rm'),
      },
      bearer(by.token),
    );
  const leave = (by: Account, groupId: string) => g.messaging.LeaveGroup!({ group_id: groupId }, bearer(by.token));
  const send = (by: Account, groupId: string, text: string, extra: Record<string, unknown> = {}) =>
    g.messaging.SendGroupMessage!(
      { group_id: groupId, encrypted_content: Buffer.from(text), message_type: 'TEXT', ...extra },
      bearer(by.token),
    );
  const byId = (by: Account, groupId: string, minSeq = '0') =>
    g.messaging.GetGroupById!({ group_id: groupId, min_seq: minSeq }, bearer(by.token));
  const messages = (by: Account, groupId: string, extra: Record<string, unknown> = {}) =>
    g.messaging.GetGroupMessages!({ group_id: groupId, limit: 100, ...extra }, bearer(by.token));

  async function texts(by: Account, groupId: string, minSeq = '0'): Promise<string[]> {
    const r = ok(await messages(by, groupId, { min_seq: minSeq }));
    assert.equal(r.stale, false);
    return r.messages.map((m: Reply) => m.encrypted_content.toString());
  }

  const roles = (info: Reply) => info.members.map((m: Reply) => `${m.username}:${m.role}`);

  it('creates a group owned by its creator, readable by its members at once', async () => {
    const before = Date.now();
    const created = await create(owner, [member, admin, member]);
    assert.match(created.group_id, /^[0-9a-f-]{36}$/);
    assert.equal(created.consistency.stream, 'MESSAGES');
    assert.ok(Number(created.created_at.seconds) * 1000 >= before - 1000);
    // No min_seq: the membership check waits for the view on a miss.
    const info = ok(await byId(member, created.group_id)).group;
    assert.equal(info.name, 'Team');
    assert.equal(info.creator_user_id, owner.userId);
    assert.equal(info.owner_user_id, owner.userId);
    assert.equal(info.member_count, 3);
    assert.deepEqual(roles(info), [`${owner.username}:owner`, `${member.username}:member`, `${admin.username}:member`]);
    assert.equal(info.last_message, null);
    const listed = ok(await g.messaging.GetGroups!({ min_seq: seqOf(created) }, bearer(admin.token)));
    assert.ok(listed.groups.some((x: Reply) => x.group_id === created.group_id));
  });

  it('refuses malformed CreateGroup requests, naming the field', async () => {
    const call = (req: Record<string, unknown>) =>
      g.messaging.CreateGroup!({ group_name: 'ok', member_user_ids: [], ...req }, bearer(owner.token));
    expectError(await call({ group_name: '' }), 'INVALID_REQUEST', 'group_name');
    expectError(await call({ group_name: 'x'.repeat(129) }), 'INVALID_REQUEST', 'group_name');
    expectError(await call({ group_name: 'a\nb' }), 'INVALID_REQUEST', 'group_name');
    ok(await call({ group_name: 'é'.repeat(128) }));
    expectError(await call({ member_user_ids: ['not-a-uuid'] }), 'INVALID_REQUEST', 'member_user_ids[0]');
    expectError(await call({ member_user_ids: [member.userId, UNKNOWN] }), 'NOT_FOUND', 'member_user_ids[1]');
    expectError(await call({ mls_group_state: Buffer.alloc(64 * 1024 + 1) }), 'INVALID_REQUEST', 'mls_group_state');
    expectError(await g.messaging.CreateGroup!({ group_name: 'no token' }), 'UNAUTHORIZED');
  });

  it('enforces the group size limit on create and add, the owner included', async () => {
    const users = await Promise.all(Array.from({ length: MAX_GROUP_SIZE }, () => registerUser(g)));
    expectError(
      await g.messaging.CreateGroup!(
        { group_name: 'big', member_user_ids: users.map((u) => u.userId) },
        bearer(owner.token),
      ),
      'INVALID_REQUEST',
      'member_user_ids',
    );
    const full = await create(owner, users.slice(0, MAX_GROUP_SIZE - 1));
    expectError(await add(owner, full.group_id, users[MAX_GROUP_SIZE - 1]!), 'CONFLICT', 'group_id');
    // The creator listed among the members does not count twice.
    ok(
      await g.messaging.CreateGroup!(
        {
          group_name: 'exact',
          member_user_ids: [owner.userId, ...users.slice(0, MAX_GROUP_SIZE - 1).map((u) => u.userId)],
        },
        bearer(owner.token),
      ),
    );
  });

  it('lets a non-member neither read, send to nor change a group; an unknown group is NOT_FOUND', async () => {
    const { group_id: id } = await create(owner, [member]);
    expectError(await byId(stranger, id), 'NOT_FOUND', 'group_id');
    expectError(await messages(stranger, id), 'NOT_FOUND', 'group_id');
    expectError(await send(stranger, id, 'hi'), 'FORBIDDEN', 'group_id');
    expectError(await add(stranger, id, spare), 'FORBIDDEN', 'group_id');
    expectError(await add(stranger, id, stranger), 'FORBIDDEN', 'group_id');
    expectError(await remove(stranger, id, member), 'FORBIDDEN', 'group_id');
    expectError(await leave(stranger, id), 'FORBIDDEN', 'group_id');
    const groups = ok(await g.messaging.GetGroups!({}, bearer(stranger.token))).groups;
    assert.ok(!groups.some((x: Reply) => x.group_id === id));
    for (const r of [
      await byId(owner, UNKNOWN),
      await messages(owner, UNKNOWN),
      await send(owner, UNKNOWN, 'x'),
      await add(owner, UNKNOWN, member),
      await remove(owner, UNKNOWN, member),
      await leave(owner, UNKNOWN),
    ])
      expectError(r, 'NOT_FOUND', 'group_id');
  });

  it('applies the role rules: owner and admins change membership, admins only add members and never remove the owner', async () => {
    const { group_id: id } = await create(owner, [member]);
    // A plain member changes nothing.
    expectError(await add(member, id, spare), 'FORBIDDEN', 'group_id');
    expectError(await remove(member, id, owner), 'FORBIDDEN', 'group_id');
    // The owner adds an admin; the admin adds a member but no admin.
    const added = ok(await add(owner, id, admin, 'admin'));
    assert.equal(added.added, true);
    assert.equal(added.consistency.stream, 'MESSAGES');
    expectError(await add(admin, id, spare, 'admin'), 'FORBIDDEN', 'role');
    ok(await add(admin, id, spare));
    assert.equal(ok(await add(owner, id, spare)).added, false, 'adding a member again changes nothing');
    expectError(await add(owner, id, UNKNOWN), 'NOT_FOUND', 'member_user_id');
    // Nobody removes the owner; the caller leaves instead of removing itself.
    expectError(await remove(admin, id, owner), 'FORBIDDEN', 'member_user_id');
    expectError(await remove(owner, id, owner), 'INVALID_REQUEST', 'member_user_id');
    expectError(await remove(owner, id, stranger), 'NOT_FOUND', 'member_user_id');
    // The admin removes a member: that member can no longer read or send.
    const removed = ok(await remove(admin, id, spare));
    assert.equal(removed.removed, true);
    expectError(await byId(spare, id, seqOf(removed)), 'NOT_FOUND', 'group_id');
    expectError(await messages(spare, id), 'NOT_FOUND', 'group_id');
    expectError(await send(spare, id, 'still here?'), 'FORBIDDEN', 'group_id');
    const info = ok(await byId(owner, id, seqOf(removed))).group;
    assert.deepEqual(roles(info), [`${owner.username}:owner`, `${admin.username}:admin`, `${member.username}:member`]);
    assert.equal(info.member_count, 3);
  });

  it('hands ownership to the longest-standing admin, else member, when the owner leaves; the last one empties the group', async () => {
    const [a, b, c, d] = await Promise.all([1, 2, 3, 4].map(() => registerUser(g)));
    const { group_id: id } = await create(a!, [b!, c!]);
    ok(await add(a!, id, d!, 'admin'));
    // a (owner) leaves: d is the only admin, so d owns the group, though b and c joined earlier.
    let r = ok(await leave(a!, id));
    assert.equal(r.left, true);
    let info = ok(await byId(b!, id, seqOf(r))).group;
    assert.equal(info.owner_user_id, d!.userId);
    assert.deepEqual(roles(info), [`${d!.username}:owner`, `${b!.username}:member`, `${c!.username}:member`]);
    expectError(await byId(a!, id), 'NOT_FOUND');
    // d leaves with no admin left: b, the longest-standing member, owns it and may remove c.
    r = ok(await leave(d!, id));
    info = ok(await byId(b!, id, seqOf(r))).group;
    assert.equal(info.owner_user_id, b!.userId);
    assert.equal(info.creator_user_id, a!.userId);
    ok(await remove(b!, id, c!));
    r = ok(await leave(b!, id));
    // Empty: nobody can read or change it any more.
    expectError(await byId(b!, id, seqOf(r)), 'NOT_FOUND');
    expectError(await send(b!, id, 'anyone?'), 'FORBIDDEN');
    expectError(await add(a!, id, b!), 'FORBIDDEN');
    const groups = ok(await g.messaging.GetGroups!({ min_seq: seqOf(r) }, bearer(b!.token))).groups;
    assert.ok(!groups.some((x: Reply) => x.group_id === id));
  });

  it('sends idempotently on client_message_id, before and after the view indexed the message', async () => {
    const { group_id: id } = await create(owner, [member]);
    const ts = { seconds: 1700000000, nanos: 42 };
    const first = ok(await send(member, id, 'once', { client_message_id: 'c-1', client_timestamp: ts }));
    const again = ok(await send(member, id, 'once', { client_message_id: 'c-1', client_timestamp: ts }));
    assert.equal(again.message_id, first.message_id);
    assert.equal(seqOf(again), seqOf(first));
    assert.deepEqual(await texts(owner, id, seqOf(first)), ['once']);
    const later = ok(await send(member, id, 'once', { client_message_id: 'c-1' }));
    assert.equal(later.message_id, first.message_id);
    assert.deepEqual(later.server_timestamp, first.server_timestamp);
    // Another sender, or another group, with the same client id is another message.
    const other = ok(await send(owner, id, 'mine', { client_message_id: 'c-1' }));
    assert.notEqual(other.message_id, first.message_id);
    const { group_id: id2 } = await create(owner, [member]);
    const elsewhere = ok(await send(member, id2, 'there', { client_message_id: 'c-1' }));
    assert.notEqual(elsewhere.message_id, first.message_id);
    const msgs = ok(await messages(owner, id, { min_seq: seqOf(other) })).messages;
    assert.deepEqual(
      msgs.map((m: Reply) => m.encrypted_content.toString()),
      ['mine', 'once'],
    );
    const mine = msgs[1];
    assert.equal(mine.message_id, first.message_id);
    assert.equal(mine.group_id, id);
    assert.equal(mine.sender_user_id, member.userId);
    assert.equal(mine.sender_device_id, member.deviceId);
    assert.equal(mine.sender_username, member.username);
    assert.equal(mine.client_message_id, 'c-1');
    assert.deepEqual(mine.client_timestamp, { seconds: '1700000000', nanos: 42 });
    assert.equal(mine.is_deleted, false);
    assert.equal(mine.seq, seqOf(first));
  });

  it('pages through a group history newest first without gap or repeat', async () => {
    const { group_id: id } = await create(owner, [member]);
    const sent: string[] = [];
    const replies: Reply[] = [];
    let last: Reply = {};
    for (let i = 0; i < 25; i++) {
      last = ok(await send(i % 2 ? owner : member, id, `m${i}`));
      replies.push(last);
      sent.push(`m${i}`);
      if (i === 4 || i === 19) await sleep(5);
    }
    const seen: string[] = [];
    let cursor = '';
    for (let pages = 0; ; pages++) {
      assert.ok(pages < 10);
      const r = ok(await messages(member, id, { limit: 7, cursor, min_seq: seqOf(last) }));
      seen.push(...r.messages.map((m: Reply) => m.encrypted_content.toString()));
      assert.equal(r.has_more, r.next_cursor !== '');
      assert.equal(r.pagination.total_items, 25);
      if (!r.has_more) break;
      cursor = r.next_cursor;
    }
    assert.deepEqual(seen, [...sent].reverse());
    const legacy = ok(await messages(owner, id, { limit: 0, pagination: { page: 2, page_size: 10 } }));
    assert.deepEqual(
      legacy.messages.map((m: Reply) => m.encrypted_content.toString()),
      [...sent].reverse().slice(10, 20),
    );
    assert.equal(legacy.pagination.current_page, 2);
    assert.equal(legacy.pagination.total_pages, 3);
    // The time range: start_time and end_time both inclusive.
    const window = ok(
      await messages(member, id, { start_time: replies[5]!.server_timestamp, end_time: replies[19]!.server_timestamp }),
    );
    const inWindow: string[] = window.messages.map((m: Reply) => m.encrypted_content.toString());
    assert.deepEqual(inWindow, sent.slice(5, 20).reverse());
  });

  it('shows a member added later only what was sent after they joined', async () => {
    const late = await registerUser(g);
    const { group_id: id } = await create(owner, [member]);
    ok(await send(owner, id, 'before 1'));
    ok(await send(member, id, 'before 2'));
    const joined = ok(await add(owner, id, late));
    assert.deepEqual(await texts(late, id, seqOf(joined)), []);
    const info = ok(await byId(late, id)).group;
    assert.equal(info.last_message, null, 'the last message from before joining is hidden too');
    const after = ok(await send(member, id, 'after'));
    assert.deepEqual(await texts(late, id, seqOf(after)), ['after']);
    assert.deepEqual(await texts(owner, id), ['after', 'before 2', 'before 1']);
    const page = ok(await messages(late, id, {}));
    assert.equal(page.pagination.total_items, 1);
    // Removed and added again: a new join, history in between stays hidden.
    ok(await remove(owner, id, late));
    ok(await send(owner, id, 'while away'));
    const back = ok(await add(owner, id, late));
    ok(await send(owner, id, 'welcome back'));
    assert.deepEqual(await texts(late, id, String(Number(seqOf(back)) + 1)), ['welcome back']);
  });

  it('deletes group messages for everyone (sender only) or for the caller, and counts read receipts for the sender', async () => {
    const { group_id: id } = await create(owner, [member, admin]);
    const one = ok(await send(owner, id, 'one'));
    const two = ok(await send(owner, id, 'two'));
    const three = ok(await send(member, id, 'three'));
    const mark = (by: Account, ids: string[]) => g.messaging.MarkAsRead!({ message_ids: ids }, bearer(by.token));
    const del = (by: Account, messageId: string, forEveryone: boolean, conversationId = '') =>
      g.messaging.DeleteMessage!(
        { message_id: messageId, conversation_id: conversationId, delete_for_everyone: forEveryone },
        bearer(by.token),
      );
    const view = async (by: Account, minSeq: string) => {
      const r = ok(await messages(by, id, { min_seq: minSeq }));
      return new Map<string, Reply>(
        r.messages.map((m: Reply) => [
          m.encrypted_content.length ? m.encrypted_content.toString() : `deleted:${m.message_id}`,
          m,
        ]),
      );
    };

    let mine = await view(owner, seqOf(three));
    assert.deepEqual(
      [mine.get('one')!.delivery_status, mine.get('one')!.recipient_count, mine.get('one')!.read_count],
      ['SENT', 2, 0],
    );
    assert.equal(mine.get('three')!.delivery_status, 'PENDING', "no receipts on others' messages");

    // Read receipts: recipients only, each message once.
    assert.equal(ok(await mark(member, [one.message_id, two.message_id])).messages_marked, 2);
    assert.equal(ok(await mark(member, [one.message_id])).messages_marked, 0, 'already read');
    const lastRead = ok(await mark(admin, [one.message_id]));
    expectError(await mark(owner, [one.message_id]), 'FORBIDDEN', 'message_ids');
    expectError(await mark(stranger, [one.message_id]), 'FORBIDDEN', 'group_id');
    expectError(await mark(member, [UNKNOWN]), 'NOT_FOUND', 'message_ids');
    mine = await view(owner, seqOf(lastRead));
    assert.deepEqual(
      [mine.get('one')!.delivery_status, mine.get('one')!.read_count, mine.get('one')!.delivered_count],
      ['READ', 2, 2],
    );
    assert.deepEqual(
      [mine.get('two')!.delivery_status, mine.get('two')!.read_count, mine.get('two')!.delivered_count],
      ['SENT', 1, 1],
    );

    // Delete for everyone: the sender only; a tombstone in place for every member.
    expectError(await del(admin, three.message_id, true), 'FORBIDDEN', 'delete_for_everyone');
    expectError(await del(owner, three.message_id, true), 'FORBIDDEN', 'delete_for_everyone');
    expectError(await del(stranger, three.message_id, false), 'FORBIDDEN', 'group_id');
    // The member's own message named with another group: the group field is what is wrong, not the message.
    expectError(await del(member, three.message_id, true, UNKNOWN), 'NOT_FOUND', 'conversation_id');
    const gone = ok(await del(member, three.message_id, true));
    for (const who of [owner, member, admin]) {
      const r = ok(await messages(who, id, { min_seq: seqOf(gone) }));
      const tomb = r.messages.find((m: Reply) => m.message_id === three.message_id);
      assert.ok(tomb, 'the tombstone stays in place');
      assert.equal(tomb.is_deleted, true);
      assert.equal(tomb.encrypted_content.length, 0);
      assert.equal(r.messages[0].message_id, three.message_id, 'in its order');
    }
    // Hidden for the caller only.
    const hidden = ok(await del(owner, two.message_id, false));
    assert.deepEqual(await texts(owner, id, seqOf(hidden)), ['', 'one']);
    assert.deepEqual(await texts(admin, id, seqOf(hidden)), ['', 'two', 'one']);
    ok(await del(owner, two.message_id, false)); // again: done, nothing changes
  });

  it("lists the caller's groups newest activity first with members, roles, counts and last message, by cursor", async () => {
    const me = await registerUser(g);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await create(i % 2 ? owner : me, [i % 2 ? me : member], `g${i}`)).group_id);
    const bump = ok(await send(me, ids[1]!, 'latest'));
    const expected = [ids[1], ids[4], ids[3], ids[2], ids[0]];
    const seen: Reply[] = [];
    let cursor = '';
    for (;;) {
      const r = ok(await g.messaging.GetGroups!({ limit: 2, cursor, min_seq: seqOf(bump) }, bearer(me.token)));
      assert.equal(r.stale, false);
      seen.push(...r.groups);
      if (!r.has_more) {
        assert.equal(r.next_cursor, '');
        break;
      }
      cursor = r.next_cursor;
    }
    assert.deepEqual(
      seen.map((x) => x.group_id),
      expected,
    );
    const top = seen[0]!;
    assert.equal(top.name, 'g1');
    assert.equal(top.member_count, 2);
    assert.deepEqual(roles(top), [`${owner.username}:owner`, `${me.username}:member`]);
    assert.equal(top.last_message.encrypted_content.toString(), 'latest');
    assert.equal(top.last_message.sender_username, me.username);
    assert.ok(Number(top.members[1].joined_at.seconds) > 0);
    expectError(await g.messaging.GetGroups!({ cursor: 'garbage' }, bearer(me.token)), 'INVALID_REQUEST', 'cursor');
    expectError(await g.messaging.GetGroups!({ limit: 101 }, bearer(me.token)), 'INVALID_REQUEST', 'limit');
  });

  it('refuses malformed requests of the other RPCs, naming the field', async () => {
    const { group_id: id } = await create(owner, [member]);
    expectError(await send(owner, 'nope', 'x'), 'INVALID_REQUEST', 'group_id');
    expectError(await send(owner, id, ''), 'INVALID_REQUEST', 'encrypted_content');
    expectError(
      await g.messaging.SendGroupMessage!(
        { group_id: id, encrypted_content: Buffer.alloc(256 * 1024 + 1), message_type: 'TEXT' },
        bearer(owner.token),
      ),
      'INVALID_REQUEST',
      'encrypted_content',
    );
    expectError(
      await send(owner, id, 'x', { client_message_id: 'x'.repeat(129) }),
      'INVALID_REQUEST',
      'client_message_id',
    );
    expectError(await add(owner, id, member, 'owner'), 'INVALID_REQUEST', 'role');
    expectError(await add(owner, id, 'nope'), 'INVALID_REQUEST', 'member_user_id');
    expectError(
      await g.messaging.AddGroupMember!(
        { group_id: id, member_user_id: spare.userId, mls_group_state: Buffer.alloc(64 * 1024 + 1) },
        bearer(owner.token),
      ),
      'INVALID_REQUEST',
      'mls_group_state',
    );
    expectError(await remove(owner, id, ''), 'INVALID_REQUEST', 'member_user_id');
    expectError(await leave(owner, ''), 'INVALID_REQUEST', 'group_id');
    expectError(await byId(owner, 'x'), 'INVALID_REQUEST', 'group_id');
    expectError(await messages(owner, id, { cursor: 'bm9wZQ' }), 'INVALID_REQUEST', 'cursor');
    expectError(await messages(owner, id, { limit: -1 }), 'INVALID_REQUEST', 'limit');
    expectError(await messages(owner, id, { min_seq: '-1' }), 'INVALID_REQUEST', 'min_seq');
    expectError(
      await messages(owner, id, { limit: 0, pagination: { page: 1000, page_size: 50 } }),
      'INVALID_REQUEST',
      'pagination.page',
    );
  });

  it('rebuilds the groups and timeline views from the stream to the same content', async () => {
    const { group_id: id } = await create(owner, [member, admin]);
    ok(await add(owner, id, spare));
    ok(await send(spare, id, 'rebuilt'));
    const last = ok(await leave(owner, id));
    ok(await byId(admin, id, seqOf(last)));
    const env = g.env;
    await g.stop();
    const subjects = await withEventLog(nats.url, (log) => log.subjectCounts('MESSAGES', 'messages.group.*'));
    const partitions = Object.keys(subjects).map((s) => s.slice('messages.group.'.length));
    assert.ok(partitions.includes(id));
    const live = await dumpViews(dataDir, partitions);
    // A stray row in a group partition must be gone after the rebuild (the reset covers group partitions).
    const stores = await openTestStores(dataDir);
    await stores.timeline.write([{ partition: id, position: 999_999, time: 1, value: Buffer.from('stray') }]);
    await stores.close();
    await rebuildViews(loadConfig(env), silentLogger, ['groups', 'timeline']);
    const rebuilt = await dumpViews(dataDir, partitions);
    assert.ok(live.timeline.some((row) => row.startsWith(`${id}/`)));
    assert.deepEqual(rebuilt.timeline, live.timeline);
    assert.deepEqual(rebuilt.kv, live.kv);
    g = await startTestGuardyn(nats.url, {
      dataDir,
      env: { GUARDYN_MESSAGING__MAX_GROUP_SIZE: String(MAX_GROUP_SIZE) },
    });
    assert.deepEqual(await texts(spare, id), ['rebuilt']);
  });
});
