/**
 * The conversations and timeline views under receipts, deletions, hiding and
 * clearing: exact unread counts, tombstones in place, per-user visibility.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isRight } from 'fp-ts/lib/Either.js';
import { openEmbeddedStores, type EmbeddedStores } from '../../stores/embedded.ts';
import type { StoredCommit } from '../../streams/envelope.ts';
import type { EventLog } from '../../streams/log.ts';
import {
  conversationDecider,
  directConversationId,
  type ConversationCommand,
  type ConversationEvent,
  type ConversationState,
  type MessageFacts,
} from '../../commands/conversation/decider.ts';
import { fold } from '../../commands/handler/decider.ts';
import { timelineProjection } from '../timeline/projector.ts';
import { TimelineView } from '../timeline/queries.ts';
import { getMessages } from '../timeline/get-messages.ts';
import { UsersView } from '../users/queries.ts';
import { conversationsProjection } from './projector.ts';
import { ConversationsView } from './queries.ts';
import { getConversations } from '../get-conversations.ts';

const a = '00000000-0000-4000-8000-0000000000a1';
const b = '00000000-0000-4000-8000-0000000000b1';
const conversationId = directConversationId(a, b);

describe('conversations and timeline views after sending', () => {
  let dir: string;
  let stores: EmbeddedStores;
  let seq = 0;
  let state: ConversationState = conversationDecider.initialState;
  const seqOf = new Map<string, number>();

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-conv-'));
    stores = await openEmbeddedStores(dir);
  });
  after(async () => {
    await stores.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const conversations = () => new ConversationsView(stores.kv);
  const timeline = () => new TimelineView(stores.timeline);

  /** Decides a command on the running state and applies its commit to both views (one batch). */
  async function run(command: ConversationCommand): Promise<readonly ConversationEvent[]> {
    const r = conversationDecider.decide(command, state);
    assert.ok(isRight(r), JSON.stringify(r));
    if (r.right.length === 0) return [];
    seq += 1;
    state = fold(conversationDecider, state, r.right);
    const commit: StoredCommit = {
      stream: 'MESSAGES',
      subject: `messages.conv.${conversationId}`,
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
    for (const p of [conversationsProjection(stores.kv), timelineProjection(stores.timeline, {} as EventLog)]) {
      const tx = p.target.begin();
      await p.project(commit, tx as never);
      await p.target.commit(p.name, tx as never, seq, []);
    }
    for (const e of r.right) if (e.type === 'MessageSent') seqOf.set(e.data.messageId, seq);
    return r.right;
  }

  const send = (from: string, to: string, messageId: string) =>
    run({
      kind: 'SendMessage',
      conversationId,
      messageId,
      senderUserId: from,
      senderDeviceId: 'd',
      recipientUserId: to,
      recipientDeviceId: '',
      encryptedContent: Buffer.from(`secret ${messageId}`),
      messageType: 'TEXT',
      clientMessageId: '',
      clientTimestamp: null,
      mediaId: 'media',
      x3dhPrekey: 'pk',
      at: 1000 + seq,
    });

  async function facts(messageId: string): Promise<MessageFacts> {
    const r = await conversations().messageById(messageId);
    assert.ok(r);
    return {
      messageId,
      conversationId: r.conversationId,
      seq: r.seq,
      senderUserId: r.senderUserId,
      recipientUserId: r.recipientUserId!,
      at: r.at,
      read: r.readAt !== undefined,
      deleted: r.deleted === true,
      hiddenFor: r.hiddenFor ?? [],
    };
  }

  const unread = async (userId: string) => (await conversations().member(userId, conversationId))?.unread;
  const visible = async (userId: string) => (await conversations().member(userId, conversationId))?.visible;
  async function seen(userId: string): Promise<string[]> {
    const r = await getMessages(
      { timeline: timeline(), conversations: conversations(), progress: [], minSeqWaitMs: 0 },
      {
        callerUserId: userId,
        peerUserId: '',
        conversationId,
        limit: 100,
        page: 1,
        cursor: '',
        fromTime: undefined,
        toTime: undefined,
        minSeq: 0,
      },
    );
    assert.ok(isRight(r));
    return r.right.messages.map((m) => (m.deleted ? `${m.messageId}(deleted)` : m.messageId));
  }

  it('counts unread messages per recipient and indexes who sent them to whom', async () => {
    await send(a, b, 'm1');
    await send(a, b, 'm2');
    await send(a, b, 'm3');
    await send(b, a, 'r1');
    assert.equal(await unread(b), 3);
    assert.equal(await unread(a), 1);
    assert.equal(await visible(a), 4);
    const m2 = await conversations().messageById('m2');
    assert.equal(m2?.recipientUserId, b);
    assert.equal(m2?.seq, seqOf.get('m2'));
  });

  it('lowers unread once per message read, however often it is marked', async () => {
    await run({
      kind: 'MarkMessagesRead',
      conversationId,
      readerUserId: b,
      readerDeviceId: 'd',
      messages: [await facts('m1')],
      at: 2000,
    });
    assert.equal(await unread(b), 2);
    assert.ok((await conversations().messageById('m1'))?.readAt);
    // A receipt repeated in the log (another process raced) changes nothing.
    const duplicate = { ...state, recentlyRead: new Set<string>() };
    const again = conversationDecider.decide(
      {
        kind: 'MarkMessagesRead',
        conversationId,
        readerUserId: b,
        readerDeviceId: 'd',
        messages: [{ ...(await facts('m1')), read: false }],
        at: 2001,
      },
      duplicate,
    );
    assert.ok(isRight(again) && again.right.length === 1);
    state = duplicate;
    await run({
      kind: 'MarkMessagesRead',
      conversationId,
      readerUserId: b,
      readerDeviceId: 'd',
      messages: [{ ...(await facts('m1')), read: false }],
      at: 2001,
    });
    assert.equal(await unread(b), 2);
  });

  it('turns a message deleted for everyone into a tombstone in place, lowering the unread count', async () => {
    await run({
      kind: 'DeleteMessage',
      conversationId,
      userId: a,
      message: await facts('m2'),
      forEveryone: true,
      windowMs: 1e9,
      at: 3000,
    });
    assert.equal(await unread(b), 1);
    assert.deepEqual(await seen(a), ['r1', 'm3', 'm2(deleted)', 'm1']);
    assert.deepEqual(await seen(b), ['r1', 'm3', 'm2(deleted)', 'm1']);
    const row = (await timeline().page(conversationId, { limit: 10 })).messages.find((m) => m.messageId === 'm2');
    assert.equal(row?.encryptedContent.length, 0);
    assert.equal(row?.x3dhPrekey, '');
    assert.equal(row?.mediaId, '');
    assert.equal(row?.seq, seqOf.get('m2'));
    assert.equal(await visible(b), 4, 'a tombstone is still seen');
  });

  it("hides a message for one user only, lowering that user's unread and visible counts", async () => {
    await run({
      kind: 'DeleteMessage',
      conversationId,
      userId: b,
      message: await facts('m3'),
      forEveryone: false,
      windowMs: 1e9,
      at: 4000,
    });
    assert.equal(await unread(b), 0);
    assert.equal(await visible(b), 3);
    assert.equal(await visible(a), 4);
    assert.deepEqual(await seen(b), ['r1', 'm2(deleted)', 'm1']);
    assert.deepEqual(await seen(a), ['r1', 'm3', 'm2(deleted)', 'm1']);
  });

  it('lists the conversation with the last message each user sees and the exact unread count', async () => {
    await send(a, b, 'm4');
    await run({
      kind: 'DeleteMessage',
      conversationId,
      userId: b,
      message: await facts('m4'),
      forEveryone: false,
      windowMs: 1e9,
      at: 5000,
    });
    const deps = {
      conversations: conversations(),
      timeline: timeline(),
      users: new UsersView(stores.kv),
      progress: [],
      minSeqWaitMs: 0,
    };
    const forA = await getConversations(deps, { callerUserId: a, limit: 10, minSeq: 0 });
    assert.equal(forA.conversations.length, 1);
    assert.equal(forA.conversations[0]?.peerUserId, b);
    assert.equal(forA.conversations[0]?.lastMessage?.messageId, 'm4');
    assert.equal(forA.conversations[0]?.unread, 1);
    const forB = await getConversations(deps, { callerUserId: b, limit: 10, minSeq: 0 });
    assert.equal(forB.conversations[0]?.lastMessage?.messageId, 'r1', 'the newest message b did not hide');
    assert.equal(forB.conversations[0]?.unread, 0);
  });

  it('clears the history for one user only, and shows that user only what comes after', async () => {
    await send(a, b, 'm5');
    assert.equal(await unread(b), 1);
    await run({ kind: 'ClearChat', conversationId, userId: b, uptoSeq: seq, expectLastMessageId: 'm5', at: 6000 });
    assert.equal(await unread(b), 0);
    assert.equal(await visible(b), 0);
    assert.deepEqual(await seen(b), []);
    assert.deepEqual(await seen(a), ['m5', 'm4', 'r1', 'm3', 'm2(deleted)', 'm1']);
    const deps = {
      conversations: conversations(),
      timeline: timeline(),
      users: new UsersView(stores.kv),
      progress: [],
      minSeqWaitMs: 0,
    };
    assert.equal(
      (await getConversations(deps, { callerUserId: b, limit: 10, minSeq: 0 })).conversations[0]?.lastMessage,
      undefined,
    );
    await send(a, b, 'm6');
    assert.equal(await unread(b), 1);
    assert.deepEqual(await seen(b), ['m6']);
    // Reading a cleared message is accepted but no longer counted.
    await run({
      kind: 'MarkMessagesRead',
      conversationId,
      readerUserId: b,
      readerDeviceId: 'd',
      messages: [await facts('m5')],
      at: 7000,
    });
    assert.equal(await unread(b), 1);
  });

  it('pages what a user sees without gaps or repeats, skipping hidden rows', async () => {
    for (let i = 0; i < 30; i++) await send(a, b, `p${i}`);
    for (let i = 0; i < 30; i += 3)
      await run({
        kind: 'DeleteMessage',
        conversationId,
        userId: b,
        message: await facts(`p${i}`),
        forEveryone: false,
        windowMs: 1e9,
        at: 8000,
      });
    const ids: string[] = [];
    let before: number | undefined;
    for (;;) {
      const page = await timeline().visiblePage(
        conversationId,
        { userId: b, clearedUpto: (await conversations().member(b, conversationId))?.clearedUpto ?? 0 },
        { limit: 4, ...(before === undefined ? {} : { before }) },
      );
      ids.push(...page.messages.map((m) => m.messageId));
      if (page.next === undefined) break;
      before = page.next;
    }
    const expected = [
      ...Array.from({ length: 30 }, (_, i) => `p${i}`)
        .filter((_, i) => i % 3 !== 0)
        .reverse(),
      'm6',
    ];
    assert.deepEqual(ids, expected);
    const legacy = await timeline().visiblePage(conversationId, { userId: b, clearedUpto: 0 }, { limit: 4, skip: 4 });
    assert.deepEqual(
      legacy.messages.map((m) => m.messageId),
      expected.slice(4, 8),
    );
  });
});
