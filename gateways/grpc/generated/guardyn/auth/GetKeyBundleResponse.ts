// Original file: proto/guardyn/auth.proto

import type {
  GetKeyBundleSuccess as _guardyn_auth_GetKeyBundleSuccess,
  GetKeyBundleSuccess__Output as _guardyn_auth_GetKeyBundleSuccess__Output,
} from '../../guardyn/auth/GetKeyBundleSuccess.ts';
import type {
  ErrorResponse as _guardyn_common_ErrorResponse,
  ErrorResponse__Output as _guardyn_common_ErrorResponse__Output,
} from '../../guardyn/common/ErrorResponse.ts';

export interface GetKeyBundleResponse {
  success?: _guardyn_auth_GetKeyBundleSuccess | null;
  error?: _guardyn_common_ErrorResponse | null;
  result?: 'success' | 'error';
}

export interface GetKeyBundleResponse__Output {
  success?: _guardyn_auth_GetKeyBundleSuccess__Output | null;
  error?: _guardyn_common_ErrorResponse__Output | null;
  result?: 'success' | 'error';
}
