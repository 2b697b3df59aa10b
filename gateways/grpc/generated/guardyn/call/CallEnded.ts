// Original file: proto/guardyn/call.proto

import type {
  EndReason as _guardyn_call_EndReason,
  EndReason__Output as _guardyn_call_EndReason__Output,
} from '../../guardyn/call/EndReason.ts';
import type {
  Timestamp as _guardyn_common_Timestamp,
  Timestamp__Output as _guardyn_common_Timestamp__Output,
} from '../../guardyn/common/Timestamp.ts';
import type {
  ConsistencyToken as _guardyn_common_ConsistencyToken,
  ConsistencyToken__Output as _guardyn_common_ConsistencyToken__Output,
} from '../../guardyn/common/ConsistencyToken.ts';

export interface CallEnded {
  call_id?: string;
  reason?: _guardyn_call_EndReason;
  ended_at?: _guardyn_common_Timestamp | null;
  duration_seconds?: number;
  consistency?: _guardyn_common_ConsistencyToken | null;
}

export interface CallEnded__Output {
  call_id: string;
  reason: _guardyn_call_EndReason__Output;
  ended_at: _guardyn_common_Timestamp__Output | null;
  duration_seconds: number;
  consistency: _guardyn_common_ConsistencyToken__Output | null;
}
