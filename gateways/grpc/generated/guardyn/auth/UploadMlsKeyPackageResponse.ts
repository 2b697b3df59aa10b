// Original file: proto/guardyn/auth.proto

import type {
  UploadMlsKeyPackageSuccess as _guardyn_auth_UploadMlsKeyPackageSuccess,
  UploadMlsKeyPackageSuccess__Output as _guardyn_auth_UploadMlsKeyPackageSuccess__Output,
} from '../../guardyn/auth/UploadMlsKeyPackageSuccess.ts';
import type {
  ErrorResponse as _guardyn_common_ErrorResponse,
  ErrorResponse__Output as _guardyn_common_ErrorResponse__Output,
} from '../../guardyn/common/ErrorResponse.ts';

export interface UploadMlsKeyPackageResponse {
  success?: _guardyn_auth_UploadMlsKeyPackageSuccess | null;
  error?: _guardyn_common_ErrorResponse | null;
  result?: 'success' | 'error';
}

export interface UploadMlsKeyPackageResponse__Output {
  success?: _guardyn_auth_UploadMlsKeyPackageSuccess__Output | null;
  error?: _guardyn_common_ErrorResponse__Output | null;
  result?: 'success' | 'error';
}
