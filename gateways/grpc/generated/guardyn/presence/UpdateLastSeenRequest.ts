// Original file: proto/guardyn/presence.proto

export interface UpdateLastSeenRequest {
  access_token?: string;
}

export interface UpdateLastSeenRequest__Output {
  access_token: string;
}
