// Original file: proto/guardyn/auth.proto

export interface GetKeyBundleRequest {
  user_id?: string;
  device_id?: string;
}

export interface GetKeyBundleRequest__Output {
  user_id: string;
  device_id: string;
}
