// Original file: proto/guardyn/auth.proto

import type {
  LoginSuccess as _guardyn_auth_LoginSuccess,
  LoginSuccess__Output as _guardyn_auth_LoginSuccess__Output,
} from '../../guardyn/auth/LoginSuccess.ts';
import type {
  ErrorResponse as _guardyn_common_ErrorResponse,
  ErrorResponse__Output as _guardyn_common_ErrorResponse__Output,
} from '../../guardyn/common/ErrorResponse.ts';

export interface LoginResponse {
  success?: _guardyn_auth_LoginSuccess | null;
  error?: _guardyn_common_ErrorResponse | null;
  result?: 'success' | 'error';
}

export interface LoginResponse__Output {
  success?: _guardyn_auth_LoginSuccess__Output | null;
  error?: _guardyn_common_ErrorResponse__Output | null;
  result?: 'success' | 'error';
}
