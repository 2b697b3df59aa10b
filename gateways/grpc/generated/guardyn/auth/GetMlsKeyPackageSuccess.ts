// Original file: proto/guardyn/auth.proto

export interface GetMlsKeyPackageSuccess {
  user_id?: string;
  device_id?: string;
  key_package?: Buffer | Uint8Array | string;
  package_id?: string;
}

export interface GetMlsKeyPackageSuccess__Output {
  user_id: string;
  device_id: string;
  key_package: Buffer;
  package_id: string;
}
