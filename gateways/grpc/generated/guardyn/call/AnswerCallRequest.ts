// Original file: proto/guardyn/call.proto

export interface AnswerCallRequest {
  access_token?: string;
  call_id?: string;
  answer?: Buffer | Uint8Array | string;
}

export interface AnswerCallRequest__Output {
  access_token: string;
  call_id: string;
  answer: Buffer;
}
