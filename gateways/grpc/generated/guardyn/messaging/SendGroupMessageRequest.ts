// Original file: proto/guardyn/messaging.proto

import type {
  MessageType as _guardyn_messaging_MessageType,
  MessageType__Output as _guardyn_messaging_MessageType__Output,
} from '../../guardyn/messaging/MessageType.ts';
import type {
  Timestamp as _guardyn_common_Timestamp,
  Timestamp__Output as _guardyn_common_Timestamp__Output,
} from '../../guardyn/common/Timestamp.ts';

export interface SendGroupMessageRequest {
  access_token?: string;
  group_id?: string;
  encrypted_content?: Buffer | Uint8Array | string;
  message_type?: _guardyn_messaging_MessageType;
  client_message_id?: string;
  client_timestamp?: _guardyn_common_Timestamp | null;
  media_id?: string;
}

export interface SendGroupMessageRequest__Output {
  access_token: string;
  group_id: string;
  encrypted_content: Buffer;
  message_type: _guardyn_messaging_MessageType__Output;
  client_message_id: string;
  client_timestamp: _guardyn_common_Timestamp__Output | null;
  media_id: string;
}
