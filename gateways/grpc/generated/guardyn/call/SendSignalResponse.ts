// Original file: proto/guardyn/call.proto

import type {
  SendSignalSuccess as _guardyn_call_SendSignalSuccess,
  SendSignalSuccess__Output as _guardyn_call_SendSignalSuccess__Output,
} from '../../guardyn/call/SendSignalSuccess.ts';
import type {
  ErrorResponse as _guardyn_common_ErrorResponse,
  ErrorResponse__Output as _guardyn_common_ErrorResponse__Output,
} from '../../guardyn/common/ErrorResponse.ts';

export interface SendSignalResponse {
  success?: _guardyn_call_SendSignalSuccess | null;
  error?: _guardyn_common_ErrorResponse | null;
  result?: 'success' | 'error';
}

export interface SendSignalResponse__Output {
  success?: _guardyn_call_SendSignalSuccess__Output | null;
  error?: _guardyn_common_ErrorResponse__Output | null;
  result?: 'success' | 'error';
}
