/**
 * SendMessage: resolve the recipient, then append the message to the 1:1
 * conversation's subject. With a client_message_id the message id and the
 * command id are derived from (sender, client_message_id), so a resend returns
 * the first message: JetStream deduplicates within its window, and the
 * message-id index answers after it.
 */
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { STREAMS } from '../../streams/subjects.ts';
import { derivedId, newId } from '../../runtime/ids.ts';
import {
  conversationDecider,
  directConversationPlace,
  type ConversationEvent,
  type MessagePayload,
} from './decider.ts';
import { domainError, type DomainError } from '../handler/decider.ts';
import type { CommandHandler } from '../handler/handler.ts';
import type { RequestMeta } from '../request-meta.ts';
import type { UserDirectory } from '../account/user-directory.ts';
import type { MessageIndex } from './reads.ts';

export interface SendMessageInput extends MessagePayload {
  readonly senderUserId: string;
  readonly senderDeviceId: string;
  /** One of recipientUserId and recipientUsername is given. */
  readonly recipientUserId: string;
  readonly recipientUsername: string;
  readonly recipientDeviceId: string;
}

export interface SentMessage {
  readonly messageId: string;
  readonly conversationId: string;
  readonly at: number;
  readonly stream: string;
  readonly seq: number;
  readonly duplicate: boolean;
}

export interface MessagingDeps {
  readonly handler: CommandHandler;
  readonly directory: UserDirectory;
  readonly conversations: MessageIndex;
}

async function resolveRecipient(deps: MessagingDeps, input: SendMessageInput): Promise<Either<DomainError, string>> {
  if (input.recipientUserId) {
    return (await deps.directory.exists(input.recipientUserId))
      ? right(input.recipientUserId)
      : left(domainError('NOT_FOUND', 'recipient not found', 'recipient_user_id'));
  }
  const id = await deps.directory.idByUsername(input.recipientUsername);
  return id ? right(id) : left(domainError('NOT_FOUND', 'recipient not found', 'recipient_username'));
}

export async function sendMessage(
  deps: MessagingDeps,
  input: SendMessageInput,
  meta: RequestMeta,
): Promise<Either<DomainError, SentMessage>> {
  const messageId = input.clientMessageId ? derivedId('message', input.senderUserId, input.clientMessageId) : newId();
  if (input.clientMessageId) {
    const earlier = await deps.conversations.messageById(messageId);
    if (earlier) {
      return right({
        messageId,
        conversationId: earlier.conversationId,
        at: earlier.at,
        stream: STREAMS.messages,
        seq: earlier.seq,
        duplicate: true,
      });
    }
  }
  const recipient = await resolveRecipient(deps, input);
  if (isLeft(recipient)) return recipient;
  const { conversationId, subject, formerSubject } = directConversationPlace(input.senderUserId, recipient.right);
  const at = Date.now();
  const result = await deps.handler.handle({
    stream: STREAMS.messages,
    subject,
    formerSubject,
    decider: conversationDecider,
    command: {
      kind: 'SendMessage',
      conversationId,
      messageId,
      senderUserId: input.senderUserId,
      senderDeviceId: input.senderDeviceId,
      recipientUserId: recipient.right,
      recipientDeviceId: input.recipientDeviceId,
      encryptedContent: input.encryptedContent,
      messageType: input.messageType,
      clientMessageId: input.clientMessageId,
      clientTimestamp: input.clientTimestamp,
      mediaId: input.mediaId,
      x3dhPrekey: input.x3dhPrekey,
      at,
    },
    meta: {
      commandId: messageId,
      command: 'SendMessage',
      correlationId: meta.correlationId,
      causationId: meta.correlationId,
      actor: { userId: input.senderUserId, deviceId: input.senderDeviceId },
      at,
    },
  });
  if (isLeft(result)) return result;
  const sent = (result.right.events as readonly ConversationEvent[]).find((e) => e.type === 'MessageSent');
  if (!sent || sent.type !== 'MessageSent') throw new Error('SendMessage committed without a MessageSent event');
  return right({
    messageId: sent.data.messageId,
    conversationId: sent.data.conversationId,
    at: sent.data.at,
    stream: result.right.stream,
    seq: result.right.seq,
    duplicate: result.right.duplicate,
  });
}
