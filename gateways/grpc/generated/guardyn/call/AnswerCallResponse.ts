// Original file: proto/guardyn/call.proto

import type {
  AnswerCallSuccess as _guardyn_call_AnswerCallSuccess,
  AnswerCallSuccess__Output as _guardyn_call_AnswerCallSuccess__Output,
} from '../../guardyn/call/AnswerCallSuccess.ts';
import type {
  ErrorResponse as _guardyn_common_ErrorResponse,
  ErrorResponse__Output as _guardyn_common_ErrorResponse__Output,
} from '../../guardyn/common/ErrorResponse.ts';

export interface AnswerCallResponse {
  success?: _guardyn_call_AnswerCallSuccess | null;
  error?: _guardyn_common_ErrorResponse | null;
  result?: 'success' | 'error';
}

export interface AnswerCallResponse__Output {
  success?: _guardyn_call_AnswerCallSuccess__Output | null;
  error?: _guardyn_common_ErrorResponse__Output | null;
  result?: 'success' | 'error';
}
