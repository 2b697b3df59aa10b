// Original file: proto/guardyn/auth.proto

import type {
  Timestamp as _guardyn_common_Timestamp,
  Timestamp__Output as _guardyn_common_Timestamp__Output,
} from '../../guardyn/common/Timestamp.ts';

export interface ValidateTokenSuccess {
  user_id?: string;
  device_id?: string;
  expires_at?: _guardyn_common_Timestamp | null;
  permissions?: string[];
  session_id?: string;
}

export interface ValidateTokenSuccess__Output {
  user_id: string;
  device_id: string;
  expires_at: _guardyn_common_Timestamp__Output | null;
  permissions: string[];
  session_id: string;
}
