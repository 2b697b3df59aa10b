import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type {
  AuthServiceClient as _guardyn_auth_AuthServiceClient,
  AuthServiceDefinition as _guardyn_auth_AuthServiceDefinition,
} from './guardyn/auth/AuthService.ts';
import type {
  DeleteAccountRequest as _guardyn_auth_DeleteAccountRequest,
  DeleteAccountRequest__Output as _guardyn_auth_DeleteAccountRequest__Output,
} from './guardyn/auth/DeleteAccountRequest.ts';
import type {
  DeleteAccountResponse as _guardyn_auth_DeleteAccountResponse,
  DeleteAccountResponse__Output as _guardyn_auth_DeleteAccountResponse__Output,
} from './guardyn/auth/DeleteAccountResponse.ts';
import type {
  DeleteAccountSuccess as _guardyn_auth_DeleteAccountSuccess,
  DeleteAccountSuccess__Output as _guardyn_auth_DeleteAccountSuccess__Output,
} from './guardyn/auth/DeleteAccountSuccess.ts';
import type {
  DeviceInfo as _guardyn_auth_DeviceInfo,
  DeviceInfo__Output as _guardyn_auth_DeviceInfo__Output,
} from './guardyn/auth/DeviceInfo.ts';
import type {
  DeviceKeyBundle as _guardyn_auth_DeviceKeyBundle,
  DeviceKeyBundle__Output as _guardyn_auth_DeviceKeyBundle__Output,
} from './guardyn/auth/DeviceKeyBundle.ts';
import type {
  GetKeyBundleRequest as _guardyn_auth_GetKeyBundleRequest,
  GetKeyBundleRequest__Output as _guardyn_auth_GetKeyBundleRequest__Output,
} from './guardyn/auth/GetKeyBundleRequest.ts';
import type {
  GetKeyBundleResponse as _guardyn_auth_GetKeyBundleResponse,
  GetKeyBundleResponse__Output as _guardyn_auth_GetKeyBundleResponse__Output,
} from './guardyn/auth/GetKeyBundleResponse.ts';
import type {
  GetKeyBundleSuccess as _guardyn_auth_GetKeyBundleSuccess,
  GetKeyBundleSuccess__Output as _guardyn_auth_GetKeyBundleSuccess__Output,
} from './guardyn/auth/GetKeyBundleSuccess.ts';
import type {
  GetMlsKeyPackageRequest as _guardyn_auth_GetMlsKeyPackageRequest,
  GetMlsKeyPackageRequest__Output as _guardyn_auth_GetMlsKeyPackageRequest__Output,
} from './guardyn/auth/GetMlsKeyPackageRequest.ts';
import type {
  GetMlsKeyPackageResponse as _guardyn_auth_GetMlsKeyPackageResponse,
  GetMlsKeyPackageResponse__Output as _guardyn_auth_GetMlsKeyPackageResponse__Output,
} from './guardyn/auth/GetMlsKeyPackageResponse.ts';
import type {
  GetMlsKeyPackageSuccess as _guardyn_auth_GetMlsKeyPackageSuccess,
  GetMlsKeyPackageSuccess__Output as _guardyn_auth_GetMlsKeyPackageSuccess__Output,
} from './guardyn/auth/GetMlsKeyPackageSuccess.ts';
import type {
  GetUserProfileRequest as _guardyn_auth_GetUserProfileRequest,
  GetUserProfileRequest__Output as _guardyn_auth_GetUserProfileRequest__Output,
} from './guardyn/auth/GetUserProfileRequest.ts';
import type {
  GetUserProfileResponse as _guardyn_auth_GetUserProfileResponse,
  GetUserProfileResponse__Output as _guardyn_auth_GetUserProfileResponse__Output,
} from './guardyn/auth/GetUserProfileResponse.ts';
import type {
  HealthRequest as _guardyn_auth_HealthRequest,
  HealthRequest__Output as _guardyn_auth_HealthRequest__Output,
} from './guardyn/auth/HealthRequest.ts';
import type {
  ListDevicesRequest as _guardyn_auth_ListDevicesRequest,
  ListDevicesRequest__Output as _guardyn_auth_ListDevicesRequest__Output,
} from './guardyn/auth/ListDevicesRequest.ts';
import type {
  ListDevicesResponse as _guardyn_auth_ListDevicesResponse,
  ListDevicesResponse__Output as _guardyn_auth_ListDevicesResponse__Output,
} from './guardyn/auth/ListDevicesResponse.ts';
import type {
  ListDevicesSuccess as _guardyn_auth_ListDevicesSuccess,
  ListDevicesSuccess__Output as _guardyn_auth_ListDevicesSuccess__Output,
} from './guardyn/auth/ListDevicesSuccess.ts';
import type {
  LoginRequest as _guardyn_auth_LoginRequest,
  LoginRequest__Output as _guardyn_auth_LoginRequest__Output,
} from './guardyn/auth/LoginRequest.ts';
import type {
  LoginResponse as _guardyn_auth_LoginResponse,
  LoginResponse__Output as _guardyn_auth_LoginResponse__Output,
} from './guardyn/auth/LoginResponse.ts';
import type {
  LoginSuccess as _guardyn_auth_LoginSuccess,
  LoginSuccess__Output as _guardyn_auth_LoginSuccess__Output,
} from './guardyn/auth/LoginSuccess.ts';
import type {
  LogoutRequest as _guardyn_auth_LogoutRequest,
  LogoutRequest__Output as _guardyn_auth_LogoutRequest__Output,
} from './guardyn/auth/LogoutRequest.ts';
import type {
  LogoutResponse as _guardyn_auth_LogoutResponse,
  LogoutResponse__Output as _guardyn_auth_LogoutResponse__Output,
} from './guardyn/auth/LogoutResponse.ts';
import type {
  LogoutSuccess as _guardyn_auth_LogoutSuccess,
  LogoutSuccess__Output as _guardyn_auth_LogoutSuccess__Output,
} from './guardyn/auth/LogoutSuccess.ts';
import type {
  RefreshTokenRequest as _guardyn_auth_RefreshTokenRequest,
  RefreshTokenRequest__Output as _guardyn_auth_RefreshTokenRequest__Output,
} from './guardyn/auth/RefreshTokenRequest.ts';
import type {
  RefreshTokenResponse as _guardyn_auth_RefreshTokenResponse,
  RefreshTokenResponse__Output as _guardyn_auth_RefreshTokenResponse__Output,
} from './guardyn/auth/RefreshTokenResponse.ts';
import type {
  RefreshTokenSuccess as _guardyn_auth_RefreshTokenSuccess,
  RefreshTokenSuccess__Output as _guardyn_auth_RefreshTokenSuccess__Output,
} from './guardyn/auth/RefreshTokenSuccess.ts';
import type {
  RegisterRequest as _guardyn_auth_RegisterRequest,
  RegisterRequest__Output as _guardyn_auth_RegisterRequest__Output,
} from './guardyn/auth/RegisterRequest.ts';
import type {
  RegisterResponse as _guardyn_auth_RegisterResponse,
  RegisterResponse__Output as _guardyn_auth_RegisterResponse__Output,
} from './guardyn/auth/RegisterResponse.ts';
import type {
  RegisterSuccess as _guardyn_auth_RegisterSuccess,
  RegisterSuccess__Output as _guardyn_auth_RegisterSuccess__Output,
} from './guardyn/auth/RegisterSuccess.ts';
import type {
  RevokeDeviceRequest as _guardyn_auth_RevokeDeviceRequest,
  RevokeDeviceRequest__Output as _guardyn_auth_RevokeDeviceRequest__Output,
} from './guardyn/auth/RevokeDeviceRequest.ts';
import type {
  RevokeDeviceResponse as _guardyn_auth_RevokeDeviceResponse,
  RevokeDeviceResponse__Output as _guardyn_auth_RevokeDeviceResponse__Output,
} from './guardyn/auth/RevokeDeviceResponse.ts';
import type {
  RevokeDeviceSuccess as _guardyn_auth_RevokeDeviceSuccess,
  RevokeDeviceSuccess__Output as _guardyn_auth_RevokeDeviceSuccess__Output,
} from './guardyn/auth/RevokeDeviceSuccess.ts';
import type {
  RotateSignedPreKeyRequest as _guardyn_auth_RotateSignedPreKeyRequest,
  RotateSignedPreKeyRequest__Output as _guardyn_auth_RotateSignedPreKeyRequest__Output,
} from './guardyn/auth/RotateSignedPreKeyRequest.ts';
import type {
  RotateSignedPreKeyResponse as _guardyn_auth_RotateSignedPreKeyResponse,
  RotateSignedPreKeyResponse__Output as _guardyn_auth_RotateSignedPreKeyResponse__Output,
} from './guardyn/auth/RotateSignedPreKeyResponse.ts';
import type {
  RotateSignedPreKeySuccess as _guardyn_auth_RotateSignedPreKeySuccess,
  RotateSignedPreKeySuccess__Output as _guardyn_auth_RotateSignedPreKeySuccess__Output,
} from './guardyn/auth/RotateSignedPreKeySuccess.ts';
import type {
  SearchUsersRequest as _guardyn_auth_SearchUsersRequest,
  SearchUsersRequest__Output as _guardyn_auth_SearchUsersRequest__Output,
} from './guardyn/auth/SearchUsersRequest.ts';
import type {
  SearchUsersResponse as _guardyn_auth_SearchUsersResponse,
  SearchUsersResponse__Output as _guardyn_auth_SearchUsersResponse__Output,
} from './guardyn/auth/SearchUsersResponse.ts';
import type {
  SearchUsersSuccess as _guardyn_auth_SearchUsersSuccess,
  SearchUsersSuccess__Output as _guardyn_auth_SearchUsersSuccess__Output,
} from './guardyn/auth/SearchUsersSuccess.ts';
import type {
  UploadMlsKeyPackageRequest as _guardyn_auth_UploadMlsKeyPackageRequest,
  UploadMlsKeyPackageRequest__Output as _guardyn_auth_UploadMlsKeyPackageRequest__Output,
} from './guardyn/auth/UploadMlsKeyPackageRequest.ts';
import type {
  UploadMlsKeyPackageResponse as _guardyn_auth_UploadMlsKeyPackageResponse,
  UploadMlsKeyPackageResponse__Output as _guardyn_auth_UploadMlsKeyPackageResponse__Output,
} from './guardyn/auth/UploadMlsKeyPackageResponse.ts';
import type {
  UploadMlsKeyPackageSuccess as _guardyn_auth_UploadMlsKeyPackageSuccess,
  UploadMlsKeyPackageSuccess__Output as _guardyn_auth_UploadMlsKeyPackageSuccess__Output,
} from './guardyn/auth/UploadMlsKeyPackageSuccess.ts';
import type {
  UploadPreKeysRequest as _guardyn_auth_UploadPreKeysRequest,
  UploadPreKeysRequest__Output as _guardyn_auth_UploadPreKeysRequest__Output,
} from './guardyn/auth/UploadPreKeysRequest.ts';
import type {
  UploadPreKeysResponse as _guardyn_auth_UploadPreKeysResponse,
  UploadPreKeysResponse__Output as _guardyn_auth_UploadPreKeysResponse__Output,
} from './guardyn/auth/UploadPreKeysResponse.ts';
import type {
  UploadPreKeysSuccess as _guardyn_auth_UploadPreKeysSuccess,
  UploadPreKeysSuccess__Output as _guardyn_auth_UploadPreKeysSuccess__Output,
} from './guardyn/auth/UploadPreKeysSuccess.ts';
import type {
  UserProfile as _guardyn_auth_UserProfile,
  UserProfile__Output as _guardyn_auth_UserProfile__Output,
} from './guardyn/auth/UserProfile.ts';
import type {
  UserSearchResult as _guardyn_auth_UserSearchResult,
  UserSearchResult__Output as _guardyn_auth_UserSearchResult__Output,
} from './guardyn/auth/UserSearchResult.ts';
import type {
  ValidateTokenRequest as _guardyn_auth_ValidateTokenRequest,
  ValidateTokenRequest__Output as _guardyn_auth_ValidateTokenRequest__Output,
} from './guardyn/auth/ValidateTokenRequest.ts';
import type {
  ValidateTokenResponse as _guardyn_auth_ValidateTokenResponse,
  ValidateTokenResponse__Output as _guardyn_auth_ValidateTokenResponse__Output,
} from './guardyn/auth/ValidateTokenResponse.ts';
import type {
  ValidateTokenSuccess as _guardyn_auth_ValidateTokenSuccess,
  ValidateTokenSuccess__Output as _guardyn_auth_ValidateTokenSuccess__Output,
} from './guardyn/auth/ValidateTokenSuccess.ts';
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

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new (...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  guardyn: {
    auth: {
      AuthService: SubtypeConstructor<typeof grpc.Client, _guardyn_auth_AuthServiceClient> & {
        service: _guardyn_auth_AuthServiceDefinition;
      };
      DeleteAccountRequest: MessageTypeDefinition<
        _guardyn_auth_DeleteAccountRequest,
        _guardyn_auth_DeleteAccountRequest__Output
      >;
      DeleteAccountResponse: MessageTypeDefinition<
        _guardyn_auth_DeleteAccountResponse,
        _guardyn_auth_DeleteAccountResponse__Output
      >;
      DeleteAccountSuccess: MessageTypeDefinition<
        _guardyn_auth_DeleteAccountSuccess,
        _guardyn_auth_DeleteAccountSuccess__Output
      >;
      DeviceInfo: MessageTypeDefinition<_guardyn_auth_DeviceInfo, _guardyn_auth_DeviceInfo__Output>;
      DeviceKeyBundle: MessageTypeDefinition<_guardyn_auth_DeviceKeyBundle, _guardyn_auth_DeviceKeyBundle__Output>;
      GetKeyBundleRequest: MessageTypeDefinition<
        _guardyn_auth_GetKeyBundleRequest,
        _guardyn_auth_GetKeyBundleRequest__Output
      >;
      GetKeyBundleResponse: MessageTypeDefinition<
        _guardyn_auth_GetKeyBundleResponse,
        _guardyn_auth_GetKeyBundleResponse__Output
      >;
      GetKeyBundleSuccess: MessageTypeDefinition<
        _guardyn_auth_GetKeyBundleSuccess,
        _guardyn_auth_GetKeyBundleSuccess__Output
      >;
      GetMlsKeyPackageRequest: MessageTypeDefinition<
        _guardyn_auth_GetMlsKeyPackageRequest,
        _guardyn_auth_GetMlsKeyPackageRequest__Output
      >;
      GetMlsKeyPackageResponse: MessageTypeDefinition<
        _guardyn_auth_GetMlsKeyPackageResponse,
        _guardyn_auth_GetMlsKeyPackageResponse__Output
      >;
      GetMlsKeyPackageSuccess: MessageTypeDefinition<
        _guardyn_auth_GetMlsKeyPackageSuccess,
        _guardyn_auth_GetMlsKeyPackageSuccess__Output
      >;
      GetUserProfileRequest: MessageTypeDefinition<
        _guardyn_auth_GetUserProfileRequest,
        _guardyn_auth_GetUserProfileRequest__Output
      >;
      GetUserProfileResponse: MessageTypeDefinition<
        _guardyn_auth_GetUserProfileResponse,
        _guardyn_auth_GetUserProfileResponse__Output
      >;
      HealthRequest: MessageTypeDefinition<_guardyn_auth_HealthRequest, _guardyn_auth_HealthRequest__Output>;
      ListDevicesRequest: MessageTypeDefinition<
        _guardyn_auth_ListDevicesRequest,
        _guardyn_auth_ListDevicesRequest__Output
      >;
      ListDevicesResponse: MessageTypeDefinition<
        _guardyn_auth_ListDevicesResponse,
        _guardyn_auth_ListDevicesResponse__Output
      >;
      ListDevicesSuccess: MessageTypeDefinition<
        _guardyn_auth_ListDevicesSuccess,
        _guardyn_auth_ListDevicesSuccess__Output
      >;
      LoginRequest: MessageTypeDefinition<_guardyn_auth_LoginRequest, _guardyn_auth_LoginRequest__Output>;
      LoginResponse: MessageTypeDefinition<_guardyn_auth_LoginResponse, _guardyn_auth_LoginResponse__Output>;
      LoginSuccess: MessageTypeDefinition<_guardyn_auth_LoginSuccess, _guardyn_auth_LoginSuccess__Output>;
      LogoutRequest: MessageTypeDefinition<_guardyn_auth_LogoutRequest, _guardyn_auth_LogoutRequest__Output>;
      LogoutResponse: MessageTypeDefinition<_guardyn_auth_LogoutResponse, _guardyn_auth_LogoutResponse__Output>;
      LogoutSuccess: MessageTypeDefinition<_guardyn_auth_LogoutSuccess, _guardyn_auth_LogoutSuccess__Output>;
      RefreshTokenRequest: MessageTypeDefinition<
        _guardyn_auth_RefreshTokenRequest,
        _guardyn_auth_RefreshTokenRequest__Output
      >;
      RefreshTokenResponse: MessageTypeDefinition<
        _guardyn_auth_RefreshTokenResponse,
        _guardyn_auth_RefreshTokenResponse__Output
      >;
      RefreshTokenSuccess: MessageTypeDefinition<
        _guardyn_auth_RefreshTokenSuccess,
        _guardyn_auth_RefreshTokenSuccess__Output
      >;
      RegisterRequest: MessageTypeDefinition<_guardyn_auth_RegisterRequest, _guardyn_auth_RegisterRequest__Output>;
      RegisterResponse: MessageTypeDefinition<_guardyn_auth_RegisterResponse, _guardyn_auth_RegisterResponse__Output>;
      RegisterSuccess: MessageTypeDefinition<_guardyn_auth_RegisterSuccess, _guardyn_auth_RegisterSuccess__Output>;
      RevokeDeviceRequest: MessageTypeDefinition<
        _guardyn_auth_RevokeDeviceRequest,
        _guardyn_auth_RevokeDeviceRequest__Output
      >;
      RevokeDeviceResponse: MessageTypeDefinition<
        _guardyn_auth_RevokeDeviceResponse,
        _guardyn_auth_RevokeDeviceResponse__Output
      >;
      RevokeDeviceSuccess: MessageTypeDefinition<
        _guardyn_auth_RevokeDeviceSuccess,
        _guardyn_auth_RevokeDeviceSuccess__Output
      >;
      RotateSignedPreKeyRequest: MessageTypeDefinition<
        _guardyn_auth_RotateSignedPreKeyRequest,
        _guardyn_auth_RotateSignedPreKeyRequest__Output
      >;
      RotateSignedPreKeyResponse: MessageTypeDefinition<
        _guardyn_auth_RotateSignedPreKeyResponse,
        _guardyn_auth_RotateSignedPreKeyResponse__Output
      >;
      RotateSignedPreKeySuccess: MessageTypeDefinition<
        _guardyn_auth_RotateSignedPreKeySuccess,
        _guardyn_auth_RotateSignedPreKeySuccess__Output
      >;
      SearchUsersRequest: MessageTypeDefinition<
        _guardyn_auth_SearchUsersRequest,
        _guardyn_auth_SearchUsersRequest__Output
      >;
      SearchUsersResponse: MessageTypeDefinition<
        _guardyn_auth_SearchUsersResponse,
        _guardyn_auth_SearchUsersResponse__Output
      >;
      SearchUsersSuccess: MessageTypeDefinition<
        _guardyn_auth_SearchUsersSuccess,
        _guardyn_auth_SearchUsersSuccess__Output
      >;
      UploadMlsKeyPackageRequest: MessageTypeDefinition<
        _guardyn_auth_UploadMlsKeyPackageRequest,
        _guardyn_auth_UploadMlsKeyPackageRequest__Output
      >;
      UploadMlsKeyPackageResponse: MessageTypeDefinition<
        _guardyn_auth_UploadMlsKeyPackageResponse,
        _guardyn_auth_UploadMlsKeyPackageResponse__Output
      >;
      UploadMlsKeyPackageSuccess: MessageTypeDefinition<
        _guardyn_auth_UploadMlsKeyPackageSuccess,
        _guardyn_auth_UploadMlsKeyPackageSuccess__Output
      >;
      UploadPreKeysRequest: MessageTypeDefinition<
        _guardyn_auth_UploadPreKeysRequest,
        _guardyn_auth_UploadPreKeysRequest__Output
      >;
      UploadPreKeysResponse: MessageTypeDefinition<
        _guardyn_auth_UploadPreKeysResponse,
        _guardyn_auth_UploadPreKeysResponse__Output
      >;
      UploadPreKeysSuccess: MessageTypeDefinition<
        _guardyn_auth_UploadPreKeysSuccess,
        _guardyn_auth_UploadPreKeysSuccess__Output
      >;
      UserProfile: MessageTypeDefinition<_guardyn_auth_UserProfile, _guardyn_auth_UserProfile__Output>;
      UserSearchResult: MessageTypeDefinition<_guardyn_auth_UserSearchResult, _guardyn_auth_UserSearchResult__Output>;
      ValidateTokenRequest: MessageTypeDefinition<
        _guardyn_auth_ValidateTokenRequest,
        _guardyn_auth_ValidateTokenRequest__Output
      >;
      ValidateTokenResponse: MessageTypeDefinition<
        _guardyn_auth_ValidateTokenResponse,
        _guardyn_auth_ValidateTokenResponse__Output
      >;
      ValidateTokenSuccess: MessageTypeDefinition<
        _guardyn_auth_ValidateTokenSuccess,
        _guardyn_auth_ValidateTokenSuccess__Output
      >;
    };
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
  };
}
