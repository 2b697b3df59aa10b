// Original file: proto/guardyn/auth.proto

export interface RevokeDeviceSuccess {
  device_id?: string;
  sessions_invalidated?: number;
}

export interface RevokeDeviceSuccess__Output {
  device_id: string;
  sessions_invalidated: number;
}
