// Original file: proto/guardyn/call.proto

import type {
  StartCallSuccess as _guardyn_call_StartCallSuccess,
  StartCallSuccess__Output as _guardyn_call_StartCallSuccess__Output,
} from '../../guardyn/call/StartCallSuccess.ts';
import type {
  ErrorResponse as _guardyn_common_ErrorResponse,
  ErrorResponse__Output as _guardyn_common_ErrorResponse__Output,
} from '../../guardyn/common/ErrorResponse.ts';

export interface StartCallResponse {
  success?: _guardyn_call_StartCallSuccess | null;
  error?: _guardyn_common_ErrorResponse | null;
  result?: 'success' | 'error';
}

export interface StartCallResponse__Output {
  success?: _guardyn_call_StartCallSuccess__Output | null;
  error?: _guardyn_common_ErrorResponse__Output | null;
  result?: 'success' | 'error';
}
