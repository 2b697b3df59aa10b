// Original file: proto/guardyn/auth.proto

export interface UploadMlsKeyPackageRequest {
  access_token?: string;
  key_package?: Buffer | Uint8Array | string;
}

export interface UploadMlsKeyPackageRequest__Output {
  access_token: string;
  key_package: Buffer;
}
