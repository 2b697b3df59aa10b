import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type {
  ConsistencyToken as _guardyn_common_ConsistencyToken,
  ConsistencyToken__Output as _guardyn_common_ConsistencyToken__Output,
} from './guardyn/common/ConsistencyToken.ts';
import type {
  DeviceId as _guardyn_common_DeviceId,
  DeviceId__Output as _guardyn_common_DeviceId__Output,
} from './guardyn/common/DeviceId.ts';
import type {
  ErrorResponse as _guardyn_common_ErrorResponse,
  ErrorResponse__Output as _guardyn_common_ErrorResponse__Output,
} from './guardyn/common/ErrorResponse.ts';
import type {
  HealthStatus as _guardyn_common_HealthStatus,
  HealthStatus__Output as _guardyn_common_HealthStatus__Output,
} from './guardyn/common/HealthStatus.ts';
import type {
  KeyBundle as _guardyn_common_KeyBundle,
  KeyBundle__Output as _guardyn_common_KeyBundle__Output,
} from './guardyn/common/KeyBundle.ts';
import type {
  PaginationRequest as _guardyn_common_PaginationRequest,
  PaginationRequest__Output as _guardyn_common_PaginationRequest__Output,
} from './guardyn/common/PaginationRequest.ts';
import type {
  PaginationResponse as _guardyn_common_PaginationResponse,
  PaginationResponse__Output as _guardyn_common_PaginationResponse__Output,
} from './guardyn/common/PaginationResponse.ts';
import type {
  Timestamp as _guardyn_common_Timestamp,
  Timestamp__Output as _guardyn_common_Timestamp__Output,
} from './guardyn/common/Timestamp.ts';
import type {
  UserId as _guardyn_common_UserId,
  UserId__Output as _guardyn_common_UserId__Output,
} from './guardyn/common/UserId.ts';
import type {
  DeleteMediaRequest as _guardyn_media_DeleteMediaRequest,
  DeleteMediaRequest__Output as _guardyn_media_DeleteMediaRequest__Output,
} from './guardyn/media/DeleteMediaRequest.ts';
import type {
  DeleteMediaResponse as _guardyn_media_DeleteMediaResponse,
  DeleteMediaResponse__Output as _guardyn_media_DeleteMediaResponse__Output,
} from './guardyn/media/DeleteMediaResponse.ts';
import type {
  DownloadMediaRequest as _guardyn_media_DownloadMediaRequest,
  DownloadMediaRequest__Output as _guardyn_media_DownloadMediaRequest__Output,
} from './guardyn/media/DownloadMediaRequest.ts';
import type {
  DownloadMediaResponse as _guardyn_media_DownloadMediaResponse,
  DownloadMediaResponse__Output as _guardyn_media_DownloadMediaResponse__Output,
} from './guardyn/media/DownloadMediaResponse.ts';
import type {
  GenerateThumbnailRequest as _guardyn_media_GenerateThumbnailRequest,
  GenerateThumbnailRequest__Output as _guardyn_media_GenerateThumbnailRequest__Output,
} from './guardyn/media/GenerateThumbnailRequest.ts';
import type {
  GenerateThumbnailResponse as _guardyn_media_GenerateThumbnailResponse,
  GenerateThumbnailResponse__Output as _guardyn_media_GenerateThumbnailResponse__Output,
} from './guardyn/media/GenerateThumbnailResponse.ts';
import type {
  GetDownloadUrlRequest as _guardyn_media_GetDownloadUrlRequest,
  GetDownloadUrlRequest__Output as _guardyn_media_GetDownloadUrlRequest__Output,
} from './guardyn/media/GetDownloadUrlRequest.ts';
import type {
  GetDownloadUrlResponse as _guardyn_media_GetDownloadUrlResponse,
  GetDownloadUrlResponse__Output as _guardyn_media_GetDownloadUrlResponse__Output,
} from './guardyn/media/GetDownloadUrlResponse.ts';
import type {
  GetMediaMetadataRequest as _guardyn_media_GetMediaMetadataRequest,
  GetMediaMetadataRequest__Output as _guardyn_media_GetMediaMetadataRequest__Output,
} from './guardyn/media/GetMediaMetadataRequest.ts';
import type {
  GetMediaMetadataResponse as _guardyn_media_GetMediaMetadataResponse,
  GetMediaMetadataResponse__Output as _guardyn_media_GetMediaMetadataResponse__Output,
} from './guardyn/media/GetMediaMetadataResponse.ts';
import type {
  GetUploadUrlRequest as _guardyn_media_GetUploadUrlRequest,
  GetUploadUrlRequest__Output as _guardyn_media_GetUploadUrlRequest__Output,
} from './guardyn/media/GetUploadUrlRequest.ts';
import type {
  GetUploadUrlResponse as _guardyn_media_GetUploadUrlResponse,
  GetUploadUrlResponse__Output as _guardyn_media_GetUploadUrlResponse__Output,
} from './guardyn/media/GetUploadUrlResponse.ts';
import type {
  ListMediaRequest as _guardyn_media_ListMediaRequest,
  ListMediaRequest__Output as _guardyn_media_ListMediaRequest__Output,
} from './guardyn/media/ListMediaRequest.ts';
import type {
  ListMediaResponse as _guardyn_media_ListMediaResponse,
  ListMediaResponse__Output as _guardyn_media_ListMediaResponse__Output,
} from './guardyn/media/ListMediaResponse.ts';
import type {
  MediaMetadata as _guardyn_media_MediaMetadata,
  MediaMetadata__Output as _guardyn_media_MediaMetadata__Output,
} from './guardyn/media/MediaMetadata.ts';
import type {
  MediaServiceClient as _guardyn_media_MediaServiceClient,
  MediaServiceDefinition as _guardyn_media_MediaServiceDefinition,
} from './guardyn/media/MediaService.ts';
import type {
  UploadMediaHeader as _guardyn_media_UploadMediaHeader,
  UploadMediaHeader__Output as _guardyn_media_UploadMediaHeader__Output,
} from './guardyn/media/UploadMediaHeader.ts';
import type {
  UploadMediaRequest as _guardyn_media_UploadMediaRequest,
  UploadMediaRequest__Output as _guardyn_media_UploadMediaRequest__Output,
} from './guardyn/media/UploadMediaRequest.ts';
import type {
  UploadMediaResponse as _guardyn_media_UploadMediaResponse,
  UploadMediaResponse__Output as _guardyn_media_UploadMediaResponse__Output,
} from './guardyn/media/UploadMediaResponse.ts';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new (...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  guardyn: {
    common: {
      ConsistencyToken: MessageTypeDefinition<
        _guardyn_common_ConsistencyToken,
        _guardyn_common_ConsistencyToken__Output
      >;
      DeviceId: MessageTypeDefinition<_guardyn_common_DeviceId, _guardyn_common_DeviceId__Output>;
      ErrorResponse: MessageTypeDefinition<_guardyn_common_ErrorResponse, _guardyn_common_ErrorResponse__Output>;
      HealthStatus: MessageTypeDefinition<_guardyn_common_HealthStatus, _guardyn_common_HealthStatus__Output>;
      KeyBundle: MessageTypeDefinition<_guardyn_common_KeyBundle, _guardyn_common_KeyBundle__Output>;
      PaginationRequest: MessageTypeDefinition<
        _guardyn_common_PaginationRequest,
        _guardyn_common_PaginationRequest__Output
      >;
      PaginationResponse: MessageTypeDefinition<
        _guardyn_common_PaginationResponse,
        _guardyn_common_PaginationResponse__Output
      >;
      Timestamp: MessageTypeDefinition<_guardyn_common_Timestamp, _guardyn_common_Timestamp__Output>;
      UserId: MessageTypeDefinition<_guardyn_common_UserId, _guardyn_common_UserId__Output>;
    };
    media: {
      DeleteMediaRequest: MessageTypeDefinition<
        _guardyn_media_DeleteMediaRequest,
        _guardyn_media_DeleteMediaRequest__Output
      >;
      DeleteMediaResponse: MessageTypeDefinition<
        _guardyn_media_DeleteMediaResponse,
        _guardyn_media_DeleteMediaResponse__Output
      >;
      DownloadMediaRequest: MessageTypeDefinition<
        _guardyn_media_DownloadMediaRequest,
        _guardyn_media_DownloadMediaRequest__Output
      >;
      DownloadMediaResponse: MessageTypeDefinition<
        _guardyn_media_DownloadMediaResponse,
        _guardyn_media_DownloadMediaResponse__Output
      >;
      GenerateThumbnailRequest: MessageTypeDefinition<
        _guardyn_media_GenerateThumbnailRequest,
        _guardyn_media_GenerateThumbnailRequest__Output
      >;
      GenerateThumbnailResponse: MessageTypeDefinition<
        _guardyn_media_GenerateThumbnailResponse,
        _guardyn_media_GenerateThumbnailResponse__Output
      >;
      GetDownloadUrlRequest: MessageTypeDefinition<
        _guardyn_media_GetDownloadUrlRequest,
        _guardyn_media_GetDownloadUrlRequest__Output
      >;
      GetDownloadUrlResponse: MessageTypeDefinition<
        _guardyn_media_GetDownloadUrlResponse,
        _guardyn_media_GetDownloadUrlResponse__Output
      >;
      GetMediaMetadataRequest: MessageTypeDefinition<
        _guardyn_media_GetMediaMetadataRequest,
        _guardyn_media_GetMediaMetadataRequest__Output
      >;
      GetMediaMetadataResponse: MessageTypeDefinition<
        _guardyn_media_GetMediaMetadataResponse,
        _guardyn_media_GetMediaMetadataResponse__Output
      >;
      GetUploadUrlRequest: MessageTypeDefinition<
        _guardyn_media_GetUploadUrlRequest,
        _guardyn_media_GetUploadUrlRequest__Output
      >;
      GetUploadUrlResponse: MessageTypeDefinition<
        _guardyn_media_GetUploadUrlResponse,
        _guardyn_media_GetUploadUrlResponse__Output
      >;
      ListMediaRequest: MessageTypeDefinition<_guardyn_media_ListMediaRequest, _guardyn_media_ListMediaRequest__Output>;
      ListMediaResponse: MessageTypeDefinition<
        _guardyn_media_ListMediaResponse,
        _guardyn_media_ListMediaResponse__Output
      >;
      MediaMetadata: MessageTypeDefinition<_guardyn_media_MediaMetadata, _guardyn_media_MediaMetadata__Output>;
      MediaService: SubtypeConstructor<typeof grpc.Client, _guardyn_media_MediaServiceClient> & {
        service: _guardyn_media_MediaServiceDefinition;
      };
      MediaType: EnumTypeDefinition;
      UploadMediaHeader: MessageTypeDefinition<
        _guardyn_media_UploadMediaHeader,
        _guardyn_media_UploadMediaHeader__Output
      >;
      UploadMediaRequest: MessageTypeDefinition<
        _guardyn_media_UploadMediaRequest,
        _guardyn_media_UploadMediaRequest__Output
      >;
      UploadMediaResponse: MessageTypeDefinition<
        _guardyn_media_UploadMediaResponse,
        _guardyn_media_UploadMediaResponse__Output
      >;
      UploadStatus: EnumTypeDefinition;
    };
  };
}
