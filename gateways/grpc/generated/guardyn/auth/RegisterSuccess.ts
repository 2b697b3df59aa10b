// Original file: proto/guardyn/auth.proto

import type {
  Timestamp as _guardyn_common_Timestamp,
  Timestamp__Output as _guardyn_common_Timestamp__Output,
} from '../../guardyn/common/Timestamp.ts';
import type {
  ConsistencyToken as _guardyn_common_ConsistencyToken,
  ConsistencyToken__Output as _guardyn_common_ConsistencyToken__Output,
} from '../../guardyn/common/ConsistencyToken.ts';

export interface RegisterSuccess {
  user_id?: string;
  device_id?: string;
  access_token?: string;
  access_token_expires_in?: number;
  refresh_token?: string;
  refresh_token_expires_in?: number;
  created_at?: _guardyn_common_Timestamp | null;
  consistency?: _guardyn_common_ConsistencyToken | null;
}

export interface RegisterSuccess__Output {
  user_id: string;
  device_id: string;
  access_token: string;
  access_token_expires_in: number;
  refresh_token: string;
  refresh_token_expires_in: number;
  created_at: _guardyn_common_Timestamp__Output | null;
  consistency: _guardyn_common_ConsistencyToken__Output | null;
}
