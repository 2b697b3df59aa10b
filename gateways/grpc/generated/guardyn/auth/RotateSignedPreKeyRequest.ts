// Original file: proto/guardyn/auth.proto

export interface RotateSignedPreKeyRequest {
  access_token?: string;
  signed_pre_key?: Buffer | Uint8Array | string;
  signed_pre_key_signature?: Buffer | Uint8Array | string;
}

export interface RotateSignedPreKeyRequest__Output {
  access_token: string;
  signed_pre_key: Buffer;
  signed_pre_key_signature: Buffer;
}
