// Original file: proto/guardyn/auth.proto

import type {
  ValidateTokenSuccess as _guardyn_auth_ValidateTokenSuccess,
  ValidateTokenSuccess__Output as _guardyn_auth_ValidateTokenSuccess__Output,
} from '../../guardyn/auth/ValidateTokenSuccess.ts';
import type {
  ErrorResponse as _guardyn_common_ErrorResponse,
  ErrorResponse__Output as _guardyn_common_ErrorResponse__Output,
} from '../../guardyn/common/ErrorResponse.ts';

export interface ValidateTokenResponse {
  success?: _guardyn_auth_ValidateTokenSuccess | null;
  error?: _guardyn_common_ErrorResponse | null;
  result?: 'success' | 'error';
}

export interface ValidateTokenResponse__Output {
  success?: _guardyn_auth_ValidateTokenSuccess__Output | null;
  error?: _guardyn_common_ErrorResponse__Output | null;
  result?: 'success' | 'error';
}
