// Original file: proto/guardyn/call.proto

import type {
  RejectReason as _guardyn_call_RejectReason,
  RejectReason__Output as _guardyn_call_RejectReason__Output,
} from '../../guardyn/call/RejectReason.ts';

export interface RejectCallRequest {
  access_token?: string;
  call_id?: string;
  reason?: _guardyn_call_RejectReason;
}

export interface RejectCallRequest__Output {
  access_token: string;
  call_id: string;
  reason: _guardyn_call_RejectReason__Output;
}
