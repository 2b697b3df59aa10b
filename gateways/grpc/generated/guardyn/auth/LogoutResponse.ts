// Original file: proto/guardyn/auth.proto

import type {
  LogoutSuccess as _guardyn_auth_LogoutSuccess,
  LogoutSuccess__Output as _guardyn_auth_LogoutSuccess__Output,
} from '../../guardyn/auth/LogoutSuccess.ts';
import type {
  ErrorResponse as _guardyn_common_ErrorResponse,
  ErrorResponse__Output as _guardyn_common_ErrorResponse__Output,
} from '../../guardyn/common/ErrorResponse.ts';

export interface LogoutResponse {
  success?: _guardyn_auth_LogoutSuccess | null;
  error?: _guardyn_common_ErrorResponse | null;
  result?: 'success' | 'error';
}

export interface LogoutResponse__Output {
  success?: _guardyn_auth_LogoutSuccess__Output | null;
  error?: _guardyn_common_ErrorResponse__Output | null;
  result?: 'success' | 'error';
}
