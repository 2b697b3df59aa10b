// Original file: proto/guardyn/auth.proto

import type {
  DeviceInfo as _guardyn_auth_DeviceInfo,
  DeviceInfo__Output as _guardyn_auth_DeviceInfo__Output,
} from '../../guardyn/auth/DeviceInfo.ts';

export interface ListDevicesSuccess {
  devices?: _guardyn_auth_DeviceInfo[];
}

export interface ListDevicesSuccess__Output {
  devices: _guardyn_auth_DeviceInfo__Output[];
}
