// Original file: proto/guardyn/call.proto

export interface ReceiveCallEventsRequest {
  access_token?: string;
}

export interface ReceiveCallEventsRequest__Output {
  access_token: string;
}
