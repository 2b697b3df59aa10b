/**
 * What the messaging service's RPCs (messaging.ts, messaging-conversations.ts,
 * messaging-groups.ts, messaging-stream.ts) need, and the message shape they answer with.
 */
import type { Logger } from 'pino';
import type { MessagingDeps } from '../../../commands/conversation/send-message.ts';
import type { GetMessagesDeps } from '../../../projections/timeline/get-messages.ts';
import type { MessageRecord } from '../../../projections/timeline/schema.ts';
import type { DeliveryStatus } from '../../../projections/inbox/delivery-status.ts';
import type { TokenService } from '../../auth/tokens.ts';
import type { SessionCheck } from '../../shared/auth-context.ts';
import type { HealthProbe } from '../health.ts';
import type { GuardynConfig } from '../../../runtime/config.ts';
import type { EventLog } from '../../../streams/log.ts';
import type { ConnectionAnnouncer } from '../../../streams/connections.ts';
import type { DeviceDelivery } from '../../delivery/device-feed.ts';
import type { TypingSender } from '../../delivery/typing-sender.ts';
import type { StreamSlots } from '../../limits/stream-slots.ts';
import type { GroupsView } from '../../../projections/groups/queries.ts';
import type { InboxView } from '../../../projections/inbox/queries.ts';
import type { UsersView } from '../../../projections/users/queries.ts';
import type { ProjectionProgress } from '../../../projections/query/progress.ts';
import type { ConversationsView } from '../../../projections/conversations/queries.ts';
import { echoTimestamp, toTimestamp } from '../timestamps.ts';
import type { Message } from '../generated/guardyn/messaging/Message.ts';

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
  /** The views the group and conversation RPCs read besides the timeline and conversations. */
  readonly users: UsersView;
  readonly inbox: InboxView;
  readonly groups: GroupsView;
  /** Progress of every view by name, for min_seq waits of RPCs over other views. */
  readonly progressOf: (view: string) => ProjectionProgress | undefined;
  /** Announces the devices streaming here as connected (presence, pushes); absent in tools that need no presence. */
  readonly connections?: ConnectionAnnouncer;
  /** Per-device delivery shared with the WebSocket gateway (one row cache and wake-up set per process). */
  readonly delivery: DeviceDelivery;
  /** Typing indicators, shared with the WebSocket gateway (one rate limit per process). */
  readonly typing: TypingSender;
  /** Open-stream limits shared by the gRPC services of this process. */
  readonly streamSlots: StreamSlots;
}

export function toMessage(m: MessageRecord, deliveryStatus: DeliveryStatus = 'SENT'): Message {
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
