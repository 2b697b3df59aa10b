// Original file: proto/guardyn/auth.proto

import type {
  KeyBundle as _guardyn_common_KeyBundle,
  KeyBundle__Output as _guardyn_common_KeyBundle__Output,
} from '../../guardyn/common/KeyBundle.ts';

export interface DeviceKeyBundle {
  device_id?: string;
  key_bundle?: _guardyn_common_KeyBundle | null;
}

export interface DeviceKeyBundle__Output {
  device_id: string;
  key_bundle: _guardyn_common_KeyBundle__Output | null;
}
