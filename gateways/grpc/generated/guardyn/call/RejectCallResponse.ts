// Original file: proto/guardyn/call.proto

import type {
  CallEnded as _guardyn_call_CallEnded,
  CallEnded__Output as _guardyn_call_CallEnded__Output,
} from '../../guardyn/call/CallEnded.ts';
import type {
  ErrorResponse as _guardyn_common_ErrorResponse,
  ErrorResponse__Output as _guardyn_common_ErrorResponse__Output,
} from '../../guardyn/common/ErrorResponse.ts';

export interface RejectCallResponse {
  success?: _guardyn_call_CallEnded | null;
  error?: _guardyn_common_ErrorResponse | null;
  result?: 'success' | 'error';
}

export interface RejectCallResponse__Output {
  success?: _guardyn_call_CallEnded__Output | null;
  error?: _guardyn_common_ErrorResponse__Output | null;
  result?: 'success' | 'error';
}
