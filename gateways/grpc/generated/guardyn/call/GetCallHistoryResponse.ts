// Original file: proto/guardyn/call.proto

import type {
  GetCallHistorySuccess as _guardyn_call_GetCallHistorySuccess,
  GetCallHistorySuccess__Output as _guardyn_call_GetCallHistorySuccess__Output,
} from '../../guardyn/call/GetCallHistorySuccess.ts';
import type {
  ErrorResponse as _guardyn_common_ErrorResponse,
  ErrorResponse__Output as _guardyn_common_ErrorResponse__Output,
} from '../../guardyn/common/ErrorResponse.ts';

export interface GetCallHistoryResponse {
  success?: _guardyn_call_GetCallHistorySuccess | null;
  error?: _guardyn_common_ErrorResponse | null;
  result?: 'success' | 'error';
}

export interface GetCallHistoryResponse__Output {
  success?: _guardyn_call_GetCallHistorySuccess__Output | null;
  error?: _guardyn_common_ErrorResponse__Output | null;
  result?: 'success' | 'error';
}
