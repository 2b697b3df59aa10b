// Original file: proto/guardyn/auth.proto

export interface GetMlsKeyPackageRequest {
  user_id?: string;
  device_id?: string;
}

export interface GetMlsKeyPackageRequest__Output {
  user_id: string;
  device_id: string;
}
