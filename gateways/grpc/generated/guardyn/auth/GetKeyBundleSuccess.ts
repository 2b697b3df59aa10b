// Original file: proto/guardyn/auth.proto

import type {
  KeyBundle as _guardyn_common_KeyBundle,
  KeyBundle__Output as _guardyn_common_KeyBundle__Output,
} from '../../guardyn/common/KeyBundle.ts';
import type {
  DeviceKeyBundle as _guardyn_auth_DeviceKeyBundle,
  DeviceKeyBundle__Output as _guardyn_auth_DeviceKeyBundle__Output,
} from '../../guardyn/auth/DeviceKeyBundle.ts';

export interface GetKeyBundleSuccess {
  user_id?: string;
  device_id?: string;
  key_bundle?: _guardyn_common_KeyBundle | null;
  bundles?: _guardyn_auth_DeviceKeyBundle[];
}

export interface GetKeyBundleSuccess__Output {
  user_id: string;
  device_id: string;
  key_bundle: _guardyn_common_KeyBundle__Output | null;
  bundles: _guardyn_auth_DeviceKeyBundle__Output[];
}
