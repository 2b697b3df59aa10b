// Original file: proto/guardyn/call.proto

export interface SendSignalRequest {
  access_token?: string;
  call_id?: string;
  payload?: Buffer | Uint8Array | string;
  target_device_id?: string;
}

export interface SendSignalRequest__Output {
  access_token: string;
  call_id: string;
  payload: Buffer;
  target_device_id: string;
}
