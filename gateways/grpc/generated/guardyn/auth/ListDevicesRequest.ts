// Original file: proto/guardyn/auth.proto

export interface ListDevicesRequest {
  access_token?: string;
}

export interface ListDevicesRequest__Output {
  access_token: string;
}
