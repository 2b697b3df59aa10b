// Original file: proto/guardyn/auth.proto

import type {
  GetMlsKeyPackageSuccess as _guardyn_auth_GetMlsKeyPackageSuccess,
  GetMlsKeyPackageSuccess__Output as _guardyn_auth_GetMlsKeyPackageSuccess__Output,
} from '../../guardyn/auth/GetMlsKeyPackageSuccess.ts';
import type {
  ErrorResponse as _guardyn_common_ErrorResponse,
  ErrorResponse__Output as _guardyn_common_ErrorResponse__Output,
} from '../../guardyn/common/ErrorResponse.ts';

export interface GetMlsKeyPackageResponse {
  success?: _guardyn_auth_GetMlsKeyPackageSuccess | null;
  error?: _guardyn_common_ErrorResponse | null;
  result?: 'success' | 'error';
}

export interface GetMlsKeyPackageResponse__Output {
  success?: _guardyn_auth_GetMlsKeyPackageSuccess__Output | null;
  error?: _guardyn_common_ErrorResponse__Output | null;
  result?: 'success' | 'error';
}
