// Original file: proto/guardyn/auth.proto

export interface LogoutRequest {
  access_token?: string;
  all_devices?: boolean;
}

export interface LogoutRequest__Output {
  access_token: string;
  all_devices: boolean;
}
