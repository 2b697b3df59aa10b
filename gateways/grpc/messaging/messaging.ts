/**
 * guardyn.messaging.MessagingService on :50052. This slice serves SendMessage,
 * GetMessages and Health; the rest of the service follows the messaging issue.
 * Every call is authenticated by its access token first.
 */
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import { sendMessage } from '../../../commands/conversation/send-message.ts';
import { MESSAGE_TYPES } from '../../../streams/events/messages.ts';
import { getMessages } from '../../../projections/timeline/get-messages.ts';
import { authenticate } from '../../shared/auth-context.ts';
import { errorResponse, fromDomain } from '../../shared/errors.ts';
import { healthRpc } from '../health.ts';
import { unary, type ReplyOf } from '../server.ts';
import { historyQuery, HistoryPageProps, paginationOf } from './history-paging.ts';
import { deliveryStatuses } from '../../../projections/inbox/delivery-status.ts';
import { toMessage, type MessagingServiceDeps } from './deps.ts';
import { conversationRpcs } from './messaging-conversations.ts';
import { groupRpcs } from './messaging-groups.ts';
import { streamRpcs } from './messaging-stream.ts';
import { toTimestamp } from '../timestamps.ts';
import type { MessagingServiceHandlers as Rpc } from '../generated/guardyn/messaging/MessagingService.ts';
import {
  BoundedBytes,
  BoundedString,
  decodeRequest,
  EnumName,
  OptionalTimestamp,
  OptionalUuid,
} from '../../shared/validation.ts';
/** The service's handler types, generated from its .proto (npm run proto:types). */

/** What the unary RPC `K` answers (a declared return type: the compiler checks each response literally). */
type Reply<K extends keyof Rpc> = ReplyOf<Rpc[K]>;

const ClientId = BoundedString('ClientMessageId', 128, { rejectControl: true });

const sendRequest = (maxContentBytes: number) =>
  t.type({
    recipient_user_id: OptionalUuid,
    recipient_device_id: OptionalUuid,
    recipient_username: t.union([t.literal(''), BoundedString('Username', 32, { rejectControl: true })]),
    encrypted_content: BoundedBytes(maxContentBytes, { min: 1 }),
    message_type: EnumName(MESSAGE_TYPES, 'MessageType'),
    client_message_id: ClientId,
    client_timestamp: OptionalTimestamp,
    media_id: BoundedString('MediaId', 128, { rejectControl: true }),
    x3dh_prekey: BoundedString('X3dhPrekey', 16 * 1024, { rejectControl: true }),
  });

const GetMessagesRequest = t.type({
  conversation_user_id: OptionalUuid,
  conversation_id: OptionalUuid,
  ...HistoryPageProps,
  cursor: BoundedString('Cursor', 64, { rejectControl: true }),
});

export function messagingServiceImplementation(deps: MessagingServiceDeps): Rpc {
  const SendMessageRequest = sendRequest(deps.maxContentBytes);

  return {
    SendMessage: unary('messaging.SendMessage', deps.logger, async (call, ctx): Reply<'SendMessage'> => {
      const who = await authenticate(call, call.request.access_token, deps.tokens, deps.sessions);
      if (isLeft(who)) return { error: who.left };
      const req = decodeRequest(SendMessageRequest, call.request);
      if (isLeft(req)) return { error: req.left };
      const r = req.right;
      if (!r.recipient_user_id && !r.recipient_username) {
        return {
          error: errorResponse(
            'INVALID_REQUEST',
            'invalid request: recipient_user_id or recipient_username is required',
            { field: 'recipient_user_id' },
          ),
        };
      }
      const result = await sendMessage(
        deps,
        {
          senderUserId: who.right.userId,
          senderDeviceId: who.right.deviceId,
          recipientUserId: r.recipient_user_id ?? '',
          recipientUsername: r.recipient_username,
          recipientDeviceId: r.recipient_device_id ?? '',
          encryptedContent: r.encrypted_content,
          messageType: r.message_type,
          clientMessageId: r.client_message_id,
          clientTimestamp: r.client_timestamp,
          mediaId: r.media_id,
          x3dhPrekey: r.x3dh_prekey,
        },
        { correlationId: ctx.correlationId },
      );
      if (isLeft(result)) return { error: fromDomain(result.left) };
      const sent = result.right;
      return {
        success: {
          message_id: sent.messageId,
          server_timestamp: toTimestamp(sent.at),
          delivery_status: 'SENT',
          consistency: { stream: sent.stream, seq: String(sent.seq) },
          conversation_id: sent.conversationId,
        },
      };
    }),

    GetMessages: unary('messaging.GetMessages', deps.logger, async (call, ctx): Reply<'GetMessages'> => {
      const who = await authenticate(call, call.request.access_token, deps.tokens, deps.sessions);
      if (isLeft(who)) return { error: who.left };
      const req = decodeRequest(GetMessagesRequest, call.request);
      if (isLeft(req)) return { error: req.left };
      const r = req.right;
      if (!r.conversation_user_id && !r.conversation_id) {
        return {
          error: errorResponse(
            'INVALID_REQUEST',
            'invalid request: conversation_user_id or conversation_id is required',
            { field: 'conversation_user_id' },
          ),
        };
      }
      const query = historyQuery(call.request.limit, r);
      const result = await getMessages(deps, {
        ...query,
        callerUserId: who.right.userId,
        peerUserId: r.conversation_user_id ?? '',
        conversationId: r.conversation_id ?? '',
      });
      if (isLeft(result)) return { error: fromDomain(result.left) };
      const g = result.right;
      const statuses = await deliveryStatuses(g.messages, {
        conversations: deps.conversations,
        inbox: deps.inbox,
      });
      return {
        success: {
          messages: g.messages.map((m, i) => toMessage(m, statuses[i])),
          pagination: paginationOf(g.totalItems, g.page, query.limit),
          has_more: g.hasMore,
          next_cursor: g.nextCursor,
          stale: g.stale,
        },
      };
    }),

    Health: healthRpc('messaging.Health', deps.logger, deps.health),
    ...conversationRpcs(deps),
    ...groupRpcs(deps),
    ...streamRpcs(deps),
  };
}
