// Original file: proto/guardyn/presence.proto

export interface GetBulkStatusRequest {
  access_token?: string;
  user_ids?: string[];
}

export interface GetBulkStatusRequest__Output {
  access_token: string;
  user_ids: string[];
}
