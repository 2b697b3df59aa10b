// Original file: proto/guardyn/media.proto

import type {
  UploadMediaHeader as _guardyn_media_UploadMediaHeader,
  UploadMediaHeader__Output as _guardyn_media_UploadMediaHeader__Output,
} from '../../guardyn/media/UploadMediaHeader.ts';

export interface UploadMediaRequest {
  header?: _guardyn_media_UploadMediaHeader | null;
  chunk?: Buffer | Uint8Array | string;
  content?: 'header' | 'chunk';
}

export interface UploadMediaRequest__Output {
  header?: _guardyn_media_UploadMediaHeader__Output | null;
  chunk?: Buffer;
  content?: 'header' | 'chunk';
}
