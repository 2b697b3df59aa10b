// Original file: proto/guardyn/media.proto

import type {
  MediaType as _guardyn_media_MediaType,
  MediaType__Output as _guardyn_media_MediaType__Output,
} from '../../guardyn/media/MediaType.ts';

export interface ListMediaRequest {
  user_id?: string;
  conversation_id?: string;
  media_types?: _guardyn_media_MediaType[];
  limit?: number;
  cursor?: string;
  sort_by?: string;
  ascending?: boolean;
}

export interface ListMediaRequest__Output {
  user_id: string;
  conversation_id: string;
  media_types: _guardyn_media_MediaType__Output[];
  limit: number;
  cursor: string;
  sort_by: string;
  ascending: boolean;
}
