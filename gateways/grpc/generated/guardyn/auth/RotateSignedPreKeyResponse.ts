// Original file: proto/guardyn/auth.proto

import type {
  RotateSignedPreKeySuccess as _guardyn_auth_RotateSignedPreKeySuccess,
  RotateSignedPreKeySuccess__Output as _guardyn_auth_RotateSignedPreKeySuccess__Output,
} from '../../guardyn/auth/RotateSignedPreKeySuccess.ts';
import type {
  ErrorResponse as _guardyn_common_ErrorResponse,
  ErrorResponse__Output as _guardyn_common_ErrorResponse__Output,
} from '../../guardyn/common/ErrorResponse.ts';

export interface RotateSignedPreKeyResponse {
  success?: _guardyn_auth_RotateSignedPreKeySuccess | null;
  error?: _guardyn_common_ErrorResponse | null;
  result?: 'success' | 'error';
}

export interface RotateSignedPreKeyResponse__Output {
  success?: _guardyn_auth_RotateSignedPreKeySuccess__Output | null;
  error?: _guardyn_common_ErrorResponse__Output | null;
  result?: 'success' | 'error';
}
