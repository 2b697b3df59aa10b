// Original file: proto/guardyn/auth.proto

import type {
  UserProfile as _guardyn_auth_UserProfile,
  UserProfile__Output as _guardyn_auth_UserProfile__Output,
} from '../../guardyn/auth/UserProfile.ts';
import type {
  ErrorResponse as _guardyn_common_ErrorResponse,
  ErrorResponse__Output as _guardyn_common_ErrorResponse__Output,
} from '../../guardyn/common/ErrorResponse.ts';

export interface GetUserProfileResponse {
  success?: _guardyn_auth_UserProfile | null;
  error?: _guardyn_common_ErrorResponse | null;
  result?: 'success' | 'error';
}

export interface GetUserProfileResponse__Output {
  success?: _guardyn_auth_UserProfile__Output | null;
  error?: _guardyn_common_ErrorResponse__Output | null;
  result?: 'success' | 'error';
}
