// Original file: proto/guardyn/auth.proto

import type {
  Timestamp as _guardyn_common_Timestamp,
  Timestamp__Output as _guardyn_common_Timestamp__Output,
} from '../../guardyn/common/Timestamp.ts';

export interface UploadMlsKeyPackageSuccess {
  package_id?: string;
  uploaded_at?: _guardyn_common_Timestamp | null;
}

export interface UploadMlsKeyPackageSuccess__Output {
  package_id: string;
  uploaded_at: _guardyn_common_Timestamp__Output | null;
}
