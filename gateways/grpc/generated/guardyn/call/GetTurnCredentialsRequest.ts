// Original file: proto/guardyn/call.proto

export interface GetTurnCredentialsRequest {
  access_token?: string;
}

export interface GetTurnCredentialsRequest__Output {
  access_token: string;
}
