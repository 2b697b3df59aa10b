// Original file: proto/guardyn/auth.proto

export interface ValidateTokenRequest {
  access_token?: string;
}

export interface ValidateTokenRequest__Output {
  access_token: string;
}
