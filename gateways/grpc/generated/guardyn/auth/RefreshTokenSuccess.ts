// Original file: proto/guardyn/auth.proto

export interface RefreshTokenSuccess {
  access_token?: string;
  access_token_expires_in?: number;
  refresh_token?: string;
}

export interface RefreshTokenSuccess__Output {
  access_token: string;
  access_token_expires_in: number;
  refresh_token: string;
}
