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

export interface GroupMessage {
  message_id?: string;
  group_id?: string;
  sender_user_id?: string;
  sender_device_id?: string;
  encrypted_content?: Buffer | Uint8Array | string;
  message_type?: _guardyn_messaging_MessageType;
  client_message_id?: string;
  client_timestamp?: _guardyn_common_Timestamp | null;
  server_timestamp?: _guardyn_common_Timestamp | null;
  media_id?: string;
  is_deleted?: boolean;
  sender_username?: string;
  seq?: number | string | Long;
  delivery_status?: _guardyn_messaging_DeliveryStatus;
  recipient_count?: number;
  delivered_count?: number;
  read_count?: number;
}

export interface GroupMessage__Output {
  message_id: string;
  group_id: string;
  sender_user_id: string;
  sender_device_id: string;
  encrypted_content: Buffer;
  message_type: _guardyn_messaging_MessageType__Output;
  client_message_id: string;
  client_timestamp: _guardyn_common_Timestamp__Output | null;
  server_timestamp: _guardyn_common_Timestamp__Output | null;
  media_id: string;
  is_deleted: boolean;
  sender_username: string;
  seq: string;
  delivery_status: _guardyn_messaging_DeliveryStatus__Output;
  recipient_count: number;
  delivered_count: number;
  read_count: number;
}
