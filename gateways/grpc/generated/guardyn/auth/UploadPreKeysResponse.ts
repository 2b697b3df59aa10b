// Original file: proto/guardyn/auth.proto

import type {
  UploadPreKeysSuccess as _guardyn_auth_UploadPreKeysSuccess,
  UploadPreKeysSuccess__Output as _guardyn_auth_UploadPreKeysSuccess__Output,
} from '../../guardyn/auth/UploadPreKeysSuccess.ts';
import type {
  ErrorResponse as _guardyn_common_ErrorResponse,
  ErrorResponse__Output as _guardyn_common_ErrorResponse__Output,
} from '../../guardyn/common/ErrorResponse.ts';

export interface UploadPreKeysResponse {
  success?: _guardyn_auth_UploadPreKeysSuccess | null;
  error?: _guardyn_common_ErrorResponse | null;
  result?: 'success' | 'error';
}

export interface UploadPreKeysResponse__Output {
  success?: _guardyn_auth_UploadPreKeysSuccess__Output | null;
  error?: _guardyn_common_ErrorResponse__Output | null;
  result?: 'success' | 'error';
}
