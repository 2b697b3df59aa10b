/**
 * 1:1 conversations written exactly as Guardyn wrote them before the conversation id
 * followed the wire contract, for migration tests: commits on `messages.conv.<former id>`
 * (runtime/ids.ts, legacyDirectConversationId), the conversation events at schema version 1
 * carrying the former id, the same command ids, commands, actors and hash chain as the
 * former use cases (commands/conversation/send-message.ts, commands/conversation/actions.ts).
 *
 * `legacyEventRegistry` is the registry of that time (conversation events at version 1, read
 * as stored), so projections run over a log with it build the views the former code built.
 */
import * as t from 'io-ts';
import { silentLogger } from '../../runtime/logger.ts';
import { derivedId, legacyDirectConversationId, newId } from '../../runtime/ids.ts';
import { EventLog } from '../../streams/log.ts';
import { withEventLog } from './event-log.ts';
import { STREAMS, subjects } from '../../streams/subjects.ts';
import { GENESIS } from '../../streams/hash-chain.ts';
import { defineEvent, EventRegistry, type DomainEvent } from '../../streams/events/registry.ts';
import { accountEvents } from '../../streams/events/accounts.ts';
import { messageEvents } from '../../streams/events/messages.ts';
import { deviceKeyEvents } from '../../streams/events/devices.ts';
import { groupEvents } from '../../streams/events/groups.ts';
import { mediaEvents } from '../../streams/events/media.ts';
import { presenceEvents } from '../../streams/events/presence.ts';
import { pushTokenEvents } from '../../streams/events/push.ts';

export const legacyEventRegistry = new EventRegistry().register(
  ...accountEvents,
  ...messageEvents.map((e) =>
    defineEvent<string, unknown, unknown>(e.type, 1, e.codec as t.Type<unknown, unknown, unknown>),
  ),
  ...deviceKeyEvents,
  ...groupEvents,
  ...mediaEvents,
  ...presenceEvents,
  ...pushTokenEvents,
);

export interface LegacyUser {
  readonly userId: string;
  readonly deviceId: string;
}

export interface LegacyMessage {
  readonly messageId: string;
  readonly seq: number;
  readonly from: LegacyUser;
  readonly to: LegacyUser;
}

/** Writes the commits of one pair's conversation as the former code did. */
export class LegacyConversation {
  readonly conversationId: string;
  readonly subject: string;
  readonly participants: string[];
  private seq = 0;
  private hash = GENESIS;

  private constructor(
    readonly log: EventLog,
    a: LegacyUser,
    b: LegacyUser,
  ) {
    this.conversationId = legacyDirectConversationId(a.userId, b.userId);
    this.subject = subjects.conversation(this.conversationId);
    this.participants = [a.userId, b.userId].sort();
  }

  /** A log with the registry of that time on `natsUrl` (close it with `close`). */
  static async open(natsUrl: string, a: LegacyUser, b: LegacyUser): Promise<LegacyConversation> {
    const log = await EventLog.connect(natsUrl, legacyEventRegistry, silentLogger, 'guardyn-legacy');
    return new LegacyConversation(log, a, b);
  }

  private async append(
    command: string,
    commandId: string,
    actor: LegacyUser,
    events: DomainEvent[],
    at: number,
  ): Promise<number> {
    const outcome = await this.log.append({
      stream: STREAMS.messages,
      subject: this.subject,
      expectedSeq: this.seq,
      prev: this.hash,
      commit: {
        commandId,
        command,
        correlationId: newId(),
        causationId: newId(),
        actor: { userId: actor.userId, deviceId: actor.deviceId },
        at,
        events,
      },
    });
    if (outcome.kind !== 'appended') throw new Error(`legacy ${command} was not appended: ${outcome.kind}`);
    this.seq = outcome.seq;
    this.hash = outcome.hash;
    return outcome.seq;
  }

  /** SendMessage: the first one starts the conversation in the same commit. */
  async send(
    from: LegacyUser,
    to: LegacyUser,
    text: string,
    clientMessageId = '',
    at = Date.now(),
  ): Promise<LegacyMessage> {
    const messageId = clientMessageId ? derivedId('message', from.userId, clientMessageId) : newId();
    const sent: DomainEvent = {
      type: 'MessageSent',
      data: {
        conversationId: this.conversationId,
        messageId,
        senderUserId: from.userId,
        senderDeviceId: from.deviceId,
        recipientUserId: to.userId,
        recipientDeviceId: '',
        encryptedContent: Buffer.from(text),
        messageType: 'TEXT',
        clientMessageId,
        clientTimestamp: null,
        mediaId: '',
        x3dhPrekey: '',
        at,
      },
    };
    const events =
      this.seq === 0
        ? [
            {
              type: 'ConversationStarted',
              data: { conversationId: this.conversationId, participants: [...this.participants], at },
            },
            sent,
          ]
        : [sent];
    const seq = await this.append('SendMessage', messageId, from, events, at);
    return { messageId, seq, from, to };
  }

  async read(reader: LegacyUser, messages: readonly LegacyMessage[], at = Date.now()): Promise<number> {
    return this.append(
      'MarkAsRead',
      newId(),
      reader,
      [
        {
          type: 'MessagesRead',
          data: {
            conversationId: this.conversationId,
            participants: [...this.participants],
            readerUserId: reader.userId,
            readerDeviceId: reader.deviceId,
            messageIds: messages.map((m) => m.messageId),
            at,
          },
        },
      ],
      at,
    );
  }

  async deleteForEveryone(m: LegacyMessage, at = Date.now()): Promise<number> {
    return this.append(
      'DeleteMessage',
      newId(),
      m.from,
      [
        {
          type: 'MessageDeleted',
          data: {
            conversationId: this.conversationId,
            participants: [...this.participants],
            messageId: m.messageId,
            messageSeq: m.seq,
            deletedBy: m.from.userId,
            forEveryone: true,
            at,
          },
        },
      ],
      at,
    );
  }

  async hide(user: LegacyUser, m: LegacyMessage, at = Date.now()): Promise<number> {
    return this.append(
      'DeleteMessage',
      newId(),
      user,
      [
        {
          type: 'MessageHiddenForUser',
          data: {
            conversationId: this.conversationId,
            participants: [...this.participants],
            messageId: m.messageId,
            messageSeq: m.seq,
            userId: user.userId,
            at,
          },
        },
      ],
      at,
    );
  }

  async close(): Promise<void> {
    await this.log.close();
  }
}

/** The subjects of the MESSAGES stream that hold 1:1 conversations. */
export async function conversationSubjects(natsUrl: string): Promise<string[]> {
  return withEventLog(natsUrl, async (log) =>
    Object.keys(await log.subjectCounts(STREAMS.messages, 'messages.conv.*')),
  );
}
