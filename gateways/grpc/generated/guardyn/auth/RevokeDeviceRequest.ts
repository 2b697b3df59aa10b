// Original file: proto/guardyn/auth.proto

export interface RevokeDeviceRequest {
  access_token?: string;
  device_id?: string;
}

export interface RevokeDeviceRequest__Output {
  access_token: string;
  device_id: string;
}
