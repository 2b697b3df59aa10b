// Original file: proto/guardyn/auth.proto

import type {
  Timestamp as _guardyn_common_Timestamp,
  Timestamp__Output as _guardyn_common_Timestamp__Output,
} from '../../guardyn/common/Timestamp.ts';

export interface RotateSignedPreKeySuccess {
  rotated_at?: _guardyn_common_Timestamp | null;
}

export interface RotateSignedPreKeySuccess__Output {
  rotated_at: _guardyn_common_Timestamp__Output | null;
}
