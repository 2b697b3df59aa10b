// Original file: proto/guardyn/messaging.proto

import type {
  MarkAsReadSuccess as _guardyn_messaging_MarkAsReadSuccess,
  MarkAsReadSuccess__Output as _guardyn_messaging_MarkAsReadSuccess__Output,
} from '../../guardyn/messaging/MarkAsReadSuccess.ts';
import type {
  ErrorResponse as _guardyn_common_ErrorResponse,
  ErrorResponse__Output as _guardyn_common_ErrorResponse__Output,
} from '../../guardyn/common/ErrorResponse.ts';

export interface MarkAsReadResponse {
  success?: _guardyn_messaging_MarkAsReadSuccess | null;
  error?: _guardyn_common_ErrorResponse | null;
  result?: 'success' | 'error';
}

export interface MarkAsReadResponse__Output {
  success?: _guardyn_messaging_MarkAsReadSuccess__Output | null;
  error?: _guardyn_common_ErrorResponse__Output | null;
  result?: 'success' | 'error';
}
