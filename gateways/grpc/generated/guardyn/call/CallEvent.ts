// Original file: proto/guardyn/call.proto

import type {
  CallEventKind as _guardyn_call_CallEventKind,
  CallEventKind__Output as _guardyn_call_CallEventKind__Output,
} from '../../guardyn/call/CallEventKind.ts';
import type {
  CallMedia as _guardyn_call_CallMedia,
  CallMedia__Output as _guardyn_call_CallMedia__Output,
} from '../../guardyn/call/CallMedia.ts';
import type {
  EndReason as _guardyn_call_EndReason,
  EndReason__Output as _guardyn_call_EndReason__Output,
} from '../../guardyn/call/EndReason.ts';
import type {
  Timestamp as _guardyn_common_Timestamp,
  Timestamp__Output as _guardyn_common_Timestamp__Output,
} from '../../guardyn/common/Timestamp.ts';
import type { Long } from '@grpc/proto-loader';

export interface CallEvent {
  kind?: _guardyn_call_CallEventKind;
  call_id?: string;
  caller_user_id?: string;
  callee_user_id?: string;
  media?: _guardyn_call_CallMedia;
  user_id?: string;
  device_id?: string;
  payload?: Buffer | Uint8Array | string;
  end_reason?: _guardyn_call_EndReason;
  duration_seconds?: number;
  at?: _guardyn_common_Timestamp | null;
  seq?: number | string | Long;
  caller_device_id?: string;
}

export interface CallEvent__Output {
  kind: _guardyn_call_CallEventKind__Output;
  call_id: string;
  caller_user_id: string;
  callee_user_id: string;
  media: _guardyn_call_CallMedia__Output;
  user_id: string;
  device_id: string;
  payload: Buffer;
  end_reason: _guardyn_call_EndReason__Output;
  duration_seconds: number;
  at: _guardyn_common_Timestamp__Output | null;
  seq: string;
  caller_device_id: string;
}
