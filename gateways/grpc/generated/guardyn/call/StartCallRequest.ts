// Original file: proto/guardyn/call.proto

import type {
  CallMedia as _guardyn_call_CallMedia,
  CallMedia__Output as _guardyn_call_CallMedia__Output,
} from '../../guardyn/call/CallMedia.ts';

export interface StartCallRequest {
  access_token?: string;
  callee_user_id?: string;
  media?: _guardyn_call_CallMedia;
  offer?: Buffer | Uint8Array | string;
  device_offers?: { [key: string]: Buffer | Uint8Array | string };
  client_call_id?: string;
}

export interface StartCallRequest__Output {
  access_token: string;
  callee_user_id: string;
  media: _guardyn_call_CallMedia__Output;
  offer: Buffer;
  device_offers: { [key: string]: Buffer };
  client_call_id: string;
}
