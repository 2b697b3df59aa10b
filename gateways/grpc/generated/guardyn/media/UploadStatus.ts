// Original file: proto/guardyn/media.proto

export const UploadStatus = {
  UPLOAD_STATUS_UNKNOWN: 'UPLOAD_STATUS_UNKNOWN',
  UPLOAD_STATUS_PENDING: 'UPLOAD_STATUS_PENDING',
  UPLOAD_STATUS_PROCESSING: 'UPLOAD_STATUS_PROCESSING',
  UPLOAD_STATUS_COMPLETED: 'UPLOAD_STATUS_COMPLETED',
  UPLOAD_STATUS_FAILED: 'UPLOAD_STATUS_FAILED',
} as const;

export type UploadStatus =
  | 'UPLOAD_STATUS_UNKNOWN'
  | 0
  | 'UPLOAD_STATUS_PENDING'
  | 1
  | 'UPLOAD_STATUS_PROCESSING'
  | 2
  | 'UPLOAD_STATUS_COMPLETED'
  | 3
  | 'UPLOAD_STATUS_FAILED'
  | 4;

export type UploadStatus__Output = (typeof UploadStatus)[keyof typeof UploadStatus];
