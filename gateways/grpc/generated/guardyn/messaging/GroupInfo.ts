// Original file: proto/guardyn/messaging.proto

import type {
  GroupMemberInfo as _guardyn_messaging_GroupMemberInfo,
  GroupMemberInfo__Output as _guardyn_messaging_GroupMemberInfo__Output,
} from '../../guardyn/messaging/GroupMemberInfo.ts';
import type {
  Timestamp as _guardyn_common_Timestamp,
  Timestamp__Output as _guardyn_common_Timestamp__Output,
} from '../../guardyn/common/Timestamp.ts';
import type {
  GroupMessage as _guardyn_messaging_GroupMessage,
  GroupMessage__Output as _guardyn_messaging_GroupMessage__Output,
} from '../../guardyn/messaging/GroupMessage.ts';

export interface GroupInfo {
  group_id?: string;
  name?: string;
  creator_user_id?: string;
  members?: _guardyn_messaging_GroupMemberInfo[];
  created_at?: _guardyn_common_Timestamp | null;
  member_count?: number;
  last_message?: _guardyn_messaging_GroupMessage | null;
  owner_user_id?: string;
}

export interface GroupInfo__Output {
  group_id: string;
  name: string;
  creator_user_id: string;
  members: _guardyn_messaging_GroupMemberInfo__Output[];
  created_at: _guardyn_common_Timestamp__Output | null;
  member_count: number;
  last_message: _guardyn_messaging_GroupMessage__Output | null;
  owner_user_id: string;
}
