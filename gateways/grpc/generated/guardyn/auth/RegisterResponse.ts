// Original file: proto/guardyn/auth.proto

import type {
  RegisterSuccess as _guardyn_auth_RegisterSuccess,
  RegisterSuccess__Output as _guardyn_auth_RegisterSuccess__Output,
} from '../../guardyn/auth/RegisterSuccess.ts';
import type {
  ErrorResponse as _guardyn_common_ErrorResponse,
  ErrorResponse__Output as _guardyn_common_ErrorResponse__Output,
} from '../../guardyn/common/ErrorResponse.ts';

export interface RegisterResponse {
  success?: _guardyn_auth_RegisterSuccess | null;
  error?: _guardyn_common_ErrorResponse | null;
  result?: 'success' | 'error';
}

export interface RegisterResponse__Output {
  success?: _guardyn_auth_RegisterSuccess__Output | null;
  error?: _guardyn_common_ErrorResponse__Output | null;
  result?: 'success' | 'error';
}
