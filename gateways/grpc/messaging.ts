/**
 * guardyn.messaging.MessagingService on :50052. This slice serves SendMessage,
 * GetMessages and Health; the rest of the service follows the messaging issue.
 * Every call is authenticated by its access token first.
 */
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import type { Logger } from 'pino';
import { sendMessage, type MessagingDeps } from '../../commands/conversation/send-message.ts';
import { MESSAGE_TYPES } from '../../streams/events/messages.ts';
import { getMessages, type GetMessagesDeps } from '../../projections/timeline/get-messages.ts';
import type { MessageRecord } from '../../projections/timeline/schema.ts';
import type { TokenService } from '../auth/tokens.ts';
import { authenticate, type SessionCheck } from './auth-context.ts';
import { errorResponse, fromDomain } from './errors.ts';
import { healthStatus, type HealthProbe } from './health.ts';
import { unary } from './server.ts';
import { historyQuery, HistoryPageProps, paginationOf } from './history-paging.ts';
import { deliveryStatuses, type DeliveryStatus } from '../../projections/inbox/delivery-status.ts';
import { InboxView } from '../../projections/inbox/queries.ts';
import type { ConversationsView } from '../../projections/conversations/queries.ts';
import type { GuardynConfig } from '../../runtime/config.ts';
import type { EventLog } from '../../streams/log.ts';
import type { ConnectionAnnouncer } from '../../streams/connections.ts';
import type { DeviceDelivery } from '../delivery/device-feed.ts';
import type { TypingSender } from '../delivery/typing-sender.ts';
import type { StreamSlots } from '../limits/stream-slots.ts';
import type { KvStore } from '../../stores/kv/port.ts';
import type { ProjectionProgress } from '../../projections/query/progress.ts';
import { conversationRpcs } from './messaging-conversations.ts';
import { groupRpcs } from './messaging-groups.ts';
import { streamRpcs } from './messaging-stream.ts';
import { echoTimestamp, toTimestamp } from './timestamps.ts';
import { BoundedBytes, BoundedString, decodeRequest, EnumName, OptionalTimestamp, OptionalUuid } from './validation.ts';

export interface MessagingServiceDeps extends MessagingDeps, Omit<GetMessagesDeps, 'minSeqWaitMs'> {
  /** The whole conversations view (SendMessage reads only its message index). */
  readonly conversations: ConversationsView;
  readonly tokens: TokenService;
  /** Refuses tokens of ended sessions (logout, revocation, deletion). */
  readonly sessions: SessionCheck;
  readonly maxContentBytes: number;
  readonly minSeqWaitMs: number;
  readonly health: HealthProbe;
  readonly logger: Logger;
  readonly config: GuardynConfig;
  readonly log: EventLog;
  /** The key-value store the views live in (for the group and conversation RPCs' queries). */
  readonly kv: KvStore;
  /** Progress of every view by name, for min_seq waits of RPCs over other views. */
  readonly progressOf: (view: string) => ProjectionProgress | undefined;
  /** Announces the devices streaming here as connected (presence, pushes); absent in tools that need no presence. */
  readonly connections?: ConnectionAnnouncer;
  /** Per-device delivery shared with the WebSocket gateway (one row cache and wake-up set per process); default: its own. */
  readonly delivery?: DeviceDelivery;
  /** Typing indicators, shared with the WebSocket gateway (one rate limit per process); default: its own. */
  readonly typing?: TypingSender;
  /** Open-stream limits shared by the gRPC services of this process; default: its own, from config.limits. */
  readonly streamSlots?: StreamSlots;
}

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

/** A request as proto-loader hands it over, before validation. */
type RawRequest = { readonly access_token?: string; readonly limit?: number } & Record<string, unknown>;

export function toMessage(m: MessageRecord, deliveryStatus: DeliveryStatus = 'SENT') {
  return {
    message_id: m.messageId,
    sender_user_id: m.senderUserId,
    sender_device_id: m.senderDeviceId,
    recipient_user_id: m.recipientUserId,
    recipient_device_id: m.recipientDeviceId,
    encrypted_content: m.deleted ? Buffer.alloc(0) : Buffer.from(m.encryptedContent),
    message_type: m.messageType,
    client_message_id: m.clientMessageId,
    client_timestamp: echoTimestamp(m.clientTimestamp),
    server_timestamp: toTimestamp(m.at),
    delivery_status: deliveryStatus,
    media_id: m.mediaId,
    is_deleted: m.deleted,
    x3dh_prekey: m.deleted ? '' : m.x3dhPrekey,
    conversation_id: m.conversationId,
    seq: String(m.seq),
  };
}

export function messagingServiceImplementation(deps: MessagingServiceDeps) {
  const SendMessageRequest = sendRequest(deps.maxContentBytes);

  return {
    SendMessage: unary<RawRequest, unknown>('messaging.SendMessage', deps.logger, async (call, ctx) => {
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

    GetMessages: unary<RawRequest, unknown>('messaging.GetMessages', deps.logger, async (call, ctx) => {
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
        inbox: new InboxView(deps.kv),
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

    Health: unary<RawRequest, unknown>('messaging.Health', deps.logger, async () => healthStatus(deps.health)),
    ...conversationRpcs(deps),
    ...groupRpcs(deps),
    ...streamRpcs(deps),
  };
}
