// Original file: proto/guardyn/common.proto

import type {
  Timestamp as _guardyn_common_Timestamp,
  Timestamp__Output as _guardyn_common_Timestamp__Output,
} from '../../guardyn/common/Timestamp.ts';

export interface KeyBundle {
  identity_key?: Buffer | Uint8Array | string;
  signed_pre_key?: Buffer | Uint8Array | string;
  signed_pre_key_signature?: Buffer | Uint8Array | string;
  one_time_pre_keys?: (Buffer | Uint8Array | string)[];
  created_at?: _guardyn_common_Timestamp | null;
}

export interface KeyBundle__Output {
  identity_key: Buffer;
  signed_pre_key: Buffer;
  signed_pre_key_signature: Buffer;
  one_time_pre_keys: Buffer[];
  created_at: _guardyn_common_Timestamp__Output | null;
}
