// Original file: proto/guardyn/presence.proto

import type {
  Timestamp as _guardyn_common_Timestamp,
  Timestamp__Output as _guardyn_common_Timestamp__Output,
} from '../../guardyn/common/Timestamp.ts';

export interface UpdateLastSeenSuccess {
  last_seen?: _guardyn_common_Timestamp | null;
}

export interface UpdateLastSeenSuccess__Output {
  last_seen: _guardyn_common_Timestamp__Output | null;
}
