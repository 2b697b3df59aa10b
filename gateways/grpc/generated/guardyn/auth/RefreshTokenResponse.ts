// Original file: proto/guardyn/auth.proto

import type {
  RefreshTokenSuccess as _guardyn_auth_RefreshTokenSuccess,
  RefreshTokenSuccess__Output as _guardyn_auth_RefreshTokenSuccess__Output,
} from '../../guardyn/auth/RefreshTokenSuccess.ts';
import type {
  ErrorResponse as _guardyn_common_ErrorResponse,
  ErrorResponse__Output as _guardyn_common_ErrorResponse__Output,
} from '../../guardyn/common/ErrorResponse.ts';

export interface RefreshTokenResponse {
  success?: _guardyn_auth_RefreshTokenSuccess | null;
  error?: _guardyn_common_ErrorResponse | null;
  result?: 'success' | 'error';
}

export interface RefreshTokenResponse__Output {
  success?: _guardyn_auth_RefreshTokenSuccess__Output | null;
  error?: _guardyn_common_ErrorResponse__Output | null;
  result?: 'success' | 'error';
}
