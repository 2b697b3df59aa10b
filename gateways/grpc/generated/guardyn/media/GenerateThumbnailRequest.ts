// Original file: proto/guardyn/media.proto

export interface GenerateThumbnailRequest {
  media_id?: string;
  max_width?: number;
  max_height?: number;
  format?: string;
  quality?: number;
}

export interface GenerateThumbnailRequest__Output {
  media_id: string;
  max_width: number;
  max_height: number;
  format: string;
  quality: number;
}
