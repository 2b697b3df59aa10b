// Original file: proto/guardyn/auth.proto

import type * as grpc from '@grpc/grpc-js';
import type { MethodDefinition } from '@grpc/proto-loader';
import type {
  DeleteAccountRequest as _guardyn_auth_DeleteAccountRequest,
  DeleteAccountRequest__Output as _guardyn_auth_DeleteAccountRequest__Output,
} from '../../guardyn/auth/DeleteAccountRequest.ts';
import type {
  DeleteAccountResponse as _guardyn_auth_DeleteAccountResponse,
  DeleteAccountResponse__Output as _guardyn_auth_DeleteAccountResponse__Output,
} from '../../guardyn/auth/DeleteAccountResponse.ts';
import type {
  GetKeyBundleRequest as _guardyn_auth_GetKeyBundleRequest,
  GetKeyBundleRequest__Output as _guardyn_auth_GetKeyBundleRequest__Output,
} from '../../guardyn/auth/GetKeyBundleRequest.ts';
import type {
  GetKeyBundleResponse as _guardyn_auth_GetKeyBundleResponse,
  GetKeyBundleResponse__Output as _guardyn_auth_GetKeyBundleResponse__Output,
} from '../../guardyn/auth/GetKeyBundleResponse.ts';
import type {
  GetMlsKeyPackageRequest as _guardyn_auth_GetMlsKeyPackageRequest,
  GetMlsKeyPackageRequest__Output as _guardyn_auth_GetMlsKeyPackageRequest__Output,
} from '../../guardyn/auth/GetMlsKeyPackageRequest.ts';
import type {
  GetMlsKeyPackageResponse as _guardyn_auth_GetMlsKeyPackageResponse,
  GetMlsKeyPackageResponse__Output as _guardyn_auth_GetMlsKeyPackageResponse__Output,
} from '../../guardyn/auth/GetMlsKeyPackageResponse.ts';
import type {
  GetUserProfileRequest as _guardyn_auth_GetUserProfileRequest,
  GetUserProfileRequest__Output as _guardyn_auth_GetUserProfileRequest__Output,
} from '../../guardyn/auth/GetUserProfileRequest.ts';
import type {
  GetUserProfileResponse as _guardyn_auth_GetUserProfileResponse,
  GetUserProfileResponse__Output as _guardyn_auth_GetUserProfileResponse__Output,
} from '../../guardyn/auth/GetUserProfileResponse.ts';
import type {
  HealthRequest as _guardyn_auth_HealthRequest,
  HealthRequest__Output as _guardyn_auth_HealthRequest__Output,
} from '../../guardyn/auth/HealthRequest.ts';
import type {
  HealthStatus as _guardyn_common_HealthStatus,
  HealthStatus__Output as _guardyn_common_HealthStatus__Output,
} from '../../guardyn/common/HealthStatus.ts';
import type {
  ListDevicesRequest as _guardyn_auth_ListDevicesRequest,
  ListDevicesRequest__Output as _guardyn_auth_ListDevicesRequest__Output,
} from '../../guardyn/auth/ListDevicesRequest.ts';
import type {
  ListDevicesResponse as _guardyn_auth_ListDevicesResponse,
  ListDevicesResponse__Output as _guardyn_auth_ListDevicesResponse__Output,
} from '../../guardyn/auth/ListDevicesResponse.ts';
import type {
  LoginRequest as _guardyn_auth_LoginRequest,
  LoginRequest__Output as _guardyn_auth_LoginRequest__Output,
} from '../../guardyn/auth/LoginRequest.ts';
import type {
  LoginResponse as _guardyn_auth_LoginResponse,
  LoginResponse__Output as _guardyn_auth_LoginResponse__Output,
} from '../../guardyn/auth/LoginResponse.ts';
import type {
  LogoutRequest as _guardyn_auth_LogoutRequest,
  LogoutRequest__Output as _guardyn_auth_LogoutRequest__Output,
} from '../../guardyn/auth/LogoutRequest.ts';
import type {
  LogoutResponse as _guardyn_auth_LogoutResponse,
  LogoutResponse__Output as _guardyn_auth_LogoutResponse__Output,
} from '../../guardyn/auth/LogoutResponse.ts';
import type {
  RefreshTokenRequest as _guardyn_auth_RefreshTokenRequest,
  RefreshTokenRequest__Output as _guardyn_auth_RefreshTokenRequest__Output,
} from '../../guardyn/auth/RefreshTokenRequest.ts';
import type {
  RefreshTokenResponse as _guardyn_auth_RefreshTokenResponse,
  RefreshTokenResponse__Output as _guardyn_auth_RefreshTokenResponse__Output,
} from '../../guardyn/auth/RefreshTokenResponse.ts';
import type {
  RegisterRequest as _guardyn_auth_RegisterRequest,
  RegisterRequest__Output as _guardyn_auth_RegisterRequest__Output,
} from '../../guardyn/auth/RegisterRequest.ts';
import type {
  RegisterResponse as _guardyn_auth_RegisterResponse,
  RegisterResponse__Output as _guardyn_auth_RegisterResponse__Output,
} from '../../guardyn/auth/RegisterResponse.ts';
import type {
  RevokeDeviceRequest as _guardyn_auth_RevokeDeviceRequest,
  RevokeDeviceRequest__Output as _guardyn_auth_RevokeDeviceRequest__Output,
} from '../../guardyn/auth/RevokeDeviceRequest.ts';
import type {
  RevokeDeviceResponse as _guardyn_auth_RevokeDeviceResponse,
  RevokeDeviceResponse__Output as _guardyn_auth_RevokeDeviceResponse__Output,
} from '../../guardyn/auth/RevokeDeviceResponse.ts';
import type {
  RotateSignedPreKeyRequest as _guardyn_auth_RotateSignedPreKeyRequest,
  RotateSignedPreKeyRequest__Output as _guardyn_auth_RotateSignedPreKeyRequest__Output,
} from '../../guardyn/auth/RotateSignedPreKeyRequest.ts';
import type {
  RotateSignedPreKeyResponse as _guardyn_auth_RotateSignedPreKeyResponse,
  RotateSignedPreKeyResponse__Output as _guardyn_auth_RotateSignedPreKeyResponse__Output,
} from '../../guardyn/auth/RotateSignedPreKeyResponse.ts';
import type {
  SearchUsersRequest as _guardyn_auth_SearchUsersRequest,
  SearchUsersRequest__Output as _guardyn_auth_SearchUsersRequest__Output,
} from '../../guardyn/auth/SearchUsersRequest.ts';
import type {
  SearchUsersResponse as _guardyn_auth_SearchUsersResponse,
  SearchUsersResponse__Output as _guardyn_auth_SearchUsersResponse__Output,
} from '../../guardyn/auth/SearchUsersResponse.ts';
import type {
  UploadMlsKeyPackageRequest as _guardyn_auth_UploadMlsKeyPackageRequest,
  UploadMlsKeyPackageRequest__Output as _guardyn_auth_UploadMlsKeyPackageRequest__Output,
} from '../../guardyn/auth/UploadMlsKeyPackageRequest.ts';
import type {
  UploadMlsKeyPackageResponse as _guardyn_auth_UploadMlsKeyPackageResponse,
  UploadMlsKeyPackageResponse__Output as _guardyn_auth_UploadMlsKeyPackageResponse__Output,
} from '../../guardyn/auth/UploadMlsKeyPackageResponse.ts';
import type {
  UploadPreKeysRequest as _guardyn_auth_UploadPreKeysRequest,
  UploadPreKeysRequest__Output as _guardyn_auth_UploadPreKeysRequest__Output,
} from '../../guardyn/auth/UploadPreKeysRequest.ts';
import type {
  UploadPreKeysResponse as _guardyn_auth_UploadPreKeysResponse,
  UploadPreKeysResponse__Output as _guardyn_auth_UploadPreKeysResponse__Output,
} from '../../guardyn/auth/UploadPreKeysResponse.ts';
import type {
  ValidateTokenRequest as _guardyn_auth_ValidateTokenRequest,
  ValidateTokenRequest__Output as _guardyn_auth_ValidateTokenRequest__Output,
} from '../../guardyn/auth/ValidateTokenRequest.ts';
import type {
  ValidateTokenResponse as _guardyn_auth_ValidateTokenResponse,
  ValidateTokenResponse__Output as _guardyn_auth_ValidateTokenResponse__Output,
} from '../../guardyn/auth/ValidateTokenResponse.ts';

export interface AuthServiceClient extends grpc.Client {
  DeleteAccount(
    argument: _guardyn_auth_DeleteAccountRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_auth_DeleteAccountResponse__Output>,
  ): grpc.ClientUnaryCall;
  DeleteAccount(
    argument: _guardyn_auth_DeleteAccountRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_auth_DeleteAccountResponse__Output>,
  ): grpc.ClientUnaryCall;
  DeleteAccount(
    argument: _guardyn_auth_DeleteAccountRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_auth_DeleteAccountResponse__Output>,
  ): grpc.ClientUnaryCall;
  DeleteAccount(
    argument: _guardyn_auth_DeleteAccountRequest,
    callback: grpc.requestCallback<_guardyn_auth_DeleteAccountResponse__Output>,
  ): grpc.ClientUnaryCall;
  deleteAccount(
    argument: _guardyn_auth_DeleteAccountRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_auth_DeleteAccountResponse__Output>,
  ): grpc.ClientUnaryCall;
  deleteAccount(
    argument: _guardyn_auth_DeleteAccountRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_auth_DeleteAccountResponse__Output>,
  ): grpc.ClientUnaryCall;
  deleteAccount(
    argument: _guardyn_auth_DeleteAccountRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_auth_DeleteAccountResponse__Output>,
  ): grpc.ClientUnaryCall;
  deleteAccount(
    argument: _guardyn_auth_DeleteAccountRequest,
    callback: grpc.requestCallback<_guardyn_auth_DeleteAccountResponse__Output>,
  ): grpc.ClientUnaryCall;

  GetKeyBundle(
    argument: _guardyn_auth_GetKeyBundleRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_auth_GetKeyBundleResponse__Output>,
  ): grpc.ClientUnaryCall;
  GetKeyBundle(
    argument: _guardyn_auth_GetKeyBundleRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_auth_GetKeyBundleResponse__Output>,
  ): grpc.ClientUnaryCall;
  GetKeyBundle(
    argument: _guardyn_auth_GetKeyBundleRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_auth_GetKeyBundleResponse__Output>,
  ): grpc.ClientUnaryCall;
  GetKeyBundle(
    argument: _guardyn_auth_GetKeyBundleRequest,
    callback: grpc.requestCallback<_guardyn_auth_GetKeyBundleResponse__Output>,
  ): grpc.ClientUnaryCall;
  getKeyBundle(
    argument: _guardyn_auth_GetKeyBundleRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_auth_GetKeyBundleResponse__Output>,
  ): grpc.ClientUnaryCall;
  getKeyBundle(
    argument: _guardyn_auth_GetKeyBundleRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_auth_GetKeyBundleResponse__Output>,
  ): grpc.ClientUnaryCall;
  getKeyBundle(
    argument: _guardyn_auth_GetKeyBundleRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_auth_GetKeyBundleResponse__Output>,
  ): grpc.ClientUnaryCall;
  getKeyBundle(
    argument: _guardyn_auth_GetKeyBundleRequest,
    callback: grpc.requestCallback<_guardyn_auth_GetKeyBundleResponse__Output>,
  ): grpc.ClientUnaryCall;

  GetMlsKeyPackage(
    argument: _guardyn_auth_GetMlsKeyPackageRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_auth_GetMlsKeyPackageResponse__Output>,
  ): grpc.ClientUnaryCall;
  GetMlsKeyPackage(
    argument: _guardyn_auth_GetMlsKeyPackageRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_auth_GetMlsKeyPackageResponse__Output>,
  ): grpc.ClientUnaryCall;
  GetMlsKeyPackage(
    argument: _guardyn_auth_GetMlsKeyPackageRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_auth_GetMlsKeyPackageResponse__Output>,
  ): grpc.ClientUnaryCall;
  GetMlsKeyPackage(
    argument: _guardyn_auth_GetMlsKeyPackageRequest,
    callback: grpc.requestCallback<_guardyn_auth_GetMlsKeyPackageResponse__Output>,
  ): grpc.ClientUnaryCall;
  getMlsKeyPackage(
    argument: _guardyn_auth_GetMlsKeyPackageRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_auth_GetMlsKeyPackageResponse__Output>,
  ): grpc.ClientUnaryCall;
  getMlsKeyPackage(
    argument: _guardyn_auth_GetMlsKeyPackageRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_auth_GetMlsKeyPackageResponse__Output>,
  ): grpc.ClientUnaryCall;
  getMlsKeyPackage(
    argument: _guardyn_auth_GetMlsKeyPackageRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_auth_GetMlsKeyPackageResponse__Output>,
  ): grpc.ClientUnaryCall;
  getMlsKeyPackage(
    argument: _guardyn_auth_GetMlsKeyPackageRequest,
    callback: grpc.requestCallback<_guardyn_auth_GetMlsKeyPackageResponse__Output>,
  ): grpc.ClientUnaryCall;

  GetUserProfile(
    argument: _guardyn_auth_GetUserProfileRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_auth_GetUserProfileResponse__Output>,
  ): grpc.ClientUnaryCall;
  GetUserProfile(
    argument: _guardyn_auth_GetUserProfileRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_auth_GetUserProfileResponse__Output>,
  ): grpc.ClientUnaryCall;
  GetUserProfile(
    argument: _guardyn_auth_GetUserProfileRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_auth_GetUserProfileResponse__Output>,
  ): grpc.ClientUnaryCall;
  GetUserProfile(
    argument: _guardyn_auth_GetUserProfileRequest,
    callback: grpc.requestCallback<_guardyn_auth_GetUserProfileResponse__Output>,
  ): grpc.ClientUnaryCall;
  getUserProfile(
    argument: _guardyn_auth_GetUserProfileRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_auth_GetUserProfileResponse__Output>,
  ): grpc.ClientUnaryCall;
  getUserProfile(
    argument: _guardyn_auth_GetUserProfileRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_auth_GetUserProfileResponse__Output>,
  ): grpc.ClientUnaryCall;
  getUserProfile(
    argument: _guardyn_auth_GetUserProfileRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_auth_GetUserProfileResponse__Output>,
  ): grpc.ClientUnaryCall;
  getUserProfile(
    argument: _guardyn_auth_GetUserProfileRequest,
    callback: grpc.requestCallback<_guardyn_auth_GetUserProfileResponse__Output>,
  ): grpc.ClientUnaryCall;

  Health(
    argument: _guardyn_auth_HealthRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_common_HealthStatus__Output>,
  ): grpc.ClientUnaryCall;
  Health(
    argument: _guardyn_auth_HealthRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_common_HealthStatus__Output>,
  ): grpc.ClientUnaryCall;
  Health(
    argument: _guardyn_auth_HealthRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_common_HealthStatus__Output>,
  ): grpc.ClientUnaryCall;
  Health(
    argument: _guardyn_auth_HealthRequest,
    callback: grpc.requestCallback<_guardyn_common_HealthStatus__Output>,
  ): grpc.ClientUnaryCall;
  health(
    argument: _guardyn_auth_HealthRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_common_HealthStatus__Output>,
  ): grpc.ClientUnaryCall;
  health(
    argument: _guardyn_auth_HealthRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_common_HealthStatus__Output>,
  ): grpc.ClientUnaryCall;
  health(
    argument: _guardyn_auth_HealthRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_common_HealthStatus__Output>,
  ): grpc.ClientUnaryCall;
  health(
    argument: _guardyn_auth_HealthRequest,
    callback: grpc.requestCallback<_guardyn_common_HealthStatus__Output>,
  ): grpc.ClientUnaryCall;

  ListDevices(
    argument: _guardyn_auth_ListDevicesRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_auth_ListDevicesResponse__Output>,
  ): grpc.ClientUnaryCall;
  ListDevices(
    argument: _guardyn_auth_ListDevicesRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_auth_ListDevicesResponse__Output>,
  ): grpc.ClientUnaryCall;
  ListDevices(
    argument: _guardyn_auth_ListDevicesRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_auth_ListDevicesResponse__Output>,
  ): grpc.ClientUnaryCall;
  ListDevices(
    argument: _guardyn_auth_ListDevicesRequest,
    callback: grpc.requestCallback<_guardyn_auth_ListDevicesResponse__Output>,
  ): grpc.ClientUnaryCall;
  listDevices(
    argument: _guardyn_auth_ListDevicesRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_auth_ListDevicesResponse__Output>,
  ): grpc.ClientUnaryCall;
  listDevices(
    argument: _guardyn_auth_ListDevicesRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_auth_ListDevicesResponse__Output>,
  ): grpc.ClientUnaryCall;
  listDevices(
    argument: _guardyn_auth_ListDevicesRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_auth_ListDevicesResponse__Output>,
  ): grpc.ClientUnaryCall;
  listDevices(
    argument: _guardyn_auth_ListDevicesRequest,
    callback: grpc.requestCallback<_guardyn_auth_ListDevicesResponse__Output>,
  ): grpc.ClientUnaryCall;

  Login(
    argument: _guardyn_auth_LoginRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_auth_LoginResponse__Output>,
  ): grpc.ClientUnaryCall;
  Login(
    argument: _guardyn_auth_LoginRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_auth_LoginResponse__Output>,
  ): grpc.ClientUnaryCall;
  Login(
    argument: _guardyn_auth_LoginRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_auth_LoginResponse__Output>,
  ): grpc.ClientUnaryCall;
  Login(
    argument: _guardyn_auth_LoginRequest,
    callback: grpc.requestCallback<_guardyn_auth_LoginResponse__Output>,
  ): grpc.ClientUnaryCall;
  login(
    argument: _guardyn_auth_LoginRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_auth_LoginResponse__Output>,
  ): grpc.ClientUnaryCall;
  login(
    argument: _guardyn_auth_LoginRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_auth_LoginResponse__Output>,
  ): grpc.ClientUnaryCall;
  login(
    argument: _guardyn_auth_LoginRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_auth_LoginResponse__Output>,
  ): grpc.ClientUnaryCall;
  login(
    argument: _guardyn_auth_LoginRequest,
    callback: grpc.requestCallback<_guardyn_auth_LoginResponse__Output>,
  ): grpc.ClientUnaryCall;

  Logout(
    argument: _guardyn_auth_LogoutRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_auth_LogoutResponse__Output>,
  ): grpc.ClientUnaryCall;
  Logout(
    argument: _guardyn_auth_LogoutRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_auth_LogoutResponse__Output>,
  ): grpc.ClientUnaryCall;
  Logout(
    argument: _guardyn_auth_LogoutRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_auth_LogoutResponse__Output>,
  ): grpc.ClientUnaryCall;
  Logout(
    argument: _guardyn_auth_LogoutRequest,
    callback: grpc.requestCallback<_guardyn_auth_LogoutResponse__Output>,
  ): grpc.ClientUnaryCall;
  logout(
    argument: _guardyn_auth_LogoutRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_auth_LogoutResponse__Output>,
  ): grpc.ClientUnaryCall;
  logout(
    argument: _guardyn_auth_LogoutRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_auth_LogoutResponse__Output>,
  ): grpc.ClientUnaryCall;
  logout(
    argument: _guardyn_auth_LogoutRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_auth_LogoutResponse__Output>,
  ): grpc.ClientUnaryCall;
  logout(
    argument: _guardyn_auth_LogoutRequest,
    callback: grpc.requestCallback<_guardyn_auth_LogoutResponse__Output>,
  ): grpc.ClientUnaryCall;

  RefreshToken(
    argument: _guardyn_auth_RefreshTokenRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_auth_RefreshTokenResponse__Output>,
  ): grpc.ClientUnaryCall;
  RefreshToken(
    argument: _guardyn_auth_RefreshTokenRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_auth_RefreshTokenResponse__Output>,
  ): grpc.ClientUnaryCall;
  RefreshToken(
    argument: _guardyn_auth_RefreshTokenRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_auth_RefreshTokenResponse__Output>,
  ): grpc.ClientUnaryCall;
  RefreshToken(
    argument: _guardyn_auth_RefreshTokenRequest,
    callback: grpc.requestCallback<_guardyn_auth_RefreshTokenResponse__Output>,
  ): grpc.ClientUnaryCall;
  refreshToken(
    argument: _guardyn_auth_RefreshTokenRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_auth_RefreshTokenResponse__Output>,
  ): grpc.ClientUnaryCall;
  refreshToken(
    argument: _guardyn_auth_RefreshTokenRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_auth_RefreshTokenResponse__Output>,
  ): grpc.ClientUnaryCall;
  refreshToken(
    argument: _guardyn_auth_RefreshTokenRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_auth_RefreshTokenResponse__Output>,
  ): grpc.ClientUnaryCall;
  refreshToken(
    argument: _guardyn_auth_RefreshTokenRequest,
    callback: grpc.requestCallback<_guardyn_auth_RefreshTokenResponse__Output>,
  ): grpc.ClientUnaryCall;

  Register(
    argument: _guardyn_auth_RegisterRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_auth_RegisterResponse__Output>,
  ): grpc.ClientUnaryCall;
  Register(
    argument: _guardyn_auth_RegisterRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_auth_RegisterResponse__Output>,
  ): grpc.ClientUnaryCall;
  Register(
    argument: _guardyn_auth_RegisterRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_auth_RegisterResponse__Output>,
  ): grpc.ClientUnaryCall;
  Register(
    argument: _guardyn_auth_RegisterRequest,
    callback: grpc.requestCallback<_guardyn_auth_RegisterResponse__Output>,
  ): grpc.ClientUnaryCall;
  register(
    argument: _guardyn_auth_RegisterRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_auth_RegisterResponse__Output>,
  ): grpc.ClientUnaryCall;
  register(
    argument: _guardyn_auth_RegisterRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_auth_RegisterResponse__Output>,
  ): grpc.ClientUnaryCall;
  register(
    argument: _guardyn_auth_RegisterRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_auth_RegisterResponse__Output>,
  ): grpc.ClientUnaryCall;
  register(
    argument: _guardyn_auth_RegisterRequest,
    callback: grpc.requestCallback<_guardyn_auth_RegisterResponse__Output>,
  ): grpc.ClientUnaryCall;

  RevokeDevice(
    argument: _guardyn_auth_RevokeDeviceRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_auth_RevokeDeviceResponse__Output>,
  ): grpc.ClientUnaryCall;
  RevokeDevice(
    argument: _guardyn_auth_RevokeDeviceRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_auth_RevokeDeviceResponse__Output>,
  ): grpc.ClientUnaryCall;
  RevokeDevice(
    argument: _guardyn_auth_RevokeDeviceRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_auth_RevokeDeviceResponse__Output>,
  ): grpc.ClientUnaryCall;
  RevokeDevice(
    argument: _guardyn_auth_RevokeDeviceRequest,
    callback: grpc.requestCallback<_guardyn_auth_RevokeDeviceResponse__Output>,
  ): grpc.ClientUnaryCall;
  revokeDevice(
    argument: _guardyn_auth_RevokeDeviceRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_auth_RevokeDeviceResponse__Output>,
  ): grpc.ClientUnaryCall;
  revokeDevice(
    argument: _guardyn_auth_RevokeDeviceRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_auth_RevokeDeviceResponse__Output>,
  ): grpc.ClientUnaryCall;
  revokeDevice(
    argument: _guardyn_auth_RevokeDeviceRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_auth_RevokeDeviceResponse__Output>,
  ): grpc.ClientUnaryCall;
  revokeDevice(
    argument: _guardyn_auth_RevokeDeviceRequest,
    callback: grpc.requestCallback<_guardyn_auth_RevokeDeviceResponse__Output>,
  ): grpc.ClientUnaryCall;

  RotateSignedPreKey(
    argument: _guardyn_auth_RotateSignedPreKeyRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_auth_RotateSignedPreKeyResponse__Output>,
  ): grpc.ClientUnaryCall;
  RotateSignedPreKey(
    argument: _guardyn_auth_RotateSignedPreKeyRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_auth_RotateSignedPreKeyResponse__Output>,
  ): grpc.ClientUnaryCall;
  RotateSignedPreKey(
    argument: _guardyn_auth_RotateSignedPreKeyRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_auth_RotateSignedPreKeyResponse__Output>,
  ): grpc.ClientUnaryCall;
  RotateSignedPreKey(
    argument: _guardyn_auth_RotateSignedPreKeyRequest,
    callback: grpc.requestCallback<_guardyn_auth_RotateSignedPreKeyResponse__Output>,
  ): grpc.ClientUnaryCall;
  rotateSignedPreKey(
    argument: _guardyn_auth_RotateSignedPreKeyRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_auth_RotateSignedPreKeyResponse__Output>,
  ): grpc.ClientUnaryCall;
  rotateSignedPreKey(
    argument: _guardyn_auth_RotateSignedPreKeyRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_auth_RotateSignedPreKeyResponse__Output>,
  ): grpc.ClientUnaryCall;
  rotateSignedPreKey(
    argument: _guardyn_auth_RotateSignedPreKeyRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_auth_RotateSignedPreKeyResponse__Output>,
  ): grpc.ClientUnaryCall;
  rotateSignedPreKey(
    argument: _guardyn_auth_RotateSignedPreKeyRequest,
    callback: grpc.requestCallback<_guardyn_auth_RotateSignedPreKeyResponse__Output>,
  ): grpc.ClientUnaryCall;

  SearchUsers(
    argument: _guardyn_auth_SearchUsersRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_auth_SearchUsersResponse__Output>,
  ): grpc.ClientUnaryCall;
  SearchUsers(
    argument: _guardyn_auth_SearchUsersRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_auth_SearchUsersResponse__Output>,
  ): grpc.ClientUnaryCall;
  SearchUsers(
    argument: _guardyn_auth_SearchUsersRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_auth_SearchUsersResponse__Output>,
  ): grpc.ClientUnaryCall;
  SearchUsers(
    argument: _guardyn_auth_SearchUsersRequest,
    callback: grpc.requestCallback<_guardyn_auth_SearchUsersResponse__Output>,
  ): grpc.ClientUnaryCall;
  searchUsers(
    argument: _guardyn_auth_SearchUsersRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_auth_SearchUsersResponse__Output>,
  ): grpc.ClientUnaryCall;
  searchUsers(
    argument: _guardyn_auth_SearchUsersRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_auth_SearchUsersResponse__Output>,
  ): grpc.ClientUnaryCall;
  searchUsers(
    argument: _guardyn_auth_SearchUsersRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_auth_SearchUsersResponse__Output>,
  ): grpc.ClientUnaryCall;
  searchUsers(
    argument: _guardyn_auth_SearchUsersRequest,
    callback: grpc.requestCallback<_guardyn_auth_SearchUsersResponse__Output>,
  ): grpc.ClientUnaryCall;

  UploadMlsKeyPackage(
    argument: _guardyn_auth_UploadMlsKeyPackageRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_auth_UploadMlsKeyPackageResponse__Output>,
  ): grpc.ClientUnaryCall;
  UploadMlsKeyPackage(
    argument: _guardyn_auth_UploadMlsKeyPackageRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_auth_UploadMlsKeyPackageResponse__Output>,
  ): grpc.ClientUnaryCall;
  UploadMlsKeyPackage(
    argument: _guardyn_auth_UploadMlsKeyPackageRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_auth_UploadMlsKeyPackageResponse__Output>,
  ): grpc.ClientUnaryCall;
  UploadMlsKeyPackage(
    argument: _guardyn_auth_UploadMlsKeyPackageRequest,
    callback: grpc.requestCallback<_guardyn_auth_UploadMlsKeyPackageResponse__Output>,
  ): grpc.ClientUnaryCall;
  uploadMlsKeyPackage(
    argument: _guardyn_auth_UploadMlsKeyPackageRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_auth_UploadMlsKeyPackageResponse__Output>,
  ): grpc.ClientUnaryCall;
  uploadMlsKeyPackage(
    argument: _guardyn_auth_UploadMlsKeyPackageRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_auth_UploadMlsKeyPackageResponse__Output>,
  ): grpc.ClientUnaryCall;
  uploadMlsKeyPackage(
    argument: _guardyn_auth_UploadMlsKeyPackageRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_auth_UploadMlsKeyPackageResponse__Output>,
  ): grpc.ClientUnaryCall;
  uploadMlsKeyPackage(
    argument: _guardyn_auth_UploadMlsKeyPackageRequest,
    callback: grpc.requestCallback<_guardyn_auth_UploadMlsKeyPackageResponse__Output>,
  ): grpc.ClientUnaryCall;

  UploadPreKeys(
    argument: _guardyn_auth_UploadPreKeysRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_auth_UploadPreKeysResponse__Output>,
  ): grpc.ClientUnaryCall;
  UploadPreKeys(
    argument: _guardyn_auth_UploadPreKeysRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_auth_UploadPreKeysResponse__Output>,
  ): grpc.ClientUnaryCall;
  UploadPreKeys(
    argument: _guardyn_auth_UploadPreKeysRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_auth_UploadPreKeysResponse__Output>,
  ): grpc.ClientUnaryCall;
  UploadPreKeys(
    argument: _guardyn_auth_UploadPreKeysRequest,
    callback: grpc.requestCallback<_guardyn_auth_UploadPreKeysResponse__Output>,
  ): grpc.ClientUnaryCall;
  uploadPreKeys(
    argument: _guardyn_auth_UploadPreKeysRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_auth_UploadPreKeysResponse__Output>,
  ): grpc.ClientUnaryCall;
  uploadPreKeys(
    argument: _guardyn_auth_UploadPreKeysRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_auth_UploadPreKeysResponse__Output>,
  ): grpc.ClientUnaryCall;
  uploadPreKeys(
    argument: _guardyn_auth_UploadPreKeysRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_auth_UploadPreKeysResponse__Output>,
  ): grpc.ClientUnaryCall;
  uploadPreKeys(
    argument: _guardyn_auth_UploadPreKeysRequest,
    callback: grpc.requestCallback<_guardyn_auth_UploadPreKeysResponse__Output>,
  ): grpc.ClientUnaryCall;

  ValidateToken(
    argument: _guardyn_auth_ValidateTokenRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_auth_ValidateTokenResponse__Output>,
  ): grpc.ClientUnaryCall;
  ValidateToken(
    argument: _guardyn_auth_ValidateTokenRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_auth_ValidateTokenResponse__Output>,
  ): grpc.ClientUnaryCall;
  ValidateToken(
    argument: _guardyn_auth_ValidateTokenRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_auth_ValidateTokenResponse__Output>,
  ): grpc.ClientUnaryCall;
  ValidateToken(
    argument: _guardyn_auth_ValidateTokenRequest,
    callback: grpc.requestCallback<_guardyn_auth_ValidateTokenResponse__Output>,
  ): grpc.ClientUnaryCall;
  validateToken(
    argument: _guardyn_auth_ValidateTokenRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_auth_ValidateTokenResponse__Output>,
  ): grpc.ClientUnaryCall;
  validateToken(
    argument: _guardyn_auth_ValidateTokenRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_auth_ValidateTokenResponse__Output>,
  ): grpc.ClientUnaryCall;
  validateToken(
    argument: _guardyn_auth_ValidateTokenRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_auth_ValidateTokenResponse__Output>,
  ): grpc.ClientUnaryCall;
  validateToken(
    argument: _guardyn_auth_ValidateTokenRequest,
    callback: grpc.requestCallback<_guardyn_auth_ValidateTokenResponse__Output>,
  ): grpc.ClientUnaryCall;
}

export interface AuthServiceHandlers extends grpc.UntypedServiceImplementation {
  DeleteAccount: grpc.handleUnaryCall<_guardyn_auth_DeleteAccountRequest__Output, _guardyn_auth_DeleteAccountResponse>;

  GetKeyBundle: grpc.handleUnaryCall<_guardyn_auth_GetKeyBundleRequest__Output, _guardyn_auth_GetKeyBundleResponse>;

  GetMlsKeyPackage: grpc.handleUnaryCall<
    _guardyn_auth_GetMlsKeyPackageRequest__Output,
    _guardyn_auth_GetMlsKeyPackageResponse
  >;

  GetUserProfile: grpc.handleUnaryCall<
    _guardyn_auth_GetUserProfileRequest__Output,
    _guardyn_auth_GetUserProfileResponse
  >;

  Health: grpc.handleUnaryCall<_guardyn_auth_HealthRequest__Output, _guardyn_common_HealthStatus>;

  ListDevices: grpc.handleUnaryCall<_guardyn_auth_ListDevicesRequest__Output, _guardyn_auth_ListDevicesResponse>;

  Login: grpc.handleUnaryCall<_guardyn_auth_LoginRequest__Output, _guardyn_auth_LoginResponse>;

  Logout: grpc.handleUnaryCall<_guardyn_auth_LogoutRequest__Output, _guardyn_auth_LogoutResponse>;

  RefreshToken: grpc.handleUnaryCall<_guardyn_auth_RefreshTokenRequest__Output, _guardyn_auth_RefreshTokenResponse>;

  Register: grpc.handleUnaryCall<_guardyn_auth_RegisterRequest__Output, _guardyn_auth_RegisterResponse>;

  RevokeDevice: grpc.handleUnaryCall<_guardyn_auth_RevokeDeviceRequest__Output, _guardyn_auth_RevokeDeviceResponse>;

  RotateSignedPreKey: grpc.handleUnaryCall<
    _guardyn_auth_RotateSignedPreKeyRequest__Output,
    _guardyn_auth_RotateSignedPreKeyResponse
  >;

  SearchUsers: grpc.handleUnaryCall<_guardyn_auth_SearchUsersRequest__Output, _guardyn_auth_SearchUsersResponse>;

  UploadMlsKeyPackage: grpc.handleUnaryCall<
    _guardyn_auth_UploadMlsKeyPackageRequest__Output,
    _guardyn_auth_UploadMlsKeyPackageResponse
  >;

  UploadPreKeys: grpc.handleUnaryCall<_guardyn_auth_UploadPreKeysRequest__Output, _guardyn_auth_UploadPreKeysResponse>;

  ValidateToken: grpc.handleUnaryCall<_guardyn_auth_ValidateTokenRequest__Output, _guardyn_auth_ValidateTokenResponse>;
}

export interface AuthServiceDefinition extends grpc.ServiceDefinition {
  DeleteAccount: MethodDefinition<
    _guardyn_auth_DeleteAccountRequest,
    _guardyn_auth_DeleteAccountResponse,
    _guardyn_auth_DeleteAccountRequest__Output,
    _guardyn_auth_DeleteAccountResponse__Output
  >;
  GetKeyBundle: MethodDefinition<
    _guardyn_auth_GetKeyBundleRequest,
    _guardyn_auth_GetKeyBundleResponse,
    _guardyn_auth_GetKeyBundleRequest__Output,
    _guardyn_auth_GetKeyBundleResponse__Output
  >;
  GetMlsKeyPackage: MethodDefinition<
    _guardyn_auth_GetMlsKeyPackageRequest,
    _guardyn_auth_GetMlsKeyPackageResponse,
    _guardyn_auth_GetMlsKeyPackageRequest__Output,
    _guardyn_auth_GetMlsKeyPackageResponse__Output
  >;
  GetUserProfile: MethodDefinition<
    _guardyn_auth_GetUserProfileRequest,
    _guardyn_auth_GetUserProfileResponse,
    _guardyn_auth_GetUserProfileRequest__Output,
    _guardyn_auth_GetUserProfileResponse__Output
  >;
  Health: MethodDefinition<
    _guardyn_auth_HealthRequest,
    _guardyn_common_HealthStatus,
    _guardyn_auth_HealthRequest__Output,
    _guardyn_common_HealthStatus__Output
  >;
  ListDevices: MethodDefinition<
    _guardyn_auth_ListDevicesRequest,
    _guardyn_auth_ListDevicesResponse,
    _guardyn_auth_ListDevicesRequest__Output,
    _guardyn_auth_ListDevicesResponse__Output
  >;
  Login: MethodDefinition<
    _guardyn_auth_LoginRequest,
    _guardyn_auth_LoginResponse,
    _guardyn_auth_LoginRequest__Output,
    _guardyn_auth_LoginResponse__Output
  >;
  Logout: MethodDefinition<
    _guardyn_auth_LogoutRequest,
    _guardyn_auth_LogoutResponse,
    _guardyn_auth_LogoutRequest__Output,
    _guardyn_auth_LogoutResponse__Output
  >;
  RefreshToken: MethodDefinition<
    _guardyn_auth_RefreshTokenRequest,
    _guardyn_auth_RefreshTokenResponse,
    _guardyn_auth_RefreshTokenRequest__Output,
    _guardyn_auth_RefreshTokenResponse__Output
  >;
  Register: MethodDefinition<
    _guardyn_auth_RegisterRequest,
    _guardyn_auth_RegisterResponse,
    _guardyn_auth_RegisterRequest__Output,
    _guardyn_auth_RegisterResponse__Output
  >;
  RevokeDevice: MethodDefinition<
    _guardyn_auth_RevokeDeviceRequest,
    _guardyn_auth_RevokeDeviceResponse,
    _guardyn_auth_RevokeDeviceRequest__Output,
    _guardyn_auth_RevokeDeviceResponse__Output
  >;
  RotateSignedPreKey: MethodDefinition<
    _guardyn_auth_RotateSignedPreKeyRequest,
    _guardyn_auth_RotateSignedPreKeyResponse,
    _guardyn_auth_RotateSignedPreKeyRequest__Output,
    _guardyn_auth_RotateSignedPreKeyResponse__Output
  >;
  SearchUsers: MethodDefinition<
    _guardyn_auth_SearchUsersRequest,
    _guardyn_auth_SearchUsersResponse,
    _guardyn_auth_SearchUsersRequest__Output,
    _guardyn_auth_SearchUsersResponse__Output
  >;
  UploadMlsKeyPackage: MethodDefinition<
    _guardyn_auth_UploadMlsKeyPackageRequest,
    _guardyn_auth_UploadMlsKeyPackageResponse,
    _guardyn_auth_UploadMlsKeyPackageRequest__Output,
    _guardyn_auth_UploadMlsKeyPackageResponse__Output
  >;
  UploadPreKeys: MethodDefinition<
    _guardyn_auth_UploadPreKeysRequest,
    _guardyn_auth_UploadPreKeysResponse,
    _guardyn_auth_UploadPreKeysRequest__Output,
    _guardyn_auth_UploadPreKeysResponse__Output
  >;
  ValidateToken: MethodDefinition<
    _guardyn_auth_ValidateTokenRequest,
    _guardyn_auth_ValidateTokenResponse,
    _guardyn_auth_ValidateTokenRequest__Output,
    _guardyn_auth_ValidateTokenResponse__Output
  >;
}
