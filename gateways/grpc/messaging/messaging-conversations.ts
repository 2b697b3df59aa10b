/**
 * MessagingService RPCs over 1:1 conversations after sending: MarkAsRead,
 * DeleteMessage, ClearChat, GetConversations, SendTypingIndicator. Every call
 * is authenticated first, then validated (INVALID_REQUEST naming the field).
 *
 * - MarkAsRead, DeleteMessage, ClearChat are commands on the conversation
 *   (commands/conversation/actions.ts); their answers carry the consistency
 *   token of the commit (additive `consistency`).
 * - GetConversations reads the conversations and timeline views.
 * - SendTypingIndicator publishes an ephemeral signal on core NATS
 *   (gateways/delivery/typing-sender.ts, shared with the WebSocket gateway).
 */
import { markMessagesRead } from '../../../commands/group/read-receipts.ts';
import {
  deleteGroupMessage,
  groupMessagesAmong,
  type GroupMessageActionDeps,
} from '../../../commands/group/message-actions.ts';
import { deliveryStatuses } from '../../../projections/inbox/delivery-status.ts';
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import { clearChat, deleteMessage, type ConversationActionDeps } from '../../../commands/conversation/actions.ts';
import { getConversations } from '../../../projections/get-conversations.ts';
import { authenticate, type CallWithAccessToken } from '../../shared/auth-context.ts';
import { fromDomain } from '../../shared/errors.ts';
import { toMessage, type MessagingServiceDeps } from './deps.ts';
import { unary, type ReplyOf } from '../server.ts';
import { toTimestamp } from '../timestamps.ts';
import {
  BoundedArray,
  decodeRequest,
  OptionalUuid,
  PageSizeWithDefault,
  StreamSeq,
  Uuid,
} from '../../shared/validation.ts';
import type { Conversation } from '../generated/guardyn/messaging/Conversation.ts';
import type { MessagingServiceHandlers as Rpc } from '../generated/guardyn/messaging/MessagingService.ts';
/** The service's handler types, generated from its .proto (npm run proto:types). */

/** What the unary RPC `K` answers (a declared return type: the compiler checks each response literally). */
type Reply<K extends keyof Rpc> = ReplyOf<Rpc[K]>;

/** Most message ids one MarkAsRead may name. */
export const MAX_MARK_AS_READ_IDS = 500;
/**
 * How long a command waits at least for the conversations view before deciding
 * on its facts (longer when the configured read-your-writes wait is longer).
 */
const FACTS_WAIT_MS = 1000;

const MarkAsReadRequest = t.type({ message_ids: BoundedArray(Uuid, MAX_MARK_AS_READ_IDS, 1) });
const DeleteMessageRequest = t.type({
  message_id: Uuid,
  conversation_id: OptionalUuid,
  delete_for_everyone: t.boolean,
});
const ClearChatRequest = t.type({ conversation_id: Uuid });
const GetConversationsRequest = t.type({ limit: PageSizeWithDefault(50), min_seq: StreamSeq });
const TypingIndicatorRequest = t.type({ recipient_user_id: Uuid, is_typing: t.boolean });

const consistency = (stream: string, seq: number) => ({ stream, seq: String(seq) });

export function conversationRpcs(
  deps: MessagingServiceDeps,
): Pick<Rpc, 'MarkAsRead' | 'DeleteMessage' | 'ClearChat' | 'GetConversations' | 'SendTypingIndicator'> {
  const { users, typing } = deps;
  const actions: ConversationActionDeps = {
    handler: deps.handler,
    log: deps.log,
    conversations: deps.conversations,
    get conversationsProgress() {
      return deps.progressOf('conversations');
    },
    factsWaitMs: Math.max(FACTS_WAIT_MS, deps.minSeqWaitMs),
  };
  const groupActions: GroupMessageActionDeps = {
    handler: deps.handler,
    log: deps.log,
    groups: deps.groups,
    get groupsProgress() {
      return deps.progressOf('groups');
    },
    factsWaitMs: actions.factsWaitMs,
  };
  const deleteWindowMs = deps.config.messaging.deleteWindowSeconds * 1000;
  const auth = (call: CallWithAccessToken) => authenticate(call, call.request.access_token, deps.tokens, deps.sessions);

  return {
    MarkAsRead: unary('messaging.MarkAsRead', deps.logger, async (call, ctx): Reply<'MarkAsRead'> => {
      const who = await auth(call);
      if (isLeft(who)) return { error: who.left };
      const req = decodeRequest(MarkAsReadRequest, call.request);
      if (isLeft(req)) return { error: req.left };
      const result = await markMessagesRead(
        { conversations: actions, groups: groupActions },
        who.right,
        req.right.message_ids,
        { correlationId: ctx.correlationId },
      );
      if (isLeft(result)) return { error: fromDomain(result.left) };
      const r = result.right;
      return {
        success: {
          messages_marked: r.marked,
          marked_count: r.marked,
          timestamp: toTimestamp(r.at),
          consistency: consistency(r.stream, r.seq),
        },
      };
    }),

    DeleteMessage: unary('messaging.DeleteMessage', deps.logger, async (call, ctx): Reply<'DeleteMessage'> => {
      const who = await auth(call);
      if (isLeft(who)) return { error: who.left };
      const req = decodeRequest(DeleteMessageRequest, call.request);
      if (isLeft(req)) return { error: req.left };
      const r = req.right;
      const meta = { correlationId: ctx.correlationId };
      const asGroupMessage = async (wait: boolean) => {
        const record = (await groupMessagesAmong(groupActions, [r.message_id], wait)).get(r.message_id);
        return record === undefined
          ? undefined
          : deleteGroupMessage(
              groupActions,
              who.right,
              {
                messageId: r.message_id,
                record,
                groupId: r.conversation_id,
                forEveryone: r.delete_for_everyone,
                windowMs: deleteWindowMs,
              },
              meta,
            );
      };
      // A group message, a 1:1 message, or (neither view knowing it yet) a group message once the groups view caught up.
      let result =
        (await asGroupMessage(false)) ??
        (await deleteMessage(
          actions,
          {
            userId: who.right.userId,
            deviceId: who.right.deviceId,
            messageId: r.message_id,
            conversationId: r.conversation_id,
            forEveryone: r.delete_for_everyone,
            windowMs: deleteWindowMs,
          },
          meta,
        ));
      if (isLeft(result) && result.left.code === 'NOT_FOUND') result = (await asGroupMessage(true)) ?? result;
      if (isLeft(result)) return { error: fromDomain(result.left) };
      const done = result.right;
      return {
        success: {
          deleted: true,
          message_id: r.message_id,
          timestamp: toTimestamp(done.at),
          consistency: consistency(done.stream, done.seq),
        },
      };
    }),

    ClearChat: unary('messaging.ClearChat', deps.logger, async (call, ctx): Reply<'ClearChat'> => {
      const who = await auth(call);
      if (isLeft(who)) return { error: who.left };
      const req = decodeRequest(ClearChatRequest, call.request);
      if (isLeft(req)) return { error: req.left };
      const result = await clearChat(
        actions,
        {
          userId: who.right.userId,
          deviceId: who.right.deviceId,
          conversationId: req.right.conversation_id,
        },
        { correlationId: ctx.correlationId },
      );
      if (isLeft(result)) return { error: fromDomain(result.left) };
      const r = result.right;
      return {
        success: {
          deleted_count: r.cleared,
          timestamp: toTimestamp(r.at),
          consistency: consistency(r.stream, r.seq),
        },
      };
    }),

    GetConversations: unary('messaging.GetConversations', deps.logger, async (call): Reply<'GetConversations'> => {
      const who = await auth(call);
      if (isLeft(who)) return { error: who.left };
      const req = decodeRequest(GetConversationsRequest, call.request);
      if (isLeft(req)) return { error: req.left };
      const result = await getConversations(
        {
          conversations: deps.conversations,
          timeline: deps.timeline,
          users,
          progress: deps.progress,
          minSeqWaitMs: deps.minSeqWaitMs,
        },
        { callerUserId: who.right.userId, limit: req.right.limit, minSeq: req.right.min_seq },
      );
      const lasts = result.conversations.map((c) => c.lastMessage).filter((m) => m !== undefined);
      const statuses = new Map(
        (await deliveryStatuses(lasts, { conversations: deps.conversations, inbox: deps.inbox })).map((st, i) => [
          lasts[i]!.messageId,
          st,
        ]),
      );
      return {
        success: {
          conversations: result.conversations.map(
            (c): Conversation => ({
              conversation_id: c.conversationId,
              user_id: c.peerUserId,
              username: c.peerUsername,
              last_message:
                c.lastMessage === undefined ? null : toMessage(c.lastMessage, statuses.get(c.lastMessage.messageId)),
              unread_count: c.unread,
              updated_at: toTimestamp(c.updatedAt),
            }),
          ),
          stale: result.stale,
        },
      };
    }),

    SendTypingIndicator: unary(
      'messaging.SendTypingIndicator',
      deps.logger,
      async (call): Reply<'SendTypingIndicator'> => {
        const who = await auth(call);
        if (isLeft(who)) return { error: who.left };
        const req = decodeRequest(TypingIndicatorRequest, call.request);
        if (isLeft(req)) return { error: req.left };
        const refused = await typing.send(who.right, req.right.recipient_user_id, req.right.is_typing);
        if (refused !== undefined) return { error: refused };
        return { success: { sent: true } };
      },
    ),
  };
}
