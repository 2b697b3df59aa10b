/**
 * Well-formed commits for audit tests and the audit benchmark: conversations
 * with messages, appended through the event log (valid hash chains), and the
 * same commits built as raw publishes for a fast fill.
 */
import { randomBytes } from 'node:crypto';
import type { Commit } from '../streams/envelope.ts';
import type { EventLog } from '../streams/log.ts';
import { GENESIS } from '../streams/hash-chain.ts';
import { STREAMS, subjects } from '../streams/subjects.ts';

export const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);

export function startConversation(conversationId: string, a: string, b: string, at: number): Commit {
  return {
    commandId: `start-${conversationId}`,
    command: 'SendMessage',
    correlationId: `corr-start-${conversationId}`,
    causationId: `corr-start-${conversationId}`,
    actor: { userId: a, deviceId: 'd1' },
    at,
    events: [
      { type: 'ConversationStarted', data: { conversationId, participants: [a, b], at } },
      messageEvent(conversationId, `${conversationId}-m0`, a, b, at),
    ],
  };
}

export function messageEvent(
  conversationId: string,
  messageId: string,
  from: string,
  to: string,
  at: number,
  content: Uint8Array = Buffer.from(`ciphertext of ${messageId}`),
) {
  return {
    type: 'MessageSent',
    data: {
      messageId,
      conversationId,
      senderUserId: from,
      senderDeviceId: 'd1',
      recipientUserId: to,
      recipientDeviceId: '',
      encryptedContent: content,
      messageType: 'TEXT',
      clientMessageId: `c-${messageId}`,
      clientTimestamp: null,
      mediaId: '',
      x3dhPrekey: '',
      at,
    },
  };
}

export function sendMessage(
  conversationId: string,
  messageId: string,
  from: string,
  to: string,
  at: number,
  content?: Uint8Array,
): Commit {
  return {
    commandId: `send-${messageId}`,
    command: 'SendMessage',
    correlationId: `corr-${messageId}`,
    causationId: `corr-${messageId}`,
    actor: { userId: from, deviceId: 'd1' },
    at,
    events: [messageEvent(conversationId, messageId, from, to, at, content)],
  };
}

/** Appends commits to their subjects with OCC and the chain, tracking each subject's head. */
export class ChainedAppender {
  private readonly heads = new Map<string, { seq: number; hash: string }>();
  constructor(private readonly log: EventLog) {}

  async append(stream: string, subject: string, commit: Commit): Promise<number> {
    const head = this.heads.get(subject) ?? { seq: 0, hash: GENESIS };
    const r = await this.log.append({ stream, subject, commit, expectedSeq: head.seq, prev: head.hash });
    if (r.kind !== 'appended') throw new Error(`commit ${commit.commandId} was a duplicate`);
    this.heads.set(subject, { seq: r.seq, hash: r.hash });
    return r.seq;
  }

  conversation(id: string, commit: Commit): Promise<number> {
    return this.append(STREAMS.messages, subjects.conversation(id), commit);
  }
}

/** A small interleaved log: `conversations` conversations of `messages` messages each, one second apart. */
export async function seedConversations(
  log: EventLog,
  conversations = 3,
  messages = 4,
): Promise<{ ids: string[]; lastAt: number }> {
  const appender = new ChainedAppender(log);
  const ids = Array.from({ length: conversations }, (_, i) => `conv${i}`);
  let at = T0;
  for (const id of ids)
    await appender.conversation(id, startConversation(id, `${id}-alice`, `${id}-bob`, (at += 1000)));
  for (let m = 1; m < messages; m++) {
    for (const id of ids)
      await appender.conversation(
        id,
        sendMessage(
          id,
          `${id}-m${m}`,
          m % 2 ? `${id}-bob` : `${id}-alice`,
          m % 2 ? `${id}-alice` : `${id}-bob`,
          (at += 1000),
          randomBytes(16),
        ),
      );
  }
  return { ids, lastAt: at };
}
