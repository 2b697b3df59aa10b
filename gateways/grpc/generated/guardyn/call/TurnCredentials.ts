// Original file: proto/guardyn/call.proto

import type {
  Timestamp as _guardyn_common_Timestamp,
  Timestamp__Output as _guardyn_common_Timestamp__Output,
} from '../../guardyn/common/Timestamp.ts';

export interface TurnCredentials {
  username?: string;
  password?: string;
  ttl_seconds?: number;
  uris?: string[];
  expires_at?: _guardyn_common_Timestamp | null;
}

export interface TurnCredentials__Output {
  username: string;
  password: string;
  ttl_seconds: number;
  uris: string[];
  expires_at: _guardyn_common_Timestamp__Output | null;
}
