// Original file: proto/guardyn/auth.proto

export interface UploadPreKeysSuccess {
  keys_uploaded?: number;
  total_keys_available?: number;
}

export interface UploadPreKeysSuccess__Output {
  keys_uploaded: number;
  total_keys_available: number;
}
