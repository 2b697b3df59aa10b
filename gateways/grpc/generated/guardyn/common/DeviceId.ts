// Original file: proto/guardyn/common.proto

export interface DeviceId {
  user_id?: string;
  device_id?: string;
}

export interface DeviceId__Output {
  user_id: string;
  device_id: string;
}
