// Original file: proto/guardyn/messaging.proto

import type {
  LeaveGroupSuccess as _guardyn_messaging_LeaveGroupSuccess,
  LeaveGroupSuccess__Output as _guardyn_messaging_LeaveGroupSuccess__Output,
} from '../../guardyn/messaging/LeaveGroupSuccess.ts';
import type {
  ErrorResponse as _guardyn_common_ErrorResponse,
  ErrorResponse__Output as _guardyn_common_ErrorResponse__Output,
} from '../../guardyn/common/ErrorResponse.ts';

export interface LeaveGroupResponse {
  success?: _guardyn_messaging_LeaveGroupSuccess | null;
  error?: _guardyn_common_ErrorResponse | null;
  result?: 'success' | 'error';
}

export interface LeaveGroupResponse__Output {
  success?: _guardyn_messaging_LeaveGroupSuccess__Output | null;
  error?: _guardyn_common_ErrorResponse__Output | null;
  result?: 'success' | 'error';
}
