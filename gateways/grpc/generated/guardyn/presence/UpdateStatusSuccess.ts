// Original file: proto/guardyn/presence.proto

import type {
  UserStatus as _guardyn_presence_UserStatus,
  UserStatus__Output as _guardyn_presence_UserStatus__Output,
} from '../../guardyn/presence/UserStatus.ts';
import type {
  Timestamp as _guardyn_common_Timestamp,
  Timestamp__Output as _guardyn_common_Timestamp__Output,
} from '../../guardyn/common/Timestamp.ts';

export interface UpdateStatusSuccess {
  status?: _guardyn_presence_UserStatus;
  updated_at?: _guardyn_common_Timestamp | null;
}

export interface UpdateStatusSuccess__Output {
  status: _guardyn_presence_UserStatus__Output;
  updated_at: _guardyn_common_Timestamp__Output | null;
}
