// Original file: proto/guardyn/messaging.proto

import type {
  DeleteMessageSuccess as _guardyn_messaging_DeleteMessageSuccess,
  DeleteMessageSuccess__Output as _guardyn_messaging_DeleteMessageSuccess__Output,
} from '../../guardyn/messaging/DeleteMessageSuccess.ts';
import type {
  ErrorResponse as _guardyn_common_ErrorResponse,
  ErrorResponse__Output as _guardyn_common_ErrorResponse__Output,
} from '../../guardyn/common/ErrorResponse.ts';

export interface DeleteMessageResponse {
  success?: _guardyn_messaging_DeleteMessageSuccess | null;
  error?: _guardyn_common_ErrorResponse | null;
  result?: 'success' | 'error';
}

export interface DeleteMessageResponse__Output {
  success?: _guardyn_messaging_DeleteMessageSuccess__Output | null;
  error?: _guardyn_common_ErrorResponse__Output | null;
  result?: 'success' | 'error';
}
