// Original file: proto/guardyn/auth.proto

import type {
  KeyBundle as _guardyn_common_KeyBundle,
  KeyBundle__Output as _guardyn_common_KeyBundle__Output,
} from '../../guardyn/common/KeyBundle.ts';

export interface LoginRequest {
  username?: string;
  password?: string;
  device_id?: string;
  device_name?: string;
  device_type?: string;
  key_bundle?: _guardyn_common_KeyBundle | null;
}

export interface LoginRequest__Output {
  username: string;
  password: string;
  device_id: string;
  device_name: string;
  device_type: string;
  key_bundle: _guardyn_common_KeyBundle__Output | null;
}
