// Original file: proto/guardyn/auth.proto

import type {
  KeyBundle as _guardyn_common_KeyBundle,
  KeyBundle__Output as _guardyn_common_KeyBundle__Output,
} from '../../guardyn/common/KeyBundle.ts';

export interface RegisterRequest {
  username?: string;
  password?: string;
  email?: string;
  device_name?: string;
  device_type?: string;
  key_bundle?: _guardyn_common_KeyBundle | null;
}

export interface RegisterRequest__Output {
  username: string;
  password: string;
  email: string;
  device_name: string;
  device_type: string;
  key_bundle: _guardyn_common_KeyBundle__Output | null;
}
