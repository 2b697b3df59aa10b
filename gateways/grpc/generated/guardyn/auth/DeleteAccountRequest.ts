// Original file: proto/guardyn/auth.proto

export interface DeleteAccountRequest {
  access_token?: string;
  password?: string;
}

export interface DeleteAccountRequest__Output {
  access_token: string;
  password: string;
}
