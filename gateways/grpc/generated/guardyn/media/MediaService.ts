// Original file: proto/guardyn/media.proto

import type * as grpc from '@grpc/grpc-js';
import type { MethodDefinition } from '@grpc/proto-loader';
import type {
  DeleteMediaRequest as _guardyn_media_DeleteMediaRequest,
  DeleteMediaRequest__Output as _guardyn_media_DeleteMediaRequest__Output,
} from '../../guardyn/media/DeleteMediaRequest.ts';
import type {
  DeleteMediaResponse as _guardyn_media_DeleteMediaResponse,
  DeleteMediaResponse__Output as _guardyn_media_DeleteMediaResponse__Output,
} from '../../guardyn/media/DeleteMediaResponse.ts';
import type {
  DownloadMediaRequest as _guardyn_media_DownloadMediaRequest,
  DownloadMediaRequest__Output as _guardyn_media_DownloadMediaRequest__Output,
} from '../../guardyn/media/DownloadMediaRequest.ts';
import type {
  DownloadMediaResponse as _guardyn_media_DownloadMediaResponse,
  DownloadMediaResponse__Output as _guardyn_media_DownloadMediaResponse__Output,
} from '../../guardyn/media/DownloadMediaResponse.ts';
import type {
  GenerateThumbnailRequest as _guardyn_media_GenerateThumbnailRequest,
  GenerateThumbnailRequest__Output as _guardyn_media_GenerateThumbnailRequest__Output,
} from '../../guardyn/media/GenerateThumbnailRequest.ts';
import type {
  GenerateThumbnailResponse as _guardyn_media_GenerateThumbnailResponse,
  GenerateThumbnailResponse__Output as _guardyn_media_GenerateThumbnailResponse__Output,
} from '../../guardyn/media/GenerateThumbnailResponse.ts';
import type {
  GetDownloadUrlRequest as _guardyn_media_GetDownloadUrlRequest,
  GetDownloadUrlRequest__Output as _guardyn_media_GetDownloadUrlRequest__Output,
} from '../../guardyn/media/GetDownloadUrlRequest.ts';
import type {
  GetDownloadUrlResponse as _guardyn_media_GetDownloadUrlResponse,
  GetDownloadUrlResponse__Output as _guardyn_media_GetDownloadUrlResponse__Output,
} from '../../guardyn/media/GetDownloadUrlResponse.ts';
import type {
  GetMediaMetadataRequest as _guardyn_media_GetMediaMetadataRequest,
  GetMediaMetadataRequest__Output as _guardyn_media_GetMediaMetadataRequest__Output,
} from '../../guardyn/media/GetMediaMetadataRequest.ts';
import type {
  GetMediaMetadataResponse as _guardyn_media_GetMediaMetadataResponse,
  GetMediaMetadataResponse__Output as _guardyn_media_GetMediaMetadataResponse__Output,
} from '../../guardyn/media/GetMediaMetadataResponse.ts';
import type {
  GetUploadUrlRequest as _guardyn_media_GetUploadUrlRequest,
  GetUploadUrlRequest__Output as _guardyn_media_GetUploadUrlRequest__Output,
} from '../../guardyn/media/GetUploadUrlRequest.ts';
import type {
  GetUploadUrlResponse as _guardyn_media_GetUploadUrlResponse,
  GetUploadUrlResponse__Output as _guardyn_media_GetUploadUrlResponse__Output,
} from '../../guardyn/media/GetUploadUrlResponse.ts';
import type {
  ListMediaRequest as _guardyn_media_ListMediaRequest,
  ListMediaRequest__Output as _guardyn_media_ListMediaRequest__Output,
} from '../../guardyn/media/ListMediaRequest.ts';
import type {
  ListMediaResponse as _guardyn_media_ListMediaResponse,
  ListMediaResponse__Output as _guardyn_media_ListMediaResponse__Output,
} from '../../guardyn/media/ListMediaResponse.ts';
import type {
  UploadMediaRequest as _guardyn_media_UploadMediaRequest,
  UploadMediaRequest__Output as _guardyn_media_UploadMediaRequest__Output,
} from '../../guardyn/media/UploadMediaRequest.ts';
import type {
  UploadMediaResponse as _guardyn_media_UploadMediaResponse,
  UploadMediaResponse__Output as _guardyn_media_UploadMediaResponse__Output,
} from '../../guardyn/media/UploadMediaResponse.ts';

export interface MediaServiceClient extends grpc.Client {
  DeleteMedia(
    argument: _guardyn_media_DeleteMediaRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_media_DeleteMediaResponse__Output>,
  ): grpc.ClientUnaryCall;
  DeleteMedia(
    argument: _guardyn_media_DeleteMediaRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_media_DeleteMediaResponse__Output>,
  ): grpc.ClientUnaryCall;
  DeleteMedia(
    argument: _guardyn_media_DeleteMediaRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_media_DeleteMediaResponse__Output>,
  ): grpc.ClientUnaryCall;
  DeleteMedia(
    argument: _guardyn_media_DeleteMediaRequest,
    callback: grpc.requestCallback<_guardyn_media_DeleteMediaResponse__Output>,
  ): grpc.ClientUnaryCall;
  deleteMedia(
    argument: _guardyn_media_DeleteMediaRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_media_DeleteMediaResponse__Output>,
  ): grpc.ClientUnaryCall;
  deleteMedia(
    argument: _guardyn_media_DeleteMediaRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_media_DeleteMediaResponse__Output>,
  ): grpc.ClientUnaryCall;
  deleteMedia(
    argument: _guardyn_media_DeleteMediaRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_media_DeleteMediaResponse__Output>,
  ): grpc.ClientUnaryCall;
  deleteMedia(
    argument: _guardyn_media_DeleteMediaRequest,
    callback: grpc.requestCallback<_guardyn_media_DeleteMediaResponse__Output>,
  ): grpc.ClientUnaryCall;

  DownloadMedia(
    argument: _guardyn_media_DownloadMediaRequest,
    metadata: grpc.Metadata,
    options?: grpc.CallOptions,
  ): grpc.ClientReadableStream<_guardyn_media_DownloadMediaResponse__Output>;
  DownloadMedia(
    argument: _guardyn_media_DownloadMediaRequest,
    options?: grpc.CallOptions,
  ): grpc.ClientReadableStream<_guardyn_media_DownloadMediaResponse__Output>;
  downloadMedia(
    argument: _guardyn_media_DownloadMediaRequest,
    metadata: grpc.Metadata,
    options?: grpc.CallOptions,
  ): grpc.ClientReadableStream<_guardyn_media_DownloadMediaResponse__Output>;
  downloadMedia(
    argument: _guardyn_media_DownloadMediaRequest,
    options?: grpc.CallOptions,
  ): grpc.ClientReadableStream<_guardyn_media_DownloadMediaResponse__Output>;

  GenerateThumbnail(
    argument: _guardyn_media_GenerateThumbnailRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_media_GenerateThumbnailResponse__Output>,
  ): grpc.ClientUnaryCall;
  GenerateThumbnail(
    argument: _guardyn_media_GenerateThumbnailRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_media_GenerateThumbnailResponse__Output>,
  ): grpc.ClientUnaryCall;
  GenerateThumbnail(
    argument: _guardyn_media_GenerateThumbnailRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_media_GenerateThumbnailResponse__Output>,
  ): grpc.ClientUnaryCall;
  GenerateThumbnail(
    argument: _guardyn_media_GenerateThumbnailRequest,
    callback: grpc.requestCallback<_guardyn_media_GenerateThumbnailResponse__Output>,
  ): grpc.ClientUnaryCall;
  generateThumbnail(
    argument: _guardyn_media_GenerateThumbnailRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_media_GenerateThumbnailResponse__Output>,
  ): grpc.ClientUnaryCall;
  generateThumbnail(
    argument: _guardyn_media_GenerateThumbnailRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_media_GenerateThumbnailResponse__Output>,
  ): grpc.ClientUnaryCall;
  generateThumbnail(
    argument: _guardyn_media_GenerateThumbnailRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_media_GenerateThumbnailResponse__Output>,
  ): grpc.ClientUnaryCall;
  generateThumbnail(
    argument: _guardyn_media_GenerateThumbnailRequest,
    callback: grpc.requestCallback<_guardyn_media_GenerateThumbnailResponse__Output>,
  ): grpc.ClientUnaryCall;

  GetDownloadUrl(
    argument: _guardyn_media_GetDownloadUrlRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_media_GetDownloadUrlResponse__Output>,
  ): grpc.ClientUnaryCall;
  GetDownloadUrl(
    argument: _guardyn_media_GetDownloadUrlRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_media_GetDownloadUrlResponse__Output>,
  ): grpc.ClientUnaryCall;
  GetDownloadUrl(
    argument: _guardyn_media_GetDownloadUrlRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_media_GetDownloadUrlResponse__Output>,
  ): grpc.ClientUnaryCall;
  GetDownloadUrl(
    argument: _guardyn_media_GetDownloadUrlRequest,
    callback: grpc.requestCallback<_guardyn_media_GetDownloadUrlResponse__Output>,
  ): grpc.ClientUnaryCall;
  getDownloadUrl(
    argument: _guardyn_media_GetDownloadUrlRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_media_GetDownloadUrlResponse__Output>,
  ): grpc.ClientUnaryCall;
  getDownloadUrl(
    argument: _guardyn_media_GetDownloadUrlRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_media_GetDownloadUrlResponse__Output>,
  ): grpc.ClientUnaryCall;
  getDownloadUrl(
    argument: _guardyn_media_GetDownloadUrlRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_media_GetDownloadUrlResponse__Output>,
  ): grpc.ClientUnaryCall;
  getDownloadUrl(
    argument: _guardyn_media_GetDownloadUrlRequest,
    callback: grpc.requestCallback<_guardyn_media_GetDownloadUrlResponse__Output>,
  ): grpc.ClientUnaryCall;

  GetMediaMetadata(
    argument: _guardyn_media_GetMediaMetadataRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_media_GetMediaMetadataResponse__Output>,
  ): grpc.ClientUnaryCall;
  GetMediaMetadata(
    argument: _guardyn_media_GetMediaMetadataRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_media_GetMediaMetadataResponse__Output>,
  ): grpc.ClientUnaryCall;
  GetMediaMetadata(
    argument: _guardyn_media_GetMediaMetadataRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_media_GetMediaMetadataResponse__Output>,
  ): grpc.ClientUnaryCall;
  GetMediaMetadata(
    argument: _guardyn_media_GetMediaMetadataRequest,
    callback: grpc.requestCallback<_guardyn_media_GetMediaMetadataResponse__Output>,
  ): grpc.ClientUnaryCall;
  getMediaMetadata(
    argument: _guardyn_media_GetMediaMetadataRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_media_GetMediaMetadataResponse__Output>,
  ): grpc.ClientUnaryCall;
  getMediaMetadata(
    argument: _guardyn_media_GetMediaMetadataRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_media_GetMediaMetadataResponse__Output>,
  ): grpc.ClientUnaryCall;
  getMediaMetadata(
    argument: _guardyn_media_GetMediaMetadataRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_media_GetMediaMetadataResponse__Output>,
  ): grpc.ClientUnaryCall;
  getMediaMetadata(
    argument: _guardyn_media_GetMediaMetadataRequest,
    callback: grpc.requestCallback<_guardyn_media_GetMediaMetadataResponse__Output>,
  ): grpc.ClientUnaryCall;

  GetUploadUrl(
    argument: _guardyn_media_GetUploadUrlRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_media_GetUploadUrlResponse__Output>,
  ): grpc.ClientUnaryCall;
  GetUploadUrl(
    argument: _guardyn_media_GetUploadUrlRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_media_GetUploadUrlResponse__Output>,
  ): grpc.ClientUnaryCall;
  GetUploadUrl(
    argument: _guardyn_media_GetUploadUrlRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_media_GetUploadUrlResponse__Output>,
  ): grpc.ClientUnaryCall;
  GetUploadUrl(
    argument: _guardyn_media_GetUploadUrlRequest,
    callback: grpc.requestCallback<_guardyn_media_GetUploadUrlResponse__Output>,
  ): grpc.ClientUnaryCall;
  getUploadUrl(
    argument: _guardyn_media_GetUploadUrlRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_media_GetUploadUrlResponse__Output>,
  ): grpc.ClientUnaryCall;
  getUploadUrl(
    argument: _guardyn_media_GetUploadUrlRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_media_GetUploadUrlResponse__Output>,
  ): grpc.ClientUnaryCall;
  getUploadUrl(
    argument: _guardyn_media_GetUploadUrlRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_media_GetUploadUrlResponse__Output>,
  ): grpc.ClientUnaryCall;
  getUploadUrl(
    argument: _guardyn_media_GetUploadUrlRequest,
    callback: grpc.requestCallback<_guardyn_media_GetUploadUrlResponse__Output>,
  ): grpc.ClientUnaryCall;

  ListMedia(
    argument: _guardyn_media_ListMediaRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_media_ListMediaResponse__Output>,
  ): grpc.ClientUnaryCall;
  ListMedia(
    argument: _guardyn_media_ListMediaRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_media_ListMediaResponse__Output>,
  ): grpc.ClientUnaryCall;
  ListMedia(
    argument: _guardyn_media_ListMediaRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_media_ListMediaResponse__Output>,
  ): grpc.ClientUnaryCall;
  ListMedia(
    argument: _guardyn_media_ListMediaRequest,
    callback: grpc.requestCallback<_guardyn_media_ListMediaResponse__Output>,
  ): grpc.ClientUnaryCall;
  listMedia(
    argument: _guardyn_media_ListMediaRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_media_ListMediaResponse__Output>,
  ): grpc.ClientUnaryCall;
  listMedia(
    argument: _guardyn_media_ListMediaRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_media_ListMediaResponse__Output>,
  ): grpc.ClientUnaryCall;
  listMedia(
    argument: _guardyn_media_ListMediaRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_media_ListMediaResponse__Output>,
  ): grpc.ClientUnaryCall;
  listMedia(
    argument: _guardyn_media_ListMediaRequest,
    callback: grpc.requestCallback<_guardyn_media_ListMediaResponse__Output>,
  ): grpc.ClientUnaryCall;

  UploadMedia(
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_media_UploadMediaResponse__Output>,
  ): grpc.ClientWritableStream<_guardyn_media_UploadMediaRequest>;
  UploadMedia(
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_media_UploadMediaResponse__Output>,
  ): grpc.ClientWritableStream<_guardyn_media_UploadMediaRequest>;
  UploadMedia(
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_media_UploadMediaResponse__Output>,
  ): grpc.ClientWritableStream<_guardyn_media_UploadMediaRequest>;
  UploadMedia(
    callback: grpc.requestCallback<_guardyn_media_UploadMediaResponse__Output>,
  ): grpc.ClientWritableStream<_guardyn_media_UploadMediaRequest>;
  uploadMedia(
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_media_UploadMediaResponse__Output>,
  ): grpc.ClientWritableStream<_guardyn_media_UploadMediaRequest>;
  uploadMedia(
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_media_UploadMediaResponse__Output>,
  ): grpc.ClientWritableStream<_guardyn_media_UploadMediaRequest>;
  uploadMedia(
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_media_UploadMediaResponse__Output>,
  ): grpc.ClientWritableStream<_guardyn_media_UploadMediaRequest>;
  uploadMedia(
    callback: grpc.requestCallback<_guardyn_media_UploadMediaResponse__Output>,
  ): grpc.ClientWritableStream<_guardyn_media_UploadMediaRequest>;
}

export interface MediaServiceHandlers extends grpc.UntypedServiceImplementation {
  DeleteMedia: grpc.handleUnaryCall<_guardyn_media_DeleteMediaRequest__Output, _guardyn_media_DeleteMediaResponse>;

  DownloadMedia: grpc.handleServerStreamingCall<
    _guardyn_media_DownloadMediaRequest__Output,
    _guardyn_media_DownloadMediaResponse
  >;

  GenerateThumbnail: grpc.handleUnaryCall<
    _guardyn_media_GenerateThumbnailRequest__Output,
    _guardyn_media_GenerateThumbnailResponse
  >;

  GetDownloadUrl: grpc.handleUnaryCall<
    _guardyn_media_GetDownloadUrlRequest__Output,
    _guardyn_media_GetDownloadUrlResponse
  >;

  GetMediaMetadata: grpc.handleUnaryCall<
    _guardyn_media_GetMediaMetadataRequest__Output,
    _guardyn_media_GetMediaMetadataResponse
  >;

  GetUploadUrl: grpc.handleUnaryCall<_guardyn_media_GetUploadUrlRequest__Output, _guardyn_media_GetUploadUrlResponse>;

  ListMedia: grpc.handleUnaryCall<_guardyn_media_ListMediaRequest__Output, _guardyn_media_ListMediaResponse>;

  UploadMedia: grpc.handleClientStreamingCall<
    _guardyn_media_UploadMediaRequest__Output,
    _guardyn_media_UploadMediaResponse
  >;
}

export interface MediaServiceDefinition extends grpc.ServiceDefinition {
  DeleteMedia: MethodDefinition<
    _guardyn_media_DeleteMediaRequest,
    _guardyn_media_DeleteMediaResponse,
    _guardyn_media_DeleteMediaRequest__Output,
    _guardyn_media_DeleteMediaResponse__Output
  >;
  DownloadMedia: MethodDefinition<
    _guardyn_media_DownloadMediaRequest,
    _guardyn_media_DownloadMediaResponse,
    _guardyn_media_DownloadMediaRequest__Output,
    _guardyn_media_DownloadMediaResponse__Output
  >;
  GenerateThumbnail: MethodDefinition<
    _guardyn_media_GenerateThumbnailRequest,
    _guardyn_media_GenerateThumbnailResponse,
    _guardyn_media_GenerateThumbnailRequest__Output,
    _guardyn_media_GenerateThumbnailResponse__Output
  >;
  GetDownloadUrl: MethodDefinition<
    _guardyn_media_GetDownloadUrlRequest,
    _guardyn_media_GetDownloadUrlResponse,
    _guardyn_media_GetDownloadUrlRequest__Output,
    _guardyn_media_GetDownloadUrlResponse__Output
  >;
  GetMediaMetadata: MethodDefinition<
    _guardyn_media_GetMediaMetadataRequest,
    _guardyn_media_GetMediaMetadataResponse,
    _guardyn_media_GetMediaMetadataRequest__Output,
    _guardyn_media_GetMediaMetadataResponse__Output
  >;
  GetUploadUrl: MethodDefinition<
    _guardyn_media_GetUploadUrlRequest,
    _guardyn_media_GetUploadUrlResponse,
    _guardyn_media_GetUploadUrlRequest__Output,
    _guardyn_media_GetUploadUrlResponse__Output
  >;
  ListMedia: MethodDefinition<
    _guardyn_media_ListMediaRequest,
    _guardyn_media_ListMediaResponse,
    _guardyn_media_ListMediaRequest__Output,
    _guardyn_media_ListMediaResponse__Output
  >;
  UploadMedia: MethodDefinition<
    _guardyn_media_UploadMediaRequest,
    _guardyn_media_UploadMediaResponse,
    _guardyn_media_UploadMediaRequest__Output,
    _guardyn_media_UploadMediaResponse__Output
  >;
}
