import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { RetentionPolicy, StorageType } from '@nats-io/jetstream';
import { isRight } from 'fp-ts/lib/Either.js';
import { claimCommit } from '../test/support/event-log.ts';
import { withNatsServer, type TestNatsServer } from '../test/support/nats.ts';
import { silentLogger } from '../runtime/logger.ts';
import { EventLog } from './log.ts';
import { eventRegistry } from './events/index.ts';
import { StreamDrift, WrongExpectedSequence } from './errors.ts';
import { GENESIS, verifyLinks } from './hash-chain.ts';
import { STREAMS, subjects } from './subjects.ts';
import { streamSpecs } from './specs.ts';
import { CommandHandler } from '../commands/handler/handler.ts';
import { usernameDecider } from '../commands/account/username.ts';
import { conversationDecider, directConversationId } from '../commands/conversation/decider.ts';

const DEBIAN_NATS = '/usr/sbin/nats-server';
const servers: { label: string; binary?: string }[] = [{ label: 'project nats-server' }];
if (fs.existsSync(DEBIAN_NATS)) servers.push({ label: 'Debian nats-server 2.9', binary: DEBIAN_NATS });

for (const variant of servers) {
  describe(`event log on ${variant.label}`, () => {
    let nats: TestNatsServer;
    let log: EventLog;

    before(async () => {
      nats = await withNatsServer(variant.binary ? { binary: variant.binary } : {});
      log = await EventLog.connect(nats.url, eventRegistry, silentLogger);
      await log.ensureStreams();
    });
    after(async () => {
      await log?.close();
      await nats?.stop();
    });

    it('creates the streams once and keeps the truth undeletable', async () => {
      await log.ensureStreams();
      const names = [];
      for await (const s of log.jsm.streams.list()) names.push(s.config.name);
      assert.deepEqual(names.sort(), ['ACCOUNTS', 'AUDIT', 'CALLS', 'MEDIA', 'MESSAGES', 'NOTIFICATIONS', 'PRESENCE']);
      const accounts = await log.jsm.streams.info(STREAMS.accounts);
      assert.equal(accounts.config.deny_delete, true);
      assert.equal(accounts.config.max_age, 0);
      const notifications = await log.jsm.streams.info(STREAMS.notifications);
      assert.equal(notifications.config.retention, RetentionPolicy.Workqueue);
    });

    it('puts drifted settings back, and stops with StreamDrift when JetStream cannot', async () => {
      const media = await log.jsm.streams.info(STREAMS.media);
      await log.jsm.streams.update(STREAMS.media, { ...media.config, duplicate_window: 1_000_000_000 });
      assert.equal((await log.jsm.streams.info(STREAMS.media)).config.duplicate_window, 1_000_000_000);
      await log.ensureStreams();
      const fixed = await log.jsm.streams.info(STREAMS.media);
      assert.equal(fixed.config.duplicate_window, streamSpecs()[2]!.duplicate_window);

      const wrong = streamSpecs().map((s) => (s.name === STREAMS.presence ? { ...s, storage: StorageType.Memory } : s));
      await assert.rejects(
        log.ensureStreams(wrong),
        (err: Error) => err instanceof StreamDrift && /PRESENCE/.test(err.message) && /storage/.test(err.message),
      );
    });

    it('appends with expected subject sequence, refuses a stale one, and deduplicates command ids', async () => {
      const subject = subjects.username('carol');
      const first = await log.append({
        stream: STREAMS.accounts,
        subject,
        commit: claimCommit('u1', 'cmd-1'),
        expectedSeq: 0,
        prev: GENESIS,
      });
      assert.equal(first.kind, 'appended');
      await assert.rejects(
        log.append({
          stream: STREAMS.accounts,
          subject,
          commit: claimCommit('u2', 'cmd-2'),
          expectedSeq: 0,
          prev: GENESIS,
        }),
        WrongExpectedSequence,
      );
      // A retry decided on the new state is recognised as the same command.
      const again = await log.append({
        stream: STREAMS.accounts,
        subject,
        commit: claimCommit('u1', 'cmd-1'),
        expectedSeq: first.seq,
        prev: first.kind === 'appended' ? first.hash : GENESIS,
      });
      assert.deepEqual(again, { kind: 'duplicate', seq: first.seq });
      // A blind retry on the old state is either deduplicated (2.9) or refused as stale (newer servers); never stored twice.
      const blind = await log
        .append({
          stream: STREAMS.accounts,
          subject,
          commit: claimCommit('u1', 'cmd-1'),
          expectedSeq: 0,
          prev: GENESIS,
        })
        .catch((e: Error) => e);
      assert.ok(blind instanceof WrongExpectedSequence || (blind as { kind: string }).kind === 'duplicate');
      assert.equal(
        (await log.jsm.streams.info(STREAMS.accounts, { subjects_filter: subject })).state.subjects?.[subject],
        1,
      );
      const stored = await log.last(STREAMS.accounts, subject);
      assert.equal(stored?.seq, first.seq);
      assert.equal(stored?.commandId, 'cmd-1');
      assert.equal(stored?.events[0]?.type, 'UsernameClaimed');
    });

    it('claims a username once among concurrent registrations', async () => {
      const handlers = [new CommandHandler(log), new CommandHandler(log)];
      const attempts = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          handlers[i % 2]!.handle({
            stream: STREAMS.accounts,
            subject: subjects.username('Dave'),
            decider: usernameDecider,
            command: { kind: 'ClaimUsername', username: i % 2 ? 'dave' : 'DAVE', userId: `user-${i}`, at: 1 },
            meta: {
              commandId: `claim-dave-${i}`,
              command: 'ClaimUsername',
              correlationId: 'c',
              causationId: 'c',
              actor: null,
            },
          }),
        ),
      );
      assert.equal(attempts.filter(isRight).length, 1);
      assert.ok(attempts.filter((a) => !isRight(a)).every((a) => !isRight(a) && a.left.code === 'CONFLICT'));
    });

    it('lands every concurrent send of two handlers in one chained order, with no conflict leaking', async () => {
      const a = '00000000-0000-4000-8000-0000000000a1';
      const b = '00000000-0000-4000-8000-0000000000b1';
      const conversationId = directConversationId(a, b);
      const handlers = [new CommandHandler(log), new CommandHandler(log)];
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          handlers[i % 2]!.handle({
            stream: STREAMS.messages,
            subject: subjects.conversation(conversationId),
            decider: conversationDecider,
            command: {
              kind: 'SendMessage',
              conversationId,
              messageId: `m-${i}`,
              senderUserId: i % 2 ? a : b,
              senderDeviceId: 'd',
              recipientUserId: i % 2 ? b : a,
              recipientDeviceId: '',
              encryptedContent: Buffer.from(`c${i}`),
              messageType: 'TEXT',
              clientMessageId: '',
              clientTimestamp: null,
              mediaId: '',
              x3dhPrekey: '',
              at: Date.now(),
            },
            meta: {
              commandId: `m-${i}`,
              command: 'SendMessage',
              correlationId: 'c',
              causationId: 'c',
              actor: { userId: a, deviceId: 'd' },
            },
          }),
        ),
      );
      assert.ok(results.every(isRight));
      const commits = [];
      for await (const c of log.readSubject(STREAMS.messages, subjects.conversation(conversationId))) commits.push(c);
      const sent = commits.flatMap((c) => c.events.filter((e) => e.type === 'MessageSent'));
      assert.equal(sent.length, 20);
      assert.equal(commits.filter((c) => c.events.some((e) => e.type === 'ConversationStarted')).length, 1);
      assert.deepEqual(verifyLinks(commits), []);
      const seqs = results.map((r) => (isRight(r) ? r.right.seq : 0)).sort((x, y) => x - y);
      assert.deepEqual(
        seqs,
        commits.map((c) => c.seq),
      );
    });
  });
}
