// Original file: proto/guardyn/auth.proto

export interface LogoutSuccess {
  sessions_invalidated?: number;
}

export interface LogoutSuccess__Output {
  sessions_invalidated: number;
}
