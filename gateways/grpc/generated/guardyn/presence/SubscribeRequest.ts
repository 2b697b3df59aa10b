// Original file: proto/guardyn/presence.proto

export interface SubscribeRequest {
  access_token?: string;
  user_ids?: string[];
}

export interface SubscribeRequest__Output {
  access_token: string;
  user_ids: string[];
}
