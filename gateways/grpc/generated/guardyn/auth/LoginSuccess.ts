// Original file: proto/guardyn/auth.proto

import type {
  UserProfile as _guardyn_auth_UserProfile,
  UserProfile__Output as _guardyn_auth_UserProfile__Output,
} from '../../guardyn/auth/UserProfile.ts';
import type {
  DeviceInfo as _guardyn_auth_DeviceInfo,
  DeviceInfo__Output as _guardyn_auth_DeviceInfo__Output,
} from '../../guardyn/auth/DeviceInfo.ts';
import type {
  ConsistencyToken as _guardyn_common_ConsistencyToken,
  ConsistencyToken__Output as _guardyn_common_ConsistencyToken__Output,
} from '../../guardyn/common/ConsistencyToken.ts';

export interface LoginSuccess {
  user_id?: string;
  device_id?: string;
  access_token?: string;
  access_token_expires_in?: number;
  refresh_token?: string;
  refresh_token_expires_in?: number;
  profile?: _guardyn_auth_UserProfile | null;
  devices?: _guardyn_auth_DeviceInfo[];
  consistency?: _guardyn_common_ConsistencyToken | null;
}

export interface LoginSuccess__Output {
  user_id: string;
  device_id: string;
  access_token: string;
  access_token_expires_in: number;
  refresh_token: string;
  refresh_token_expires_in: number;
  profile: _guardyn_auth_UserProfile__Output | null;
  devices: _guardyn_auth_DeviceInfo__Output[];
  consistency: _guardyn_common_ConsistencyToken__Output | null;
}
