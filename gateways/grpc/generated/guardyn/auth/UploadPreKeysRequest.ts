// Original file: proto/guardyn/auth.proto

export interface UploadPreKeysRequest {
  access_token?: string;
  one_time_pre_keys?: (Buffer | Uint8Array | string)[];
}

export interface UploadPreKeysRequest__Output {
  access_token: string;
  one_time_pre_keys: Buffer[];
}
