// Original file: proto/guardyn/presence.proto

export interface GetStatusRequest {
  access_token?: string;
  user_id?: string;
}

export interface GetStatusRequest__Output {
  access_token: string;
  user_id: string;
}
