// Original file: proto/guardyn/auth.proto

import type {
  Timestamp as _guardyn_common_Timestamp,
  Timestamp__Output as _guardyn_common_Timestamp__Output,
} from '../../guardyn/common/Timestamp.ts';

export interface UserSearchResult {
  user_id?: string;
  username?: string;
  created_at?: _guardyn_common_Timestamp | null;
}

export interface UserSearchResult__Output {
  user_id: string;
  username: string;
  created_at: _guardyn_common_Timestamp__Output | null;
}
