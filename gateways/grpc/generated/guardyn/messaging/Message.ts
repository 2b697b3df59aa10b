// Original file: proto/guardyn/messaging.proto

import type {
  MessageType as _guardyn_messaging_MessageType,
  MessageType__Output as _guardyn_messaging_MessageType__Output,
} from '../../guardyn/messaging/MessageType.ts';
import type {
  Timestamp as _guardyn_common_Timestamp,
  Timestamp__Output as _guardyn_common_Timestamp__Output,
} from '../../guardyn/common/Timestamp.ts';
import type {
  DeliveryStatus as _guardyn_messaging_DeliveryStatus,
  DeliveryStatus__Output as _guardyn_messaging_DeliveryStatus__Output,
} from '../../guardyn/messaging/DeliveryStatus.ts';
import type { Long } from '@grpc/proto-loader';

export interface Message {
  message_id?: string;
  sender_user_id?: string;
  sender_device_id?: string;
  recipient_user_id?: string;
  recipient_device_id?: string;
  encrypted_content?: Buffer | Uint8Array | string;
  message_type?: _guardyn_messaging_MessageType;
  client_message_id?: string;
  client_timestamp?: _guardyn_common_Timestamp | null;
  server_timestamp?: _guardyn_common_Timestamp | null;
  delivery_status?: _guardyn_messaging_DeliveryStatus;
  media_id?: string;
  is_deleted?: boolean;
  x3dh_prekey?: string;
  conversation_id?: string;
  seq?: number | string | Long;
}

export interface Message__Output {
  message_id: string;
  sender_user_id: string;
  sender_device_id: string;
  recipient_user_id: string;
  recipient_device_id: string;
  encrypted_content: Buffer;
  message_type: _guardyn_messaging_MessageType__Output;
  client_message_id: string;
  client_timestamp: _guardyn_common_Timestamp__Output | null;
  server_timestamp: _guardyn_common_Timestamp__Output | null;
  delivery_status: _guardyn_messaging_DeliveryStatus__Output;
  media_id: string;
  is_deleted: boolean;
  x3dh_prekey: string;
  conversation_id: string;
  seq: string;
}
