/**
 * The 1:1 conversation id the apps compute on the device (WIRE-CONTRACT.md, MessagingService):
 * UUIDv5 in the nil namespace over "<smaller user id>:<larger user id>". Guardyn's replies carry
 * it and its requests take it. A store written while Guardyn derived another id stays readable:
 * history shows under the contract's id in order, sends continue the conversation (a
 * client_message_id used before still deduplicates), the outdated views are rebuilt at start,
 * `guardyn rebuild` gives the same views, and the hash chains still verify.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { withNatsServer, type TestNatsServer } from '../support/nats.ts';
import { startTestGuardyn, tempDataDir, uniqueName, useGuardyn, type TestGuardyn } from '../support/guardyn.ts';
import { bearer } from '../../gateways/grpc/client.ts';
import { bearerMetadata, mediaClient } from '../support/media-client.ts';
import { openTestStores } from '../support/stores.ts';
import { dumpViews } from '../support/views.ts';
import {
  conversationSubjects,
  LegacyConversation,
  legacyEventRegistry,
  type LegacyMessage,
} from '../support/legacy-conversations.ts';
import { allProjections } from '../../projections/index.ts';
import { partitionOfSubject, projectionsOf } from '../../projections/runtime/partitions.ts';
import { ConversationsView } from '../../projections/conversations/queries.ts';
import { legacyDirectConversationId } from '../../runtime/ids.ts';
import { catchUpView, rebuildView, resetView } from '../../projections/runtime/rebuild.ts';
import { recordedVersion, versionKey } from '../../projections/runtime/versions.ts';
import { rebuildViews } from '../../bin/rebuild.ts';
import { loadConfig } from '../../runtime/config.ts';
import { silentLogger } from '../../runtime/logger.ts';
import { EventLog } from '../../streams/log.ts';
import { eventRegistry } from '../../streams/events/index.ts';
import { STREAMS, subjects } from '../../streams/subjects.ts';
import { verifyStreams } from '../../audit/verify.ts';
import { replay } from '../../audit/replay.ts';
import { natsRangeReader } from '../../streams/range-reader.ts';

interface Account {
  userId: string;
  deviceId: string;
  token: string;
}
type Reply = Record<string, any>;

/** The apps' rule, written out here on its own: UUIDv5(nil, "<smaller>:<larger>"). */
function contractId(a: string, b: string): string {
  const name = [a.toLowerCase(), b.toLowerCase()].sort().join(':');
  const h = createHash('sha1').update(Buffer.alloc(16)).update(name, 'utf8').digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

async function register(g: TestGuardyn): Promise<Account> {
  const r = await g.auth.Register!({
    username: uniqueName('convid'),
    password: 'correct horse battery',
    email: '',
    device_name: 'phone',
    device_type: 'mobile',
  });
  assert.equal(r.result, 'success', JSON.stringify(r.error));
  return { userId: r.success.user_id, deviceId: r.success.device_id, token: r.success.access_token };
}

function ok(r: Reply): Reply {
  assert.equal(r.result, 'success', JSON.stringify(r.error));
  return r.success;
}

const seqOf = (r: Reply) => String(r.consistency.seq);

async function send(g: TestGuardyn, from: Account, to: Account, text: string, clientMessageId = ''): Promise<Reply> {
  return ok(
    await g.messaging.SendMessage!(
      {
        recipient_user_id: to.userId,
        encrypted_content: Buffer.from(text),
        message_type: 'TEXT',
        client_message_id: clientMessageId,
      },
      bearer(from.token),
    ),
  );
}

async function history(g: TestGuardyn, who: Account, request: Record<string, unknown>, minSeq = '0'): Promise<Reply[]> {
  const r = ok(await g.messaging.GetMessages!({ limit: 100, min_seq: minSeq, ...request }, bearer(who.token)));
  assert.equal(r.stale, false);
  return r.messages;
}

const shown = (messages: Reply[]) => messages.map((m) => (m.is_deleted ? 'deleted' : m.encrypted_content.toString()));

async function conversations(g: TestGuardyn, who: Account, minSeq: string): Promise<Reply[]> {
  const r = ok(await g.messaging.GetConversations!({ min_seq: minSeq }, bearer(who.token)));
  assert.equal(r.stale, false);
  return r.conversations;
}

describe("the contract's 1:1 conversation id over gRPC", () => {
  let g: TestGuardyn;
  useGuardyn((started) => ({ g } = started));

  it('replies carry it, and GetMessages, DeleteMessage and MarkAsRead take it', async () => {
    const a = await register(g);
    const b = await register(g);
    const id = contractId(a.userId, b.userId);
    const first = await send(g, a, b, 'one');
    assert.equal(first.conversation_id, id, "SendMessage answers with the contract's id");
    const second = await send(g, b, a, 'two');
    assert.equal(second.conversation_id, id);

    const listed = await conversations(g, a, seqOf(second));
    assert.deepEqual(
      listed.map((c) => [c.conversation_id, c.user_id]),
      [[id, b.userId]],
    );
    assert.equal((await conversations(g, b, seqOf(second)))[0]!.conversation_id, id);

    // As the apps ask: conversation_id beside conversation_user_id; and conversation_id alone.
    const asked = await history(g, b, { conversation_id: id, conversation_user_id: a.userId }, seqOf(second));
    assert.deepEqual(shown(asked), ['two', 'one']);
    assert.ok(asked.every((m) => m.conversation_id === id));
    assert.deepEqual(shown(await history(g, a, { conversation_id: id }, seqOf(second))), ['two', 'one']);

    const marked = ok(await g.messaging.MarkAsRead!({ message_ids: [first.message_id] }, bearer(b.token)));
    assert.equal(marked.messages_marked, 1);

    const other = contractId(a.userId, '00000000-0000-4000-8000-000000000000');
    const wrong = await g.messaging.DeleteMessage!(
      { message_id: first.message_id, conversation_id: other, delete_for_everyone: true },
      bearer(a.token),
    );
    assert.equal(wrong.result, 'error');
    assert.equal(wrong.error.code, 'NOT_FOUND');
    const deleted = ok(
      await g.messaging.DeleteMessage!(
        { message_id: first.message_id, conversation_id: id, delete_for_everyone: true },
        bearer(a.token),
      ),
    );
    assert.deepEqual(
      shown(await history(g, b, { conversation_id: id, conversation_user_id: a.userId }, seqOf(deleted))),
      ['two', 'deleted'],
    );

    // Stored under it: the conversation's subject is messages.conv.<contract id>.
    assert.ok((await conversationSubjects(g.natsUrl)).includes(subjects.conversation(id)));
  });

  it("refuses a conversation_id that is not the caller's conversation", async () => {
    const a = await register(g);
    const b = await register(g);
    const c = await register(g);
    const sent = await send(g, a, b, 'private');
    const r = await g.messaging.GetMessages!(
      { conversation_id: contractId(a.userId, b.userId), limit: 10, min_seq: seqOf(sent) },
      bearer(c.token),
    );
    assert.equal(r.result, 'error');
    assert.equal(r.error.code, 'NOT_FOUND');
  });
});

describe('a store written with the former 1:1 conversation ids', () => {
  let nats: TestNatsServer;
  let g: TestGuardyn | undefined;
  let dataDir: string;
  let env: Record<string, string>;
  let a: Account, b: Account;
  let id: string;
  let legacy: LegacyConversation;
  let legacyLast: number;
  let m: { one: LegacyMessage; two: LegacyMessage; three: LegacyMessage };
  const roles = ['auth', 'messaging', 'projections', 'media'] as const;
  const MIGRATED_VIEWS = ['conversations', 'timeline', 'inbox', 'media_attachments'] as const;

  before(async () => {
    nats = await withNatsServer();
    // The accounts (and the streams) of a Guardyn, then the conversation of a and b as the former code wrote it.
    dataDir = tempDataDir();
    g = await startTestGuardyn(nats.url, { roles: [...roles], dataDir });
    [a, b] = [await register(g), await register(g)];
    id = contractId(a.userId, b.userId);
    env = g.env;
    const before = Date.now() - 60_000;
    legacy = await LegacyConversation.open(nats.url, a, b);
    m = {
      one: await legacy.send(a, b, 'one', 'c-1', before),
      two: await legacy.send(b, a, 'two', '', before + 1000),
      three: await legacy.send(a, b, 'three', '', before + 2000),
    };
    await legacy.read(b, [m.one], before + 3000);
    await legacy.deleteForEveryone(m.three, before + 4000);
    legacyLast = await legacy.hide(a, m.two, before + 5000);
    // Let the views see it, stop, and leave the views as the former code had built them (no version record).
    const last = await legacy.log.lastSeq(STREAMS.messages);
    ok(await g.messaging.GetConversations!({ min_seq: String(last) }, bearer(a.token)));
    await g.stop();
    g = undefined;
    const stores = await openTestStores(dataDir);
    try {
      const former = allProjections(stores, legacy.log);
      for (const view of MIGRATED_VIEWS) {
        await rebuildView(legacy.log, former[view], silentLogger);
        await stores.kv.delete(versionKey(view));
      }
      const formerTimeline = await stores.timeline.page(legacy.conversationId, { limit: 10 });
      assert.equal(formerTimeline.rows.length, 3, 'the former views key the conversation by its former id');
    } finally {
      await stores.close();
    }
    g = await startTestGuardyn(nats.url, { roles: [...roles], dataDir, env });
  });
  after(async () => {
    await g?.stop();
    await legacy?.close();
    await nats?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("rebuilds the outdated views at start and shows the history under the contract's id, in order", async () => {
    const last = String(await legacy.log.lastSeq(STREAMS.messages));
    assert.deepEqual(shown(await history(g!, a, { conversation_id: id, conversation_user_id: b.userId }, last)), [
      'deleted',
      'one',
    ]);
    const forB = await history(g!, b, { conversation_id: id }, last);
    assert.deepEqual(shown(forB), ['deleted', 'two', 'one']);
    assert.deepEqual(
      forB.map((x) => x.message_id),
      [m.three.messageId, m.two.messageId, m.one.messageId],
    );
    assert.ok(forB.every((x) => x.conversation_id === id));
    // The pair's former id is still taken where the request names the peer.
    assert.deepEqual(
      shown(await history(g!, b, { conversation_id: legacy.conversationId, conversation_user_id: a.userId }, last)),
      ['deleted', 'two', 'one'],
    );
    const listed = await conversations(g!, b, last);
    assert.deepEqual(
      listed.map((c) => [c.conversation_id, c.user_id, c.unread_count]),
      [[id, a.userId, 0]],
    );
    const stores = await openTestStores(dataDir);
    try {
      for (const view of MIGRATED_VIEWS) assert.equal(await recordedVersion(stores.kv, view), 2, view);
      assert.equal(
        (await stores.timeline.page(legacy.conversationId, { limit: 10 })).rows.length,
        0,
        'nothing left under the former id',
      );
    } finally {
      await stores.close();
    }
  });

  it("media may name the conversation by the contract's id before anything new was sent", async () => {
    const media = mediaClient(`127.0.0.1:${g!.ports.media}`);
    try {
      const r = await media.unary['GetUploadUrl']!(
        { filename: 'a.bin', mime_type: 'application/octet-stream', size_bytes: '3', conversation_id: id },
        bearerMetadata(b.token),
      );
      assert.equal(r.error, null, JSON.stringify(r.error));
      assert.ok(r.media_id);
    } finally {
      media.close();
    }
  });

  it("continues the conversation: a resend deduplicates, new commits go to the contract's subject, receipts and deletions work", async () => {
    const again = await send(g!, a, b, 'one again', 'c-1');
    assert.equal(again.message_id, m.one.messageId, 'a client_message_id used before the change still deduplicates');
    assert.equal(again.conversation_id, id);
    assert.equal(seqOf(again), String(m.one.seq));

    const four = await send(g!, a, b, 'four');
    assert.equal(four.conversation_id, id);
    const newer = [];
    const log = await EventLog.connect(nats.url, eventRegistry, silentLogger);
    try {
      for await (const c of log.readSubject(STREAMS.messages, subjects.conversation(id))) newer.push(c);
    } finally {
      await log.close();
    }
    assert.deepEqual(
      newer.map((c) => c.events.map((e) => e.type)),
      [['MessageSent']],
      'the conversation goes on: no second start',
    );

    const marked = ok(
      await g!.messaging.MarkAsRead!({ message_ids: [four.message_id, m.one.messageId] }, bearer(b.token)),
    );
    assert.equal(marked.messages_marked, 1, 'the message read before the change stays read');
    const deleted = ok(
      await g!.messaging.DeleteMessage!(
        { message_id: m.two.messageId, conversation_id: id, delete_for_everyone: true },
        bearer(b.token),
      ),
    );
    const cleared = ok(await g!.messaging.ClearChat!({ conversation_id: id }, bearer(a.token)));
    assert.ok(Number(cleared.deleted_count) >= 2);
    assert.deepEqual(
      shown(await history(g!, b, { conversation_id: id, conversation_user_id: a.userId }, seqOf(deleted))),
      ['four', 'deleted', 'deleted', 'one'],
    );
    assert.deepEqual(
      shown(await history(g!, a, { conversation_id: id, conversation_user_id: b.userId }, seqOf(cleared))),
      [],
    );
    const five = await send(g!, b, a, 'five');
    assert.deepEqual(shown(await history(g!, a, { conversation_id: id }, seqOf(five))), ['five']);
    // DeleteMessage also takes the pair's former id (checked against the message's pair).
    const hidden = ok(
      await g!.messaging.DeleteMessage!(
        { message_id: four.message_id, conversation_id: legacy.conversationId, delete_for_everyone: false },
        bearer(b.token),
      ),
    );
    assert.deepEqual(shown(await history(g!, b, { conversation_id: id }, seqOf(hidden))), [
      'five',
      'deleted',
      'deleted',
      'one',
    ]);
    // The former subject took nothing new.
    assert.equal((await legacy.log.last(STREAMS.messages, legacy.subject))?.seq, legacyLast);
  });

  it('`guardyn rebuild` gives the same views, and the hash chains of both subjects verify', async () => {
    const partitions = [id, legacy.conversationId];
    await g!.stop();
    g = undefined;
    const live = await dumpViews(dataDir, partitions);
    await rebuildViews(loadConfig(env), silentLogger, [...MIGRATED_VIEWS]);
    const rebuilt = await dumpViews(dataDir, partitions);
    assert.ok(live.timeline.length >= 5);
    assert.ok(live.timeline.every((row) => row.startsWith(`${id}/`)));
    assert.deepEqual(rebuilt.timeline, live.timeline);
    assert.deepEqual(rebuilt.kv, live.kv);

    const log = await EventLog.connect(nats.url, eventRegistry, silentLogger);
    try {
      const report = await verifyStreams(natsRangeReader(log), { streams: [STREAMS.messages] });
      assert.ok(report.ok, JSON.stringify(report.breaks));
      assert.equal(report.verified, await log.lastSeq(STREAMS.messages));
      // Replay shows commits on the subjects they were written to, their events upcast: the contract's id, stored version 1.
      const out = path.join(dataDir, 'replay.jsonl');
      await replay(natsRangeReader(log), eventRegistry, {
        streams: [STREAMS.messages],
        window: {},
        format: 'jsonl',
        out,
      });
      const records = fs
        .readFileSync(out, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Reply);
      const first = records[0]!;
      assert.deepEqual(
        [first.subject, first.type, first.storedVersion, first.version, first.data.conversationId],
        [legacy.subject, 'ConversationStarted', 1, 2, id],
      );
      const latest = records[records.length - 1]!;
      assert.deepEqual(
        [latest.subject, latest.storedVersion, latest.data.conversationId],
        [subjects.conversation(id), 2, id],
      );
    } finally {
      await log.close();
    }
    // Read with the registry of that time, the former subject's events still carry the former id as stored.
    const stored = await legacy.log.last(STREAMS.messages, legacy.subject);
    assert.equal((stored!.events[0]!.data as { conversationId: string }).conversationId, legacy.conversationId);
    assert.ok(legacyEventRegistry.versionOf('MessageSent') === 1 && eventRegistry.versionOf('MessageSent') === 2);
  });
});

describe('partitioned views over a conversation with former and new commits', () => {
  let nats: TestNatsServer;
  let dataDir: string;
  const PARTITIONS = 4;
  before(async () => {
    nats = await withNatsServer();
    dataDir = tempDataDir();
  });
  after(async () => {
    await nats?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("one partition applies all of a conversation's commits, former and new, in order", async () => {
    const g = await startTestGuardyn(nats.url, { dataDir });
    let legacy: LegacyConversation | undefined;
    let id: string;
    try {
      const a = await register(g);
      // A pair whose former and contract ids fall in different partitions: the case that needs care.
      let b: Account;
      do {
        b = await register(g);
        id = contractId(a.userId, b.userId);
      } while (
        partitionOfSubject(subjects.conversation(legacyDirectConversationId(a.userId, b.userId)), PARTITIONS) ===
        partitionOfSubject(subjects.conversation(id), PARTITIONS)
      );
      legacy = await LegacyConversation.open(nats.url, a, b);
      await legacy.send(a, b, 'one');
      await legacy.send(b, a, 'two');
      const three = await send(g, a, b, 'three');
      await legacy.close();
      legacy = undefined;
      assert.deepEqual(shown(await history(g, b, { conversation_id: id }, seqOf(three))), ['three', 'two', 'one']);
    } finally {
      await legacy?.close();
      await g.stop();
    }
    // The conversations view in partitions, one partition after the other, the contract id's first: a
    // partition that saw the new commit without the former ones would park it (unknown conversation).
    const stores = await openTestStores(dataDir);
    const log = await EventLog.connect(nats.url, eventRegistry, silentLogger);
    try {
      const conversations = allProjections(stores, log).conversations;
      const mine = partitionOfSubject(subjects.conversation(id!), PARTITIONS);
      const parts = projectionsOf(conversations, PARTITIONS).sort(
        (x, y) => Number(y.name === `conversations-p${mine}`) - Number(x.name === `conversations-p${mine}`),
      );
      assert.equal(parts[0]!.name, `conversations-p${mine}`);
      await resetView(log, conversations);
      for (const part of parts) await resetView(log, part);
      for (const part of parts) await catchUpView(log, part, silentLogger);
      for (const part of parts) assert.deepEqual(await part.target.parked(part.name), [], part.name);
      const record = await new ConversationsView(stores.kv).conversation(id!);
      assert.equal(record?.messageCount, 3);
      assert.equal(record?.conversationId, id!);
    } finally {
      await log.close();
      await stores.close();
    }
  });
});
