// Original file: proto/guardyn/call.proto

export interface HangUpRequest {
  access_token?: string;
  call_id?: string;
}

export interface HangUpRequest__Output {
  access_token: string;
  call_id: string;
}
