// Original file: proto/guardyn/messaging.proto

import type {
  TypingIndicatorSuccess as _guardyn_messaging_TypingIndicatorSuccess,
  TypingIndicatorSuccess__Output as _guardyn_messaging_TypingIndicatorSuccess__Output,
} from '../../guardyn/messaging/TypingIndicatorSuccess.ts';
import type {
  ErrorResponse as _guardyn_common_ErrorResponse,
  ErrorResponse__Output as _guardyn_common_ErrorResponse__Output,
} from '../../guardyn/common/ErrorResponse.ts';

export interface TypingIndicatorResponse {
  success?: _guardyn_messaging_TypingIndicatorSuccess | null;
  error?: _guardyn_common_ErrorResponse | null;
  result?: 'success' | 'error';
}

export interface TypingIndicatorResponse__Output {
  success?: _guardyn_messaging_TypingIndicatorSuccess__Output | null;
  error?: _guardyn_common_ErrorResponse__Output | null;
  result?: 'success' | 'error';
}
