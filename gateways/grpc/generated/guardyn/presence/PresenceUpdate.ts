// Original file: proto/guardyn/presence.proto

import type {
  UserStatus as _guardyn_presence_UserStatus,
  UserStatus__Output as _guardyn_presence_UserStatus__Output,
} from '../../guardyn/presence/UserStatus.ts';
import type {
  Timestamp as _guardyn_common_Timestamp,
  Timestamp__Output as _guardyn_common_Timestamp__Output,
} from '../../guardyn/common/Timestamp.ts';

export interface PresenceUpdate {
  user_id?: string;
  status?: _guardyn_presence_UserStatus;
  custom_status_text?: string;
  last_seen?: _guardyn_common_Timestamp | null;
  updated_at?: _guardyn_common_Timestamp | null;
  is_typing?: boolean;
  typing_in_conversation_with?: string;
}

export interface PresenceUpdate__Output {
  user_id: string;
  status: _guardyn_presence_UserStatus__Output;
  custom_status_text: string;
  last_seen: _guardyn_common_Timestamp__Output | null;
  updated_at: _guardyn_common_Timestamp__Output | null;
  is_typing: boolean;
  typing_in_conversation_with: string;
}
