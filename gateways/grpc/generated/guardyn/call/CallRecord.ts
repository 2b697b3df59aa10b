// Original file: proto/guardyn/call.proto

import type {
  CallDirection as _guardyn_call_CallDirection,
  CallDirection__Output as _guardyn_call_CallDirection__Output,
} from '../../guardyn/call/CallDirection.ts';
import type {
  CallMedia as _guardyn_call_CallMedia,
  CallMedia__Output as _guardyn_call_CallMedia__Output,
} from '../../guardyn/call/CallMedia.ts';
import type {
  CallState as _guardyn_call_CallState,
  CallState__Output as _guardyn_call_CallState__Output,
} from '../../guardyn/call/CallState.ts';
import type {
  EndReason as _guardyn_call_EndReason,
  EndReason__Output as _guardyn_call_EndReason__Output,
} from '../../guardyn/call/EndReason.ts';
import type {
  Timestamp as _guardyn_common_Timestamp,
  Timestamp__Output as _guardyn_common_Timestamp__Output,
} from '../../guardyn/common/Timestamp.ts';

export interface CallRecord {
  call_id?: string;
  direction?: _guardyn_call_CallDirection;
  peer_user_id?: string;
  media?: _guardyn_call_CallMedia;
  state?: _guardyn_call_CallState;
  end_reason?: _guardyn_call_EndReason;
  started_at?: _guardyn_common_Timestamp | null;
  answered_at?: _guardyn_common_Timestamp | null;
  ended_at?: _guardyn_common_Timestamp | null;
  duration_seconds?: number;
  caller_user_id?: string;
  callee_user_id?: string;
  caller_device_id?: string;
  answered_device_id?: string;
}

export interface CallRecord__Output {
  call_id: string;
  direction: _guardyn_call_CallDirection__Output;
  peer_user_id: string;
  media: _guardyn_call_CallMedia__Output;
  state: _guardyn_call_CallState__Output;
  end_reason: _guardyn_call_EndReason__Output;
  started_at: _guardyn_common_Timestamp__Output | null;
  answered_at: _guardyn_common_Timestamp__Output | null;
  ended_at: _guardyn_common_Timestamp__Output | null;
  duration_seconds: number;
  caller_user_id: string;
  callee_user_id: string;
  caller_device_id: string;
  answered_device_id: string;
}
