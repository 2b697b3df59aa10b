// Original file: proto/guardyn/auth.proto

import type {
  Timestamp as _guardyn_common_Timestamp,
  Timestamp__Output as _guardyn_common_Timestamp__Output,
} from '../../guardyn/common/Timestamp.ts';

export interface DeviceInfo {
  device_id?: string;
  device_name?: string;
  device_type?: string;
  created_at?: _guardyn_common_Timestamp | null;
  last_seen?: _guardyn_common_Timestamp | null;
  is_current?: boolean;
}

export interface DeviceInfo__Output {
  device_id: string;
  device_name: string;
  device_type: string;
  created_at: _guardyn_common_Timestamp__Output | null;
  last_seen: _guardyn_common_Timestamp__Output | null;
  is_current: boolean;
}
