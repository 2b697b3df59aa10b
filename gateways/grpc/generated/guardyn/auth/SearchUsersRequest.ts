// Original file: proto/guardyn/auth.proto

export interface SearchUsersRequest {
  access_token?: string;
  query?: string;
  limit?: number;
  cursor?: string;
}

export interface SearchUsersRequest__Output {
  access_token: string;
  query: string;
  limit: number;
  cursor: string;
}
