// Original file: proto/guardyn/messaging.proto

import type {
  Message as _guardyn_messaging_Message,
  Message__Output as _guardyn_messaging_Message__Output,
} from '../../guardyn/messaging/Message.ts';
import type {
  Timestamp as _guardyn_common_Timestamp,
  Timestamp__Output as _guardyn_common_Timestamp__Output,
} from '../../guardyn/common/Timestamp.ts';

export interface Conversation {
  conversation_id?: string;
  user_id?: string;
  username?: string;
  last_message?: _guardyn_messaging_Message | null;
  unread_count?: number;
  updated_at?: _guardyn_common_Timestamp | null;
}

export interface Conversation__Output {
  conversation_id: string;
  user_id: string;
  username: string;
  last_message: _guardyn_messaging_Message__Output | null;
  unread_count: number;
  updated_at: _guardyn_common_Timestamp__Output | null;
}
