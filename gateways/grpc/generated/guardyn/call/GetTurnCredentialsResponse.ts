// Original file: proto/guardyn/call.proto

import type {
  TurnCredentials as _guardyn_call_TurnCredentials,
  TurnCredentials__Output as _guardyn_call_TurnCredentials__Output,
} from '../../guardyn/call/TurnCredentials.ts';
import type {
  ErrorResponse as _guardyn_common_ErrorResponse,
  ErrorResponse__Output as _guardyn_common_ErrorResponse__Output,
} from '../../guardyn/common/ErrorResponse.ts';

export interface GetTurnCredentialsResponse {
  success?: _guardyn_call_TurnCredentials | null;
  error?: _guardyn_common_ErrorResponse | null;
  result?: 'success' | 'error';
}

export interface GetTurnCredentialsResponse__Output {
  success?: _guardyn_call_TurnCredentials__Output | null;
  error?: _guardyn_common_ErrorResponse__Output | null;
  result?: 'success' | 'error';
}
