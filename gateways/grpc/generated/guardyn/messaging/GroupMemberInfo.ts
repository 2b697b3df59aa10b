// Original file: proto/guardyn/messaging.proto

import type {
  Timestamp as _guardyn_common_Timestamp,
  Timestamp__Output as _guardyn_common_Timestamp__Output,
} from '../../guardyn/common/Timestamp.ts';

export interface GroupMemberInfo {
  user_id?: string;
  username?: string;
  device_id?: string;
  role?: string;
  joined_at?: _guardyn_common_Timestamp | null;
}

export interface GroupMemberInfo__Output {
  user_id: string;
  username: string;
  device_id: string;
  role: string;
  joined_at: _guardyn_common_Timestamp__Output | null;
}
